package io.warren.gateway.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Serves one accepted connection on a pool thread: reads one request (up to a newline or the
 * client's end of output, at most {@link ControlCodec#MAX_REQUEST} bytes), asks the protocol,
 * writes the reply, closes. The whole request must arrive within the I/O timeout, and the whole
 * reply must be taken within another (non-blocking channel, own selector): a client that trickles
 * a byte at a time or reads its reply slowly cannot hold a worker longer; a slow reload blocks only
 * this worker. Owns and closes the channel on
 * every path; wipes the reply after sending (a client config holds a private key).
 */
final class ControlConnection implements Runnable {
    private static final Logger LOG = Logger.getLogger(ControlConnection.class.getName());

    private final SocketChannel channel;
    private final ControlProtocol protocol;
    private final long timeoutNanos;
    private final String daemonUser;

    ControlConnection(SocketChannel channel, ControlProtocol protocol, long timeoutNanos, String daemonUser) {
        this.channel = channel;
        this.protocol = protocol;
        this.timeoutNanos = timeoutNanos;
        this.daemonUser = daemonUser;
    }

    @Override
    public void run() {
        try (SocketChannel ch = channel; Selector selector = Selector.open()) {
            Caller caller = caller(ch);
            ch.configureBlocking(false);
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
            byte[] request = readRequest(ch, selector, key);
            byte[] reply = request == null
                    ? ControlCodec.encodeReply(ControlReply.failure(new ControlFailure(ControlFailure.BAD_REQUEST,
                            "request larger than " + ControlCodec.MAX_REQUEST + " bytes or not terminated")))
                    : protocol.handle(request, caller);
            try {
                write(ch, selector, key, ByteBuffer.wrap(reply));
            } finally {
                Arrays.fill(reply, (byte) 0);
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "control connection ended: " + e);
        }
    }

    private Caller caller(SocketChannel ch) {
        try {
            UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return Caller.of(p.user().getName(), daemonUser);
        } catch (IOException | UnsupportedOperationException e) {
            return new Caller(null, false);
        }
    }

    /** The request bytes, or null when it is too long; throws on timeout. */
    private byte[] readRequest(SocketChannel ch, Selector selector, SelectionKey key) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            await(selector, key, SelectionKey.OP_READ, deadline);
            int n = ch.read(buf);
            if (n < 0) {
                return got.toByteArray();
            }
            buf.flip();
            int newline = -1;
            for (int i = buf.position(); i < buf.limit(); i++) {
                if (buf.get(i) == '\n') {
                    newline = i;
                    break;
                }
            }
            int take = (newline >= 0 ? newline : buf.limit()) - buf.position();
            got.write(buf.array(), buf.position(), take);
            buf.clear();
            if (got.size() > ControlCodec.MAX_REQUEST) {
                return null;
            }
            if (newline >= 0) {
                return got.toByteArray();
            }
        }
    }

    private void write(SocketChannel ch, Selector selector, SelectionKey key, ByteBuffer out) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (out.hasRemaining()) {
            if (ch.write(out) == 0) {
                await(selector, key, SelectionKey.OP_WRITE, deadline);
            }
        }
    }

    /** Waits for {@code ops} until {@code end} (System.nanoTime), the deadline of the whole read or write. */
    private static void await(Selector selector, SelectionKey key, int ops, long end) throws IOException {
        key.interestOps(ops);
        while (true) {
            long wait = end - System.nanoTime();
            if (Thread.currentThread().isInterrupted()) {
                throw new IOException("interrupted");
            }
            if (wait <= 0) {
                throw new IOException("client too slow");
            }
            if (selector.select(Math.max(1, wait / 1_000_000)) > 0) {
                selector.selectedKeys().clear();
                return;
            }
        }
    }
}
