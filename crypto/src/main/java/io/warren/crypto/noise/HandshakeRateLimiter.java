package io.warren.crypto.noise;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Per-source-IP limit on handshake messages processed under load (as the kernel's
 * {@code ratelimiter.c} and wireguard-go's {@code ratelimiter}): a token bucket per source of
 * {@value #PACKETS_PER_SECOND} messages per second with a burst of {@value #PACKETS_BURSTABLE}.
 * IPv4 sources are keyed by address, IPv6 sources by their /64 prefix (as the kernel does). Entries
 * idle for more than one second are garbage-collected (at most once a second, during {@link #allow});
 * the table is bounded: when it is full a new source is refused.
 *
 * <p>Sans-I/O: {@code nowNanos} (monotonic) is an input. Not thread-safe: the caller serializes calls.
 */
public final class HandshakeRateLimiter {
    /** Sustained rate per source. */
    public static final int PACKETS_PER_SECOND = 20;
    /** Burst per source. */
    public static final int PACKETS_BURSTABLE = 5;
    /** Default table bound. */
    public static final int DEFAULT_MAX_ENTRIES = 8192;

    private static final long PACKET_COST = 1_000_000_000L / PACKETS_PER_SECOND;
    private static final long MAX_TOKENS = PACKET_COST * PACKETS_BURSTABLE;
    private static final long GC_INTERVAL = 1_000_000_000L;

    private record Key(boolean v6, long bits) {
    }

    private static final class Bucket {
        long tokens;
        long lastNanos;
    }

    private final Map<Key, Bucket> table = new HashMap<>();
    private final int maxEntries;
    private long lastGcNanos;
    private boolean gcStarted;

    public HandshakeRateLimiter() {
        this(DEFAULT_MAX_ENTRIES);
    }

    public HandshakeRateLimiter(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
    }

    /**
     * Takes a token for {@code sourceIp} (4 or 16 bytes); false when the source is over its rate,
     * the table is full, or the address length is neither 4 nor 16.
     */
    public boolean allow(byte[] sourceIp, long nowNanos) {
        Key key = key(sourceIp);
        if (key == null) {
            return false;
        }
        if (!gcStarted || nowNanos - lastGcNanos >= GC_INTERVAL) {
            gc(nowNanos);
        }
        Bucket b = table.get(key);
        if (b == null) {
            if (table.size() >= maxEntries) {
                return false;
            }
            b = new Bucket();
            b.tokens = MAX_TOKENS - PACKET_COST;
            b.lastNanos = nowNanos;
            table.put(key, b);
            return true;
        }
        b.tokens = Math.min(MAX_TOKENS, b.tokens + Math.max(0, nowNanos - b.lastNanos));
        b.lastNanos = nowNanos;
        if (b.tokens >= PACKET_COST) {
            b.tokens -= PACKET_COST;
            return true;
        }
        return false;
    }

    /** Removes entries idle for more than one second. */
    public void gc(long nowNanos) {
        gcStarted = true;
        lastGcNanos = nowNanos;
        for (Iterator<Bucket> it = table.values().iterator(); it.hasNext(); ) {
            if (nowNanos - it.next().lastNanos > GC_INTERVAL) {
                it.remove();
            }
        }
    }

    /** Number of tracked sources. */
    public int size() {
        return table.size();
    }

    private static Key key(byte[] ip) {
        if (ip.length == 4) {
            return new Key(false, ((ip[0] & 0xffL) << 24) | ((ip[1] & 0xffL) << 16) | ((ip[2] & 0xffL) << 8) | (ip[3] & 0xffL));
        }
        if (ip.length == 16) {
            long prefix = 0;
            for (int i = 0; i < 8; i++) {
                prefix = (prefix << 8) | (ip[i] & 0xffL);
            }
            return new Key(true, prefix);
        }
        return null;
    }
}
