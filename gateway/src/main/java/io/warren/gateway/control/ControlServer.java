package io.warren.gateway.control;

import io.warren.gateway.unixsocket.UnixSocketServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The control socket: a 0660 AF_UNIX socket served by a {@link UnixSocketServer} (one I/O thread that
 * never waits on a client, small worker pools, one for root and the daemon's user and one for
 * everybody else, connections bounded per peer user); each connection is one request and one reply
 * ({@link ControlSession}) answered by a {@link ControlProtocol}. The request must arrive within the
 * I/O timeout from connecting, and the reply be taken within another. {@link #close()} closes every
 * connection, ends the workers and removes the socket file (idempotent).
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControlServer.class.getName());
    private static final int READ_CHUNK = 4096;

    /**
     * Settings.
     *
     * @param socket      where to listen
     * @param workers     requests processed at once, for privileged callers and for the others each
     * @param connections connections open at once; a quarter of them is kept for privileged callers
     *                    and one other user may hold at most a quarter
     * @param ioTimeout   longest wait for the client to send its request, and to take the reply
     * @param daemonUser  the daemon's own user name (privileged besides root)
     */
    public record Config(Path socket, int workers, int connections, Duration ioTimeout, String daemonUser) {
        public Config {
            if (workers < 1 || connections < 2 || ioTimeout.isNegative() || ioTimeout.isZero()) {
                throw new IllegalArgumentException("need workers >= 1, connections >= 2, ioTimeout > 0");
            }
        }

        /** 2 workers, 64 connections, 5 s I/O timeout, the JVM's user. */
        public static Config defaults(Path socket) {
            return new Config(socket, 2, 64, Duration.ofSeconds(5), System.getProperty("user.name"));
        }

        UnixSocketServer.Limits limits() {
            int quarter = Math.max(1, connections / 4);
            return new UnixSocketServer.Limits(connections, quarter, quarter);
        }
    }

    private final UnixSocketServer server;

    private ControlServer(UnixSocketServer server) {
        this.server = server;
    }

    /** Binds the socket (mode 0660) and starts serving. */
    public static ControlServer start(Config config, ControlProtocol protocol) throws IOException {
        Set<String> privileged = new HashSet<>(Set.of("root"));
        if (config.daemonUser() != null) {
            privileged.add(config.daemonUser());
        }
        UnixSocketServer server = UnixSocketServer.start(
                new UnixSocketServer.Settings(config.socket(), "rw-rw----", 64, config.workers(), config.limits(),
                        new UnixSocketServer.Timeouts(config.ioTimeout(), config.ioTimeout(), null), privileged,
                        READ_CHUNK, "warren-control", "control"),
                peer -> new ControlSession(protocol, Caller.of(peer.user(), config.daemonUser())));
        LOG.info("control socket on " + server.path());
        return new ControlServer(server);
    }

    public Path socketPath() {
        return server.path();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
