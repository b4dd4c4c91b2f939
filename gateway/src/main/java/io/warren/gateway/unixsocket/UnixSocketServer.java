package io.warren.gateway.unixsocket;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The shell shared by the daemon's local servers (the UAPI socket, the control socket): a socket
 * file bound through {@link UnixSocketFile}, an accept thread, one {@link Reactor} thread that
 * does all other socket I/O without ever blocking on a client, and two small worker pools that run the
 * {@link UnixSocketSession}s (one for privileged peers, one for everybody else). A silent or slow
 * client therefore holds no thread, only a connection slot, and slots are handed out by
 * {@link Admission} per peer user ({@code SO_PEERCRED}). {@link #close()} closes every connection,
 * interrupts the workers and removes the socket file; it is idempotent.
 */
public final class UnixSocketServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UnixSocketServer.class.getName());

    /**
     * Connection limits (see {@link Admission}).
     *
     * @param connections most connections open at once
     * @param perUser     most connections of one unprivileged user
     * @param reserved    connections kept for privileged users
     */
    public record Limits(int connections, int perUser, int reserved) {
        public Limits {
            Admission.check(connections, perUser, reserved);
        }
    }

    /**
     * How long a client may take.
     *
     * @param idle     longest wait without a byte moving while the server waits on the client
     * @param phase    longest time for one request to arrive (from accept or the previous reply)
     *                 and for one reply to be taken; the server's own processing does not count
     * @param lifetime longest life of a connection, or {@code null} for none
     */
    public record Timeouts(Duration idle, Duration phase, Duration lifetime) {
        public Timeouts {
            if (idle.isNegative() || idle.isZero() || phase.isNegative() || phase.isZero()
                    || lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
    }

    /**
     * Settings.
     *
     * @param socket          where to listen
     * @param mode            the socket file's permissions, e.g. {@code "rw-------"}
     * @param backlog         the listen backlog
     * @param workers         threads of each of the two worker pools
     * @param limits          connection limits
     * @param timeouts        client deadlines
     * @param privilegedUsers peer user names that get the privileged pool and the reserved slots
     * @param readChunk       most bytes read from one connection before its session has taken them
     * @param threadName      prefix of the thread names ({@code NAME-accept}, {@code NAME-io}, {@code NAME-N}, {@code NAME-pN})
     * @param what            what the server is, for log lines ("UAPI", "control")
     */
    public record Settings(Path socket, String mode, int backlog, int workers, Limits limits, Timeouts timeouts,
            Set<String> privilegedUsers, int readChunk, String threadName, String what) {
        public Settings {
            Objects.requireNonNull(socket, "socket");
            PosixFilePermissions.fromString(mode);
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(timeouts, "timeouts");
            privilegedUsers = Set.copyOf(privilegedUsers);
            if (backlog < 1 || workers < 1 || readChunk < 1) {
                throw new IllegalArgumentException("need backlog >= 1, workers >= 1 and readChunk >= 1");
            }
        }
    }

    private final Settings settings;
    private final UnixSocketFile socketFile;
    private final ThreadPoolExecutor shared;
    private final ThreadPoolExecutor privileged;
    private final Reactor reactor;
    private final Thread io;
    private final Thread acceptor;
    private volatile boolean closed;

    private UnixSocketServer(Settings settings, UnixSocketFile socketFile, ThreadPoolExecutor shared,
            ThreadPoolExecutor privileged, Reactor reactor) {
        this.settings = settings;
        this.socketFile = socketFile;
        this.shared = shared;
        this.privileged = privileged;
        this.reactor = reactor;
        this.io = new Thread(reactor, settings.threadName() + "-io");
        this.io.setDaemon(true);
        this.acceptor = new Thread(reactor.acceptor(), settings.threadName() + "-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Binds the socket file and starts serving.
     *
     * @param sessions makes the session for a newly admitted peer's connection
     * @throws java.nio.file.FileAlreadyExistsException if another live process serves this socket
     * @throws IOException if the directory or socket cannot be created
     */
    public static UnixSocketServer start(Settings settings, Function<Peer, UnixSocketSession> sessions)
            throws IOException {
        Objects.requireNonNull(sessions, "sessions");
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString(settings.mode());
        UnixSocketFile.Bound bound = UnixSocketFile.bind(settings.socket(), mode, settings.backlog());
        ThreadPoolExecutor shared = pool(settings, "-");
        ThreadPoolExecutor privileged = pool(settings, "-p");
        Reactor reactor;
        try {
            reactor = new Reactor(settings, sessions, bound.channel(), shared, privileged);
        } catch (IOException | RuntimeException e) {
            bound.channel().close();
            bound.file().remove();
            shared.shutdownNow();
            privileged.shutdownNow();
            throw e;
        }
        UnixSocketServer server = new UnixSocketServer(settings, bound.file(), shared, privileged, reactor);
        server.io.start();
        server.acceptor.start();
        return server;
    }

    /** A pool of {@code workers} threads; its queue never fills: a connection has one task at most. */
    private static ThreadPoolExecutor pool(Settings settings, String infix) {
        AtomicInteger seq = new AtomicInteger();
        return new ThreadPoolExecutor(settings.workers(), settings.workers(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.limits().connections()), r -> {
                    Thread t = new Thread(r, settings.threadName() + infix + seq.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** The socket file's path. */
    public Path path() {
        return socketFile.path();
    }

    /** Closes every connection and the listening socket, stops the workers, removes the socket file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        reactor.stop();
        shared.shutdownNow();
        privileged.shutdownNow();
        try {
            io.join(2_000);
            acceptor.join(1_000);
            if (!shared.awaitTermination(2, TimeUnit.SECONDS) || !privileged.awaitTermination(1, TimeUnit.SECONDS)) {
                LOG.warning(settings.what() + ": workers did not stop within 2 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reactor.acceptor().closeLeftovers();
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
