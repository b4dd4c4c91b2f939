package io.warren.gateway.log;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Bounds per-packet log events: at most {@code burst} lines per key in each {@code interval}; the
 * first line after a suppressed stretch says how many were suppressed. Keys are few and fixed
 * (drop reasons, peer names), and the table is bounded so that a forged key flood cannot grow it.
 *
 * <p>{@link #permit} is the sans-I/O decision (takes {@code now}); {@link #log} applies it.
 */
public final class RateLimitedLog {
    private static final int MAX_KEYS = 1024;

    private final Logger logger;
    private final long intervalNanos;
    private final int burst;
    private final Map<String, Window> windows = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > MAX_KEYS;
        }
    };

    public RateLimitedLog(Logger logger, long intervalNanos, int burst) {
        if (intervalNanos <= 0 || burst <= 0) {
            throw new IllegalArgumentException("interval and burst must be positive");
        }
        this.logger = logger;
        this.intervalNanos = intervalNanos;
        this.burst = burst;
    }

    /** The decision for one event at {@code now}. */
    public sealed interface Decision permits Log, Suppress {
    }

    /** Log it; {@code suppressedBefore} events of this key were dropped since the last logged one. */
    public record Log(long suppressedBefore) implements Decision {
    }

    /** Drop it (counted). */
    public record Suppress() implements Decision {
    }

    private static final class Window {
        long start;
        int used;
        long suppressed;
    }

    public synchronized Decision permit(String key, long now) {
        Window w = windows.get(key);
        if (w == null) {
            w = new Window();
            w.start = now;
            windows.put(key, w);
        }
        if (now - w.start >= intervalNanos) {
            w.start = now;
            w.used = 0;
        }
        if (w.used < burst) {
            w.used++;
            long suppressed = w.suppressed;
            w.suppressed = 0;
            return new Log(suppressed);
        }
        w.suppressed++;
        return new Suppress();
    }

    /** Logs {@code message} under {@code key} unless the key is over its budget. */
    public void log(Level level, String key, String message, long now) {
        if (!logger.isLoggable(level)) {
            return;
        }
        if (permit(key, now) instanceof Log l) {
            logger.log(level, l.suppressedBefore() > 0
                    ? message + " (" + l.suppressedBefore() + " similar messages suppressed)"
                    : message);
        }
    }
}
