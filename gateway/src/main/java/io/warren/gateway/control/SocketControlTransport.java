package io.warren.gateway.control;

import io.warren.gateway.cli.ControlClient;
import io.warren.gateway.cli.ControlException;
import io.warren.gateway.cli.ControlTransport;
import io.warren.gateway.cli.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The CLI side of the control socket: one connection per request, the request as one JSON line,
 * the reply read to end of stream (bounded in size and time). Replies are turned into the text the
 * commands print: {@link StatusText} or indented JSON, reload messages, a client config and its QR
 * code. A refused reload becomes a {@link ControlException} with exit code 1.
 */
public final class SocketControlTransport implements ControlTransport {
    /** Long enough for a reload that restarts interfaces. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);

    private final Duration timeout;

    public SocketControlTransport(Duration timeout) {
        this.timeout = timeout;
    }

    public SocketControlTransport() {
        this(DEFAULT_TIMEOUT);
    }

    @Override
    public ControlClient connect(Path socket) throws ControlException {
        if (!Files.exists(socket)) {
            throw new ControlException("cannot reach the daemon at " + socket + ": no such socket (is warren running?)");
        }
        return new Client(socket);
    }

    private final class Client implements ControlClient {
        private final Path socket;

        Client(Path socket) {
            this.socket = socket;
        }

        @Override
        public String status(boolean json) throws ControlException {
            ControlReply r = call(new ControlRequest.Status());
            if (json) {
                return ControlCodec.pretty(r.result());
            }
            return StatusText.render(as(r, StatusReport.class));
        }

        @Override
        public String reload() throws ControlException {
            ReloadReport report = as(call(new ControlRequest.Reload()), ReloadReport.class);
            if (report.kept()) {
                throw new ControlException("reload refused; the running configuration is unchanged:\n  "
                        + String.join("\n  ", report.messages()), ExitCodes.INVALID);
            }
            if (!report.applied()) {
                throw new ControlException("reloaded in part; these did not apply (the rest did):\n  "
                        + String.join("\n  ", report.messages()), ExitCodes.INVALID);
            }
            return report.messages().isEmpty() ? "reloaded: no changes" : "reloaded:\n  " + String.join("\n  ", report.messages());
        }

        @Override
        public String addClient(String name, String iface) throws ControlException {
            return addClient(name, iface, null, List.of());
        }

        @Override
        public String addClient(String name, String iface, String endpoint, List<String> allowedIps) throws ControlException {
            ClientAdded added = as(call(new ControlRequest.ClientAdd(name, iface, endpoint, allowedIps)), ClientAdded.class);
            return "# " + added.name() + " added to " + added.iface() + " as " + added.address() + "\n"
                    + added.clientConfig() + "\n" + QrText.render(added.clientConfig());
        }

        @Override
        public void close() {
            // One connection per request: nothing stays open.
        }

        private <T> T as(ControlReply r, Class<T> type) throws ControlException {
            try {
                return ControlCodec.fromTree(r.result(), type);
            } catch (IOException | IllegalArgumentException e) {
                throw new ControlException("unexpected reply from the daemon: " + e.getMessage(), ExitCodes.IO);
            }
        }

        private ControlReply call(ControlRequest request) throws ControlException {
            byte[] raw = exchange(ControlCodec.encodeRequest(request));
            ControlReply reply;
            try {
                reply = ControlCodec.decodeReply(raw);
            } catch (IOException e) {
                throw new ControlException("unreadable reply from the daemon", ExitCodes.IO);
            }
            if (!reply.ok() || reply.result() == null) {
                ControlReply.Error e = reply.error();
                String message = e == null ? "request failed" : e.message();
                if (e != null && !e.details().isEmpty()) {
                    message += ":\n  " + String.join("\n  ", e.details());
                }
                int code = e != null && ControlFailure.REJECTED.equals(e.code()) ? ExitCodes.INVALID
                        : e != null && ControlFailure.INTERNAL.equals(e.code()) ? ExitCodes.IO : ExitCodes.UNAVAILABLE;
                throw new ControlException(message, code);
            }
            return reply;
        }

        private byte[] exchange(byte[] request) throws ControlException {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ch.configureBlocking(false);
                try (Selector selector = Selector.open()) {
                    SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
                    long deadline = System.nanoTime() + timeout.toNanos();
                    ByteBuffer out = ByteBuffer.wrap(request);
                    while (out.hasRemaining()) {
                        if (ch.write(out) == 0) {
                            await(selector, deadline);
                        }
                    }
                    ch.shutdownOutput();
                    key.interestOps(SelectionKey.OP_READ);
                    ByteArrayOutputStream in = new ByteArrayOutputStream();
                    ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
                    while (true) {
                        int n = ch.read(buf);
                        if (n < 0) {
                            return in.toByteArray();
                        }
                        if (n == 0) {
                            await(selector, deadline);
                            continue;
                        }
                        in.write(buf.array(), 0, buf.position());
                        buf.clear();
                        if (in.size() > ControlCodec.MAX_REPLY) {
                            throw new ControlException("reply from the daemon too large", ExitCodes.IO);
                        }
                    }
                }
            } catch (ConnectException e) {
                throw new ControlException("cannot reach the daemon at " + socket + ": connection refused (is warren running?)");
            } catch (AccessDeniedException e) {
                throw new ControlException("cannot reach the daemon at " + socket + ": permission denied (join the daemon's group, or use sudo)");
            } catch (IOException e) {
                String m = String.valueOf(e.getMessage());
                throw new ControlException("cannot reach the daemon at " + socket + ": "
                        + (m.contains("ermission") ? "permission denied (join the daemon's group, or use sudo)" : m));
            }
        }

        private void await(Selector selector, long deadline) throws IOException, ControlException {
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                throw new ControlException("the daemon did not answer within " + timeout.toSeconds() + " s", ExitCodes.UNAVAILABLE);
            }
            selector.select(Math.max(1, wait / 1_000_000));
            selector.selectedKeys().clear();
        }
    }
}
