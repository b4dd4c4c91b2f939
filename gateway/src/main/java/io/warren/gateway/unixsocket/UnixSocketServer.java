package io.warren.gateway.unixsocket;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shell shared by the daemon's local servers (the UAPI socket, the control socket): a socket
 * file bound through {@link UnixSocketFile}, one accept thread and a bounded pool of worker
 * threads, each running the {@link Runnable} the handler makes for one connection. When every
 * worker is busy and the queue is full, a new connection is closed at once, so a flood cannot grow
 * memory; an accept error (e.g. {@code EMFILE}) pauses the loop briefly instead of spinning.
 * {@link #close()} stops accepting, interrupts the workers and removes the socket file; it is
 * idempotent.
 */
public final class UnixSocketServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UnixSocketServer.class.getName());
    private static final long ACCEPT_PAUSE_MILLIS = 100;

    /**
     * Settings.
     *
     * @param socket     where to listen
     * @param mode       the socket file's permissions, e.g. {@code "rw-------"}
     * @param backlog    the listen backlog
     * @param workers    connections served at once
     * @param queue      connections allowed to wait for a worker
     * @param threadName prefix of the thread names (accept thread {@code NAME-accept}, workers {@code NAME-N})
     * @param what       what the server is, for log lines ("UAPI", "control")
     */
    public record Settings(Path socket, String mode, int backlog, int workers, int queue, String threadName,
            String what) {
        public Settings {
            Objects.requireNonNull(socket, "socket");
            PosixFilePermissions.fromString(mode);
            if (backlog < 1 || workers < 1 || queue < 1) {
                throw new IllegalArgumentException("need backlog >= 1, workers >= 1 and queue >= 1");
            }
        }
    }

    private final Settings settings;
    private final Function<SocketChannel, Runnable> handler;
    private final ServerSocketChannel listener;
    private final UnixSocketFile socketFile;
    private final ThreadPoolExecutor workers;
    private final Thread acceptor;
    private volatile boolean closed;

    private UnixSocketServer(Settings settings, Function<SocketChannel, Runnable> handler, UnixSocketFile.Bound bound) {
        this.settings = settings;
        this.handler = handler;
        this.listener = bound.channel();
        this.socketFile = bound.file();
        AtomicInteger seq = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.queue()), r -> {
                    Thread t = new Thread(r, settings.threadName() + "-" + seq.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.acceptor = new Thread(this::acceptLoop, settings.threadName() + "-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Binds the socket file and starts accepting.
     *
     * @param handler makes the task that serves one accepted connection (and closes it)
     * @throws java.nio.file.FileAlreadyExistsException if another live process serves this socket
     * @throws IOException if the directory or socket cannot be created
     */
    public static UnixSocketServer start(Settings settings, Function<SocketChannel, Runnable> handler)
            throws IOException {
        Objects.requireNonNull(handler, "handler");
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString(settings.mode());
        UnixSocketServer server = new UnixSocketServer(settings, handler,
                UnixSocketFile.bind(settings.socket(), mode, settings.backlog()));
        server.acceptor.start();
        return server;
    }

    /** The socket file's path. */
    public Path path() {
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
                LOG.warning(settings.what() + ": accept failed: " + e);
                if (!pause()) {
                    return;
                }
                continue;
            }
            dispatch(client);
        }
    }

    private void dispatch(SocketChannel client) {
        try {
            workers.execute(handler.apply(client));
        } catch (RejectedExecutionException busy) {
            LOG.warning(settings.what() + ": all workers busy; dropping a connection");
            try {
                client.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, settings.what() + ": closing a dropped connection failed", e);
            }
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(ACCEPT_PAUSE_MILLIS);
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
                LOG.warning(settings.what() + ": workers did not stop within 2 s");
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
