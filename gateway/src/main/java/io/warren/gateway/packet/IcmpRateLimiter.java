package io.warren.gateway.packet;

/**
 * Token bucket limiting how many ICMP errors the gateway generates (RFC 1812 §4.3.2.8, RFC 4443
 * §2.4 (f)). Time is an input: {@link #tryAcquire(long)} takes {@code now} in nanoseconds from a
 * monotonic clock the caller reads. Not thread-safe: one instance per data-path thread.
 */
public final class IcmpRateLimiter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long nanosPerToken;
    private final long capacityNanos;
    private long credit;
    private long last;
    private boolean started;
    private long allowed;
    private long limited;

    /**
     * @param tokensPerSecond sustained rate of errors, at least 1
     * @param burst           bucket size: errors allowed back to back, at least 1
     */
    public IcmpRateLimiter(long tokensPerSecond, long burst) {
        if (tokensPerSecond < 1 || tokensPerSecond > NANOS_PER_SECOND || burst < 1) {
            throw new IllegalArgumentException("rate must be 1..1e9 per second and burst at least 1");
        }
        this.nanosPerToken = NANOS_PER_SECOND / tokensPerSecond;
        this.capacityNanos = Math.multiplyExact(nanosPerToken, burst);
        this.credit = capacityNanos;
    }

    /** Takes one token if available at time {@code now}; returns whether an error may be sent. */
    public boolean tryAcquire(long now) {
        if (!started) {
            started = true;
            last = now;
        }
        long elapsed = now - last;
        if (elapsed > 0) {
            credit = elapsed >= capacityNanos ? capacityNanos : Math.min(capacityNanos, credit + elapsed);
            last = now;
        }
        if (credit >= nanosPerToken) {
            credit -= nanosPerToken;
            allowed++;
            return true;
        }
        limited++;
        return false;
    }

    /** Errors allowed so far. */
    public long allowed() {
        return allowed;
    }

    /** Errors refused so far. */
    public long limited() {
        return limited;
    }
}
