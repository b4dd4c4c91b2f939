package io.warren.crypto.session;

/**
 * Sliding-window replay filter for transport data counters (WireGuard whitepaper §5.4.6, using the
 * bitmap-ring algorithm of RFC 6479 §2 as the kernel's {@code counter_validate()} and
 * wireguard-go's {@code replay.Filter} do).
 *
 * <p>The ring holds {@value #RING_BLOCKS} 64-bit words (8192 bits); the accepted window is one word
 * less, {@value #WINDOW_SIZE} counters behind the highest seen, like the kernel's
 * {@code COUNTER_WINDOW_SIZE}. Counters at or above {@link Constants#REJECT_AFTER_MESSAGES}
 * (unsigned) are always rejected.
 *
 * <p>Call {@link #validate} only after the packet authenticated, or a forger could advance the
 * window. Not thread-safe: owned by one {@link Keypair}, used by the peer's receive thread.
 */
public final class ReplayWindow {
    private static final int BLOCK_BIT_LOG = 6;
    private static final int BLOCK_BITS = 1 << BLOCK_BIT_LOG;
    static final int RING_BLOCKS = 1 << 7;
    /** Counters this far behind the highest accepted one are still accepted. */
    public static final int WINDOW_SIZE = (RING_BLOCKS - 1) * BLOCK_BITS;
    private static final int BLOCK_MASK = RING_BLOCKS - 1;
    private static final int BIT_MASK = BLOCK_BITS - 1;

    private final long[] ring = new long[RING_BLOCKS];
    private long last;

    /**
     * Accepts {@code counter} once: returns false for a duplicate, a counter too far behind the
     * window, or one at or above {@code limit} (compared unsigned).
     */
    public boolean validate(long counter, long limit) {
        if (Long.compareUnsigned(counter, limit) >= 0) {
            return false;
        }
        long indexBlock = counter >>> BLOCK_BIT_LOG;
        if (Long.compareUnsigned(counter, last) > 0) {
            long current = last >>> BLOCK_BIT_LOG;
            long diff = indexBlock - current;
            if (Long.compareUnsigned(diff, RING_BLOCKS) > 0) {
                diff = RING_BLOCKS;
            }
            for (long i = current + 1; i != current + 1 + diff; i++) {
                ring[(int) (i & BLOCK_MASK)] = 0;
            }
            last = counter;
        } else if (Long.compareUnsigned(last - counter, WINDOW_SIZE) > 0) {
            return false;
        }
        int block = (int) (indexBlock & BLOCK_MASK);
        long bit = 1L << (counter & BIT_MASK);
        long old = ring[block];
        ring[block] = old | bit;
        return (old & bit) == 0;
    }

    /** {@link #validate(long, long)} against {@link Constants#REJECT_AFTER_MESSAGES}. */
    public boolean validate(long counter) {
        return validate(counter, Constants.REJECT_AFTER_MESSAGES);
    }

    /** Forgets every counter seen. */
    public void reset() {
        java.util.Arrays.fill(ring, 0L);
        last = 0;
    }
}
