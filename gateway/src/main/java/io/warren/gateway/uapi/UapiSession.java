package io.warren.gateway.uapi;

import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The UAPI protocol for one connection, sans I/O: feed it what the client sent, send back what it
 * returns. Several requests may follow each other on one connection, as with wireguard-go:
 * <ul>
 *   <li>{@code get=1\n\n}: the {@link GetResponseWriter} body, then {@code errno=0\n\n}. A byte other
 *       than {@code \n} after {@code get=1\n} answers {@code errno=-22} (that byte is consumed).</li>
 *   <li>{@code set=1\n} + lines + {@code \n}: one {@link DeviceChange} given to
 *       {@link UapiDevice#apply}; answers {@code errno=0} or the error. After a bad line the rest of
 *       the request is read and dropped up to its blank line; nothing is applied.</li>
 *   <li>anything else: the connection is closed without an answer.</li>
 * </ul>
 * End of input inside a {@code set} answers {@code errno=-71} and applies nothing. Never throws for
 * any input. Not thread-safe: one session per connection, on the thread serving it.
 */
public final class UapiSession {
    private static final System.Logger LOG = System.getLogger(UapiSession.class.getName());

    /**
     * What to do after an input.
     *
     * @param reply bytes to send (may be empty); owned by the caller, who should wipe it after
     *     sending, since a {@code get} reply holds the private key
     * @param close whether to close the connection after sending {@code reply}
     */
    public record Output(byte[] reply, boolean close) {
    }

    private enum State { OPERATION, GET_BLANK, SET, SET_DISCARD, CLOSED }

    private final UapiDevice device;
    private final UapiLimits limits;
    private final UapiLineBuffer lines;
    private State state = State.OPERATION;
    private SetRequestParser parser;
    private long requestBytes;
    private int pendingErrno;

    public UapiSession(UapiDevice device, UapiLimits limits) {
        this.device = device;
        this.limits = limits;
        this.lines = new UapiLineBuffer(limits.maxLineBytes());
    }

    /** Consumes all of {@code in} (unless the session closes first) and answers. */
    public Output receive(ByteBuffer in) {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        while (in.hasRemaining() && state != State.CLOSED) {
            if (state == State.GET_BLANK) {
                onGetTerminator(in.get(), reply);
                continue;
            }
            int before = in.position();
            UapiLineBuffer.Status status = lines.offer(in);
            requestBytes += in.position() - before;
            if (status == UapiLineBuffer.Status.NEED_MORE) {
                checkRequestSize(reply);
            } else if (status == UapiLineBuffer.Status.TOO_LONG) {
                LOG.log(Level.WARNING, "UAPI: request line longer than {0} bytes", limits.maxLineBytes());
                closeWith(state == State.OPERATION ? -1 : UapiErrno.EMSGSIZE, reply);
            } else if (!checkRequestSize(reply)) {
                onLine(lines.takeLine(), reply);
            }
        }
        return output(reply);
    }

    /** The client closed its sending side. */
    public Output endOfInput() {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        if (state == State.SET || state == State.SET_DISCARD) {
            LOG.log(Level.WARNING, "UAPI: set request cut off by end of input; nothing applied");
            closeWith(UapiErrno.EPROTO, reply);
        } else {
            closeWith(-1, reply);
        }
        return output(reply);
    }

    /** Whether the connection should be closed (no more input is read). */
    public boolean isClosed() {
        return state == State.CLOSED;
    }

    private void onLine(String line, ByteArrayOutputStream reply) {
        switch (state) {
            case OPERATION -> onOperation(line, reply);
            case SET -> onSetLine(line, reply);
            case SET_DISCARD -> {
                if (line.isEmpty()) {
                    finishRequest(pendingErrno, reply);
                }
            }
            default -> throw new IllegalStateException("no line expected in " + state);
        }
    }

    private void onOperation(String line, ByteArrayOutputStream reply) {
        requestBytes = line.length() + 1;
        if (line.equals("get=1")) {
            state = State.GET_BLANK;
        } else if (line.equals("set=1")) {
            parser = new SetRequestParser();
            state = State.SET;
        } else {
            LOG.log(Level.WARNING, "UAPI: unknown operation; closing the connection");
            closeWith(-1, reply);
        }
    }

    private void onGetTerminator(byte b, ByteArrayOutputStream reply) {
        state = State.OPERATION;
        if (b != '\n') {
            LOG.log(Level.WARNING, "UAPI: trailing character in get");
            reply.writeBytes(trailer(UapiErrno.EINVAL));
            return;
        }
        DeviceState snapshot;
        try {
            snapshot = device.snapshot();
        } catch (RuntimeException e) {
            // The device is the gateway's code: a bug there answers "unknown error", as wireguard-go does.
            LOG.log(Level.ERROR, "UAPI: device snapshot failed", e);
            reply.writeBytes(trailer(UapiErrno.ENOANO));
            return;
        }
        GetResponseWriter.write(snapshot, reply);
        reply.writeBytes(trailer(UapiErrno.OK));
    }

    private void onSetLine(String line, ByteArrayOutputStream reply) {
        if (!line.isEmpty()) {
            int errno = parser.accept(line);
            if (errno != 0) {
                LOG.log(Level.WARNING, "UAPI: set rejected: {0}", parser.error());
                pendingErrno = errno;
                parser = null;
                state = State.SET_DISCARD;
            }
            return;
        }
        DeviceChange change = parser.finish();
        parser = null;
        if (change.isEmpty()) {
            finishRequest(UapiErrno.OK, reply);
            return;
        }
        int errno;
        try {
            ApplyResult result = device.apply(change);
            if (result instanceof ApplyResult.Rejected rejected) {
                LOG.log(Level.WARNING, "UAPI: device refused set: {0}", rejected.reason());
                errno = rejected.errno();
            } else {
                errno = UapiErrno.OK;
            }
        } catch (RuntimeException e) {
            // As for snapshot: a device bug must not kill the connection worker.
            LOG.log(Level.ERROR, "UAPI: device apply failed", e);
            errno = UapiErrno.ENOANO;
        }
        finishRequest(errno, reply);
    }

    private void finishRequest(int errno, ByteArrayOutputStream reply) {
        reply.writeBytes(trailer(errno));
        state = State.OPERATION;
        requestBytes = 0;
    }

    /** Answers EMSGSIZE and closes when a set request grew past the limit; true if it did. */
    private boolean checkRequestSize(ByteArrayOutputStream reply) {
        if ((state == State.SET || state == State.SET_DISCARD) && requestBytes > limits.maxRequestBytes()) {
            LOG.log(Level.WARNING, "UAPI: set request larger than {0} bytes", limits.maxRequestBytes());
            closeWith(UapiErrno.EMSGSIZE, reply);
            return true;
        }
        return false;
    }

    /** Closes the session, first answering {@code errno} unless it is negative. */
    private void closeWith(int errno, ByteArrayOutputStream reply) {
        if (errno >= 0) {
            reply.writeBytes(trailer(errno));
        }
        state = State.CLOSED;
        parser = null;
        lines.clear();
    }

    private static byte[] trailer(int errno) {
        return UapiErrno.trailer(errno).getBytes(StandardCharsets.US_ASCII);
    }

    private Output output(ByteArrayOutputStream reply) {
        return new Output(reply.toByteArray(), state == State.CLOSED);
    }
}
