package io.warren.gateway.transport;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What the shells run on besides their own threads: a scheduler for timers (the JDK's, one daemon
 * thread {@code warren-timers}) and a Netty event loop group (native epoll where it loads, else NIO;
 * {@link NettyLoops}) for the sockets Netty serves (L2 tunnels). Each is made on first use: a
 * WireGuard interface only schedules its timer tick, so a WireGuard-only daemon never loads Netty
 * (~200 classes and its native library, ~2 MiB resident; issue #9). Thread-safe.
 */
public final class Transports implements AutoCloseable {
    private final int threads;
    private ScheduledExecutorService timers;
    private EventLoopGroup group;
    private boolean closed;

    private Transports(int threads) {
        this.threads = threads;
    }

    /** Timers on one thread and, when first asked for, an event loop group of {@code threads} threads. */
    public static Transports create(int threads) {
        return new Transports(threads);
    }

    /** The scheduler for periodic work (protocol timers); made on the first call. */
    public synchronized ScheduledExecutorService timers() {
        check();
        if (timers == null) {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
                Thread thread = new Thread(r, "warren-timers");
                thread.setDaemon(true);
                return thread;
            });
            t.setRemoveOnCancelPolicy(true);
            timers = t;
        }
        return timers;
    }

    /** The Netty event loop group; made (and Netty loaded) on the first call. */
    public synchronized EventLoopGroup group() {
        check();
        if (group == null) {
            group = NettyLoops.create(threads);
        }
        return group;
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("transports closed");
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (timers != null) {
            timers.shutdownNow();
            try {
                timers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timers = null;
        }
        if (group != null) {
            NettyLoops.shutdown(group);
            group = null;
        }
    }
}
