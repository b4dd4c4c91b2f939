package io.warren.gateway.uapi;

import io.warren.gateway.unixsocket.UnixSocketFile;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The UAPI socket shell: listens on {@code <dir>/<iface>.sock} (normally {@code /var/run/wireguard}),
 * hands each connection to a {@link UapiConnectionWorker} on a small bounded pool, and serves it with
 * a {@link UapiSession} against the given {@link UapiDevice}.
 *
 * <p>Threads: one accept thread and {@link Config#workers()} worker threads (platform, daemon). When all
 * workers are busy up to {@link Config#queue()} connections wait; beyond that a new connection is closed
 * at once, so a flood cannot grow memory. Socket file creation and removal: see {@link UnixSocketFile}
 * (mode 0600, no permission race, stale files replaced only when dead). {@link #close()} stops accepting,
 * ends the workers and removes the socket file; it is idempotent.
 */
public final class UapiServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UapiServer.class.getName());
    /** Linux interface names: 1..15 bytes (IFNAMSIZ 16), no '/', no whitespace, not "." or "..". */
    private static final Pattern IFACE = Pattern.compile("[\\x21-\\x7e&&[^/:]]{1,15}");

    /** The default directory, shared with wireguard-go and searched by {@code wg}. */
    public static final Path DEFAULT_DIR = Path.of("/var/run/wireguard");

    /**
     * Server settings.
     *
     * @param socketDir where {@code <iface>.sock} goes
     * @param interfaceName the WireGuard interface name (what {@code wg show NAME} takes)
     * @param workers worker threads (connections served at once)
     * @param queue connections allowed to wait for a worker
     * @param idleTimeout longest wait for a client to send or receive anything
     * @param connectionTimeout longest life of one connection
     * @param limits line and request size bounds
     */
    public record Config(Path socketDir, String interfaceName, int workers, int queue, Duration idleTimeout,
            Duration connectionTimeout, UapiLimits limits) {

        public Config {
            Objects.requireNonNull(socketDir, "socketDir");
            if (!IFACE.matcher(interfaceName).matches() || interfaceName.equals(".") || interfaceName.equals("..")) {
                throw new IllegalArgumentException("not a valid interface name: " + interfaceName);
            }
            if (workers < 1 || queue < 1) {
                throw new IllegalArgumentException("need workers >= 1 and queue >= 1");
            }
            if (idleTimeout.isNegative() || idleTimeout.isZero() || connectionTimeout.compareTo(idleTimeout) < 0) {
                throw new IllegalArgumentException("need 0 < idleTimeout <= connectionTimeout");
            }
            Objects.requireNonNull(limits, "limits");
        }

        /** Defaults for {@code iface} in {@link #DEFAULT_DIR}: 4 workers, 16 queued, 5 s idle, 30 s total. */
        public static Config defaults(String iface) {
            return new Config(DEFAULT_DIR, iface, 4, 16, Duration.ofSeconds(5), Duration.ofSeconds(30),
                    UapiLimits.DEFAULT);
        }

        /** The same settings with another socket directory (tests). */
        public Config withSocketDir(Path dir) {
            return new Config(dir, interfaceName, workers, queue, idleTimeout, connectionTimeout, limits);
        }
    }

    private final Config config;
    private final UapiDevice device;
    private final ServerSocketChannel listener;
    private final UnixSocketFile socketFile;
    private final ThreadPoolExecutor workers;
    private final Thread acceptor;
    private volatile boolean closed;

    private UapiServer(Config config, UapiDevice device, UnixSocketFile.Bound bound) {
        this.config = config;
        this.device = device;
        this.listener = bound.channel();
        this.socketFile = bound.file();
        AtomicInteger seq = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(config.workers(), config.workers(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queue()), r -> {
                    Thread t = new Thread(r, "uapi-" + config.interfaceName() + "-" + seq.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.acceptor = new Thread(this::acceptLoop, "uapi-accept-" + config.interfaceName());
        this.acceptor.setDaemon(true);
    }

    /**
     * Binds the socket and starts serving.
     *
     * @throws java.nio.file.FileAlreadyExistsException if another live process serves this interface
     * @throws IOException if the directory or socket cannot be created
     */
    public static UapiServer start(Config config, UapiDevice device) throws IOException {
        Objects.requireNonNull(device, "device");
        UapiServer server = new UapiServer(config, device, UnixSocketFile.bind(
                config.socketDir().resolve(config.interfaceName() + ".sock"),
                PosixFilePermissions.fromString("rw-------"), 64));
        server.acceptor.start();
        LOG.log(Level.INFO, "UAPI listening on {0}", server.socketPath());
        return server;
    }

    /** Where {@code wg} finds this interface. */
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
                // e.g. EMFILE: back off briefly instead of spinning, keep serving.
                LOG.log(Level.WARNING, "UAPI accept failed: {0}", e.toString());
                if (!pause()) {
                    return;
                }
                continue;
            }
            dispatch(client);
        }
    }

    private void dispatch(SocketChannel client) {
        UapiConnectionWorker worker = new UapiConnectionWorker(client, new UapiSession(device, config.limits()),
                config.idleTimeout().toNanos(), config.connectionTimeout().toNanos());
        try {
            workers.execute(worker);
        } catch (RejectedExecutionException busy) {
            LOG.log(Level.WARNING, "UAPI: all workers busy; dropping a connection");
            try {
                client.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "UAPI: close of a dropped connection failed: {0}", e.toString());
            }
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(100);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops accepting, ends every connection, removes the socket file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        try {
            listener.close();
        } catch (IOException e) {
            failure = e;
        }
        workers.shutdownNow();
        try {
            acceptor.join(2_000);
            if (!workers.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "UAPI workers did not stop within 2 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            socketFile.remove();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
