package io.warren.gateway.control.meters;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A value read at most once per {@code maxAgeNanos}: one scrape reads many meters from one
 * snapshot (a DHCP counter map, a lease census taken on the server's thread) instead of taking it
 * again for each meter. The clock is given ({@code System::nanoTime} in production) so tests decide
 * when the value is stale. If reading fails (the server is stopping), the previous value is kept.
 * Thread-safe.
 */
final class ScrapeCache<T> {
    private final Supplier<T> read;
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;
    private T value;
    private long readAt;
    private boolean fresh;

    /** @param initial returned until the first successful read */
    ScrapeCache(Supplier<T> read, long maxAgeNanos, LongSupplier nanoClock, T initial) {
        this.read = read;
        this.maxAgeNanos = maxAgeNanos;
        this.nanoClock = nanoClock;
        this.value = initial;
    }

    synchronized T get() {
        long now = nanoClock.getAsLong();
        if (!fresh || now - readAt >= maxAgeNanos) {
            try {
                value = read.get();
                readAt = now;
                fresh = true;
            } catch (RuntimeException e) {
                // Scraped while the source is closing: keep the last value; the group is about to go.
                return value;
            }
        }
        return value;
    }
}
