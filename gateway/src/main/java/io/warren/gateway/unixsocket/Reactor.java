package io.warren.gateway.unixsocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The thread that does a {@link UnixSocketServer}'s socket I/O: admits the connections its
 * {@link Acceptor} hands over ({@link Admission}), reads at most one chunk per
 * connection and hands it to a worker, writes replies, enforces deadlines. Never blocks on a client
 * or on anything else: every channel is non-blocking on one {@link Selector}. A connection has at most one task in flight and reading is paused meanwhile,
 * so per connection at most one chunk plus one reply plus the session's own bounded state is held.
 * Workers report back through a queue and {@link Selector#wakeup()}.
 */
final class Reactor implements Runnable {
    private static final Logger LOG = Logger.getLogger(Reactor.class.getName());
    private static final long REFUSAL_LOG_NANOS = 1_000_000_000L;

    private record Completion(Connection connection, UnixSocketSession.Output output) {
    }

    private final UnixSocketServer.Settings settings;
    private final Function<Peer, UnixSocketSession> sessions;
    private final Acceptor acceptor;
    private final Selector selector;
    private final Executor shared;
    private final Executor privileged;
    private final Admission<Connection> admission;
    private final ByteBuffer chunk;
    private final ConcurrentLinkedQueue<Completion> done = new ConcurrentLinkedQueue<>();
    private final long idleNanos;
    private final long phaseNanos;
    private final long lifetimeNanos;
    private volatile boolean stopping;
    private long lastRefusalLog = System.nanoTime() - REFUSAL_LOG_NANOS;
    private long refused;

    Reactor(UnixSocketServer.Settings settings, Function<Peer, UnixSocketSession> sessions,
            ServerSocketChannel listener, Executor shared, Executor privileged) throws IOException {
        this.settings = settings;
        this.sessions = sessions;
        this.shared = shared;
        this.privileged = privileged;
        UnixSocketServer.Limits limits = settings.limits();
        this.admission = new Admission<>(limits.connections(), limits.perUser(), limits.reserved());
        this.chunk = ByteBuffer.allocate(settings.readChunk());
        this.idleNanos = settings.timeouts().idle().toNanos();
        this.phaseNanos = settings.timeouts().phase().toNanos();
        this.lifetimeNanos = settings.timeouts().lifetime() == null ? -1 : settings.timeouts().lifetime().toNanos();
        this.selector = Selector.open();
        this.acceptor = new Acceptor(settings, listener, selector::wakeup);
    }

    /** The accept side, to be run on its own thread. */
    Acceptor acceptor() {
        return acceptor;
    }

    /** Asks both threads to close every connection and end; returns at once. */
    void stop() {
        stopping = true;
        selector.wakeup();
        acceptor.stop();
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                long now = System.nanoTime();
                long next = expire(now);
                long waitMillis = next == Long.MAX_VALUE ? 0 : Math.max(1, (next - now + 999_999) / 1_000_000);
                selector.select(waitMillis);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid()) {
                        guarded((Connection) key.attachment(), true, null);
                    }
                }
                selector.selectedKeys().clear();
                for (Completion c; (c = done.poll()) != null;) {
                    guarded(c.connection(), false, c.output());
                }
                for (Acceptor.Accepted a; !stopping && (a = acceptor.poll()) != null;) {
                    admit(a.channel(), a.peer());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, settings.what() + ": socket loop failed; closing every connection", e);
        } finally {
            stopping = true;
            acceptor.stop();
            List<Connection> all = new ArrayList<>(admission.all());
            all.forEach(this::close);
            for (Completion c; (c = done.poll()) != null;) {
                wipe(c.output());
            }
            acceptor.closeLeftovers();
            try {
                selector.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, settings.what() + ": closing the selector failed", e);
            }
        }
    }

    /** Closes connections past a deadline; returns the nearest remaining one. */
    private long expire(long now) {
        long next = Long.MAX_VALUE;
        List<Connection> late = null;
        for (Connection c : admission.all()) {
            long d = c.deadline();
            if (now >= d) {
                late = late == null ? new ArrayList<>() : late;
                late.add(c);
            } else {
                next = Math.min(next, d);
            }
        }
        if (late != null) {
            LOG.fine(() -> settings.what() + ": closing connections of too slow clients");
            late.forEach(this::close);
        }
        return next;
    }

    private void admit(SocketChannel ch, Peer peer) {
        Admission.Decision<Connection> decision = admission.decide(peer, Connection::waiting);
        if (!decision.admit()) {
            refuse(ch, peer);
            return;
        }
        if (decision.victim() != null) {
            close(decision.victim());
        }
        try {
            ch.configureBlocking(false);
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
            long now = System.nanoTime();
            Connection c = new Connection(ch, key, peer, sessions.apply(peer),
                    lifetimeNanos < 0 ? Long.MAX_VALUE : now + lifetimeNanos);
            c.phaseEnd = now + phaseNanos;
            c.idleEnd = now + idleNanos;
            key.attach(c);
            admission.add(peer, c);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, settings.what() + ": cannot serve a connection", e);
            closeQuietly(ch, settings.what());
        }
    }

    private void refuse(SocketChannel ch, Peer peer) {
        refused++;
        long now = System.nanoTime();
        if (now - lastRefusalLog >= REFUSAL_LOG_NANOS) {
            lastRefusalLog = now;
            LOG.warning(settings.what() + ": connection limit reached; refused a connection of " + peer.user()
                    + " (" + refused + " refused so far)");
        }
        closeQuietly(ch, settings.what());
    }

    /** Handles readiness or a completion; a failure ends that connection only, never the loop. */
    private void guarded(Connection c, boolean ready, UnixSocketSession.Output out) {
        try {
            if (ready) {
                ready(c);
            } else {
                complete(c, out);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, settings.what() + ": connection failed; closing it", e);
            close(c);
        }
    }

    private void ready(Connection c) {
        if (c.state == Connection.State.WRITING) {
            flush(c);
        } else if (c.state == Connection.State.READING) {
            read(c);
        }
    }

    private void read(Connection c) {
        chunk.clear();
        int n;
        try {
            n = c.channel.read(chunk);
        } catch (IOException e) {
            close(c);
            return;
        }
        if (n == 0) {
            return;
        }
        c.idleEnd = System.nanoTime() + idleNanos;
        byte[] bytes = null;
        if (n < 0) {
            c.eof = true;
        } else {
            bytes = Arrays.copyOf(chunk.array(), n);
            Arrays.fill(chunk.array(), 0, n, (byte) 0);
        }
        submit(c, bytes);
    }

    /** Runs the session on {@code bytes} ({@code null}: end of input) on a worker. */
    private void submit(Connection c, byte[] bytes) {
        c.state = Connection.State.PROCESSING;
        c.key.interestOps(0);
        Runnable task = () -> {
            UnixSocketSession.Output out = null;
            try {
                out = bytes == null ? c.session.endOfInput() : c.session.receive(ByteBuffer.wrap(bytes));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, settings.what() + ": session failed; closing its connection", e);
            } finally {
                if (bytes != null) {
                    Arrays.fill(bytes, (byte) 0);
                }
            }
            done.add(new Completion(c, out));
            selector.wakeup();
        };
        try {
            (c.peer.privileged() ? privileged : shared).execute(task);
        } catch (RejectedExecutionException shuttingDown) {
            close(c);
        }
    }

    private void complete(Connection c, UnixSocketSession.Output out) {
        if (c.state != Connection.State.PROCESSING || out == null) {
            wipe(out);
            close(c);
            return;
        }
        long now = System.nanoTime();
        c.pending = ByteBuffer.wrap(out.reply());
        c.closeAfter = out.close() || c.eof;
        c.state = Connection.State.WRITING;
        c.idleEnd = now + idleNanos;
        if (out.reply().length > 0) {
            c.phaseEnd = now + phaseNanos;
        }
        flush(c);
    }

    private void flush(Connection c) {
        ByteBuffer out = c.pending;
        boolean answered = out.capacity() > 0;
        try {
            while (out.hasRemaining() && c.channel.write(out) > 0) {
                c.idleEnd = System.nanoTime() + idleNanos;
            }
        } catch (IOException e) {
            close(c);
            return;
        }
        if (out.hasRemaining()) {
            c.key.interestOps(SelectionKey.OP_WRITE);
            return;
        }
        c.dropPending();
        if (c.closeAfter) {
            close(c);
            return;
        }
        c.state = Connection.State.READING;
        if (answered) {
            c.phaseEnd = System.nanoTime() + phaseNanos;
        }
        c.key.interestOps(SelectionKey.OP_READ);
    }

    private void close(Connection c) {
        if (c.state == Connection.State.CLOSED) {
            return;
        }
        c.state = Connection.State.CLOSED;
        c.key.cancel();
        c.dropPending();
        closeQuietly(c.channel, settings.what());
        admission.remove(c);
    }

    private static void wipe(UnixSocketSession.Output out) {
        if (out != null) {
            Arrays.fill(out.reply(), (byte) 0);
        }
    }

    static void closeQuietly(SocketChannel ch, String what) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, what + ": closing a connection failed", e);
        }
    }
}
