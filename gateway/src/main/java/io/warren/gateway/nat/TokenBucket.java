package io.warren.gateway.nat;

/**
 * A token bucket (sans-I/O; {@code now} is monotonic nanos): it holds up to {@code burst} tokens
 * and gains one every {@code every} nanos; {@link #tryTake} spends one if there is one. Starts
 * full. Not thread-safe.
 */
public final class TokenBucket {
    /** A sending rate: one token every {@code every} nanos, at most {@code burst} saved up. */
    public record Rate(long every, int burst) {
        public Rate {
            if (every <= 0 || burst <= 0) {
                throw new IllegalArgumentException("a rate needs every > 0 and burst > 0");
            }
        }
    }

    private final Rate rate;
    private long tokens;
    private long updated;
    private boolean started;

    public TokenBucket(Rate rate) {
        this.rate = rate;
        this.tokens = rate.burst();
    }

    /** Whether a token is there at {@code now} (nothing is spent). */
    public boolean available(long now) {
        refill(now);
        return tokens > 0;
    }

    /** Spends a token if there is one at {@code now}. */
    public boolean tryTake(long now) {
        refill(now);
        if (tokens == 0) {
            return false;
        }
        tokens--;
        return true;
    }

    private void refill(long now) {
        if (!started) {
            started = true;
            updated = now;
            return;
        }
        long gained = (now - updated) / rate.every();
        if (gained <= 0) {
            return;
        }
        if (gained >= rate.burst() - tokens) {
            tokens = rate.burst();
            updated = now;
        } else {
            tokens += gained;
            updated += gained * rate.every();
        }
    }
}
