package io.warren.gateway.control;

import io.warren.gateway.unixsocket.UnixSocketFile;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control socket shell: a 0660 AF_UNIX socket ({@link UnixSocketFile}), one accept thread and
 * a small bounded worker pool; each connection is one request and one reply
 * ({@link ControlConnection}) answered by a {@link ControlProtocol}. When every worker is busy and
 * the queue is full, a new connection is closed at once, so a flood cannot grow memory.
 * {@link #close()} stops accepting, ends the workers and removes the socket file (idempotent).
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

    private final Config config;
    private final ControlProtocol protocol;
    private final ServerSocketChannel listener;
    private final UnixSocketFile socketFile;
    private final ThreadPoolExecutor workers;
    private final Thread acceptor;
    private volatile boolean closed;

    private ControlServer(Config config, ControlProtocol protocol, UnixSocketFile.Bound bound) {
        this.config = config;
        this.protocol = protocol;
        this.listener = bound.channel();
        this.socketFile = bound.file();
        AtomicInteger seq = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(config.workers(), config.workers(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queue()), r -> {
                    Thread t = new Thread(r, "warren-control-" + seq.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.acceptor = new Thread(this::acceptLoop, "warren-control-accept");
        this.acceptor.setDaemon(true);
    }

    /** Binds the socket (mode 0660) and starts serving. */
    public static ControlServer start(Config config, ControlProtocol protocol) throws IOException {
        UnixSocketFile.Bound bound = UnixSocketFile.bind(config.socket(), PosixFilePermissions.fromString("rw-rw----"), 16);
        ControlServer server = new ControlServer(config, protocol, bound);
        server.acceptor.start();
        LOG.info("control socket on " + server.socketPath());
        return server;
    }

    public Path socketPath() {
        return socketFile.path();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warning("control: accept failed: " + e);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            try {
                workers.execute(new ControlConnection(client, protocol, config.ioTimeout().toNanos(), config.daemonUser()));
            } catch (RejectedExecutionException busy) {
                LOG.warning("control: all workers busy; dropping a connection");
                try {
                    client.close();
                } catch (IOException e) {
                    LOG.log(Level.FINE, "control: closing a dropped connection", e);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        listener.close();
        workers.shutdownNow();
        try {
            acceptor.join(2_000);
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socketFile.remove();
    }
}
