package io.warren.gateway.control;

import io.warren.gateway.unixsocket.UnixSocketServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * The control socket: a 0660 AF_UNIX socket served by a {@link UnixSocketServer} (one accept thread,
 * a small bounded worker pool, a flood closed at the door); each connection is one request and one
 * reply ({@link ControlConnection}) answered by a {@link ControlProtocol}. {@link #close()} stops
 * accepting, ends the workers and removes the socket file (idempotent).
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControlServer.class.getName());

    /**
     * Settings.
     *
     * @param socket       where to listen
     * @param workers      connections served at once
     * @param queue        connections allowed to wait
     * @param ioTimeout    longest wait for the client to send its request or take the reply
     * @param daemonUser   the daemon's own user name (privileged besides root)
     */
    public record Config(Path socket, int workers, int queue, Duration ioTimeout, String daemonUser) {
        public Config {
            if (workers < 1 || queue < 1 || ioTimeout.isNegative() || ioTimeout.isZero()) {
                throw new IllegalArgumentException("need workers >= 1, queue >= 1, ioTimeout > 0");
            }
        }

        /** 2 workers, 8 queued, 5 s I/O timeout, the JVM's user. */
        public static Config defaults(Path socket) {
            return new Config(socket, 2, 8, Duration.ofSeconds(5), System.getProperty("user.name"));
        }
    }

    private final UnixSocketServer server;

    private ControlServer(UnixSocketServer server) {
        this.server = server;
    }

    /** Binds the socket (mode 0660) and starts serving. */
    public static ControlServer start(Config config, ControlProtocol protocol) throws IOException {
        long timeout = config.ioTimeout().toNanos();
        UnixSocketServer server = UnixSocketServer.start(
                new UnixSocketServer.Settings(config.socket(), "rw-rw----", 16, config.workers(), config.queue(),
                        "warren-control", "control"),
                client -> new ControlConnection(client, protocol, timeout, config.daemonUser()));
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
