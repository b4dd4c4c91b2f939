package io.warren.tun;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Guards native descriptors shared between threads: calls {@link #acquire()} before a system call
 * and {@link #release()} after it; {@link #close(Runnable)} marks the handle closed, runs a wake-up
 * action, and the descriptors are freed (the closer runs exactly once) when the last in-flight call
 * has released. A descriptor number is thus never closed, and reused, under a running call.
 *
 * <p>State: bit 0 = closed, the remaining bits count in-flight users (2 per user). Lock-free.
 */
final class NativeHandle {
    private final AtomicInteger state = new AtomicInteger();
    private final Runnable closer;

    NativeHandle(Runnable closer) {
        this.closer = closer;
    }

    /** Registers an in-flight call; throws once the handle is closed. */
    void acquire() throws ClosedChannelException {
        for (;;) {
            int s = state.get();
            if ((s & 1) != 0) {
                throw new ClosedChannelException();
            }
            if (state.compareAndSet(s, s + 2)) {
                return;
            }
        }
    }

    /** Ends an in-flight call; frees the descriptors if this was the last one after a close. */
    void release() {
        if (state.addAndGet(-2) == 1) {
            closer.run();
        }
    }

    /** True once {@link #close(Runnable)} was called. */
    boolean isClosed() {
        return (state.get() & 1) != 0;
    }

    /**
     * Marks the handle closed (idempotent). {@code wake} runs while the descriptors are still open,
     * to interrupt blocked callers; the closer runs now or when the last caller leaves.
     */
    void close(Runnable wake) {
        for (;;) {
            int s = state.get();
            if ((s & 1) != 0) {
                return;
            }
            // Close and register ourselves as a user in one step, so the fds outlive wake.run().
            if (state.compareAndSet(s, (s | 1) + 2)) {
                break;
            }
        }
        try {
            wake.run();
        } finally {
            release();
        }
    }
}
