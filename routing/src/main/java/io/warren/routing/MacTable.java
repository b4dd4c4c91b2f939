package io.warren.routing;

import io.warren.routing.MacLookup.Forward;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * The L2 forwarding table of one overlay segment (a bridge's filtering database, IEEE 802.1Q-2018
 * §8.8): source addresses are learned per port with aging (default 300 s, §8.8.3), static entries
 * never age nor move, destinations are forwarded or flooded.
 *
 * <p><b>Bound.</b> At most {@code maxDynamic} learned entries. When full, a new source address is
 * <em>not</em> learned ({@link MacLearn#TABLE_FULL}, counted) until {@link #expire} frees space; frames
 * to it keep flooding. A MAC flood therefore fills the table only to the bound and cannot evict the
 * established hosts. Static entries are configuration and are not bounded by it.
 *
 * <p><b>Layout.</b> Open addressing with linear probing in primitive arrays (MAC as {@code long},
 * last-seen time as {@code long}), load factor at most 1/2, deletion by backward shift (no
 * tombstones). Lookups allocate nothing: each entry keeps its {@link Forward} result (shared by
 * the entries of one port, so moves and new entries seldom make one).
 *
 * <p><b>Threading.</b> Not thread-safe: a segment's table is confined to the one thread that
 * switches that segment's frames (its event loop), which also calls {@link #expire} from a timer.
 * Times are {@code now} in nanoseconds from the caller's monotonic clock.
 *
 * @param <P> port type (a tunnel endpoint, a TAP port); compared with {@code equals}
 */
public final class MacTable<P> {

    /** IEEE 802.1Q default ageing time, 300 s. */
    public static final long DEFAULT_AGING_NANOS = 300_000_000_000L;

    private static final long EMPTY = -1L;

    private final long agingNanos;
    private final int maxDynamic;
    private long[] keys;
    private long[] seen;
    private Object[] forwards;
    private boolean[] statics;
    private int mask;
    private int shift;
    private int dynamicCount;
    private int staticCount;
    private final long[] learnCounts = new long[MacLearn.values().length];
    private long expiredCount;
    /**
     * The latest {@link Forward} results made, one per port (a power of two of them, replaced in
     * turn): an entry that moves, or a new one, reuses its port's result, so that an address
     * flapping between ports (a loop, or a peer forging it) allocates nothing per frame.
     */
    private final Object[] recentForwards = new Object[8];
    private int recentNext;

    /** A table of at most {@code maxDynamic} learned entries with the default aging time. */
    public MacTable(int maxDynamic) {
        this(maxDynamic, DEFAULT_AGING_NANOS);
    }

    public MacTable(int maxDynamic, long agingNanos) {
        if (maxDynamic < 1 || maxDynamic > 1 << 28) {
            throw new IllegalArgumentException("maxDynamic out of range: " + maxDynamic);
        }
        if (agingNanos <= 0) {
            throw new IllegalArgumentException("agingNanos must be > 0");
        }
        this.maxDynamic = maxDynamic;
        this.agingNanos = agingNanos;
        allocate(capacityFor(maxDynamic));
    }

    private static int capacityFor(int entries) {
        return Math.max(16, Integer.highestOneBit(Math.max(1, 2 * entries - 1)) << 1);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        java.util.Arrays.fill(keys, EMPTY);
        seen = new long[capacity];
        forwards = new Object[capacity];
        statics = new boolean[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    private int home(long mac) {
        return (int) ((mac * 0x9E37_79B9_7F4A_7C15L) >>> shift);
    }

    /** Slot of {@code mac}, or {@code ~slot} of the empty slot where it would go. */
    private int slotOf(long mac) {
        int i = home(mac);
        while (true) {
            long k = keys[i];
            if (k == mac) {
                return i;
            }
            if (k == EMPTY) {
                return ~i;
            }
            i = (i + 1) & mask;
        }
    }

    /** Source learning: {@code mac} was seen arriving on {@code port} at {@code now}. */
    public MacLearn learn(long mac, P port, long now) {
        Objects.requireNonNull(port, "port");
        MacLearn r = learn0(mac & Mac.MASK, port, now);
        learnCounts[r.ordinal()]++;
        return r;
    }

    private MacLearn learn0(long mac, P port, long now) {
        if (Mac.isGroup(mac)) {
            return MacLearn.INVALID_SOURCE;
        }
        int s = slotOf(mac);
        if (s >= 0) {
            boolean samePort = port.equals(((Forward<?>) forwards[s]).port());
            if (statics[s]) {
                return samePort ? MacLearn.REFRESHED : MacLearn.STATIC_KEPT;
            }
            boolean aged = now - seen[s] >= agingNanos;
            seen[s] = now;
            if (samePort) {
                return aged ? MacLearn.LEARNED : MacLearn.REFRESHED;
            }
            forwards[s] = forwardTo(port);
            return aged ? MacLearn.LEARNED : MacLearn.MOVED;
        }
        if (dynamicCount >= maxDynamic) {
            return MacLearn.TABLE_FULL;
        }
        put(~s, mac, port, now, false);
        dynamicCount++;
        return MacLearn.LEARNED;
    }

    private void put(int slot, long mac, P port, long now, boolean isStatic) {
        keys[slot] = mac;
        seen[slot] = now;
        forwards[slot] = forwardTo(port);
        statics[slot] = isStatic;
    }

    /** A {@link Forward} to {@code port}: a recent one if there is one, else a new one remembered. */
    @SuppressWarnings("unchecked")
    private Forward<P> forwardTo(P port) {
        Object[] recent = recentForwards;
        for (int i = 0; i < recent.length; i++) {
            if (recent[i] != null && port.equals(((Forward<P>) recent[i]).port())) {
                return (Forward<P>) recent[i];
            }
        }
        Forward<P> f = new Forward<>(port);
        recent[recentNext] = f;
        recentNext = (recentNext + 1) & (recent.length - 1);
        return f;
    }

    /** Where to send a frame for {@code mac} at {@code now}. Does not change the table. */
    @SuppressWarnings("unchecked")
    public MacLookup<P> lookup(long mac, long now) {
        if (Mac.isGroup(mac)) {
            return MacLookup.group();
        }
        int i = home(mac);
        while (true) {
            long k = keys[i];
            if (k == mac) {
                return statics[i] || now - seen[i] < agingNanos ? (Forward<P>) forwards[i] : MacLookup.unknown();
            }
            if (k == EMPTY) {
                return MacLookup.unknown();
            }
            i = (i + 1) & mask;
        }
    }

    /** Adds or replaces a static entry (a dynamic entry for the address becomes static). */
    public void addStatic(long mac, P port) {
        Objects.requireNonNull(port, "port");
        if ((mac & ~Mac.MASK) != 0 || Mac.isGroup(mac)) {
            throw new IllegalArgumentException("static entry needs an individual MAC: " + Mac.format(mac & Mac.MASK));
        }
        int s = slotOf(mac);
        if (s >= 0) {
            if (!statics[s]) {
                dynamicCount--;
                staticCount++;
            }
            put(s, mac, port, 0, true);
            return;
        }
        if (2 * (dynamicCount + staticCount + 1) > keys.length) {
            rehash(keys.length << 1);
            s = slotOf(mac);
        }
        put(~s, mac, port, 0, true);
        staticCount++;
    }

    /** Removes the static entry for {@code mac}; returns whether there was one. */
    public boolean removeStatic(long mac) {
        int s = slotOf(mac);
        if (s < 0 || !statics[s]) {
            return false;
        }
        deleteAt(s);
        staticCount--;
        return true;
    }

    /** Removes dynamic entries not refreshed for the aging time; returns how many. Call from a timer. */
    public int expire(long now) {
        int n = removeIf(i -> !statics[i] && now - seen[i] >= agingNanos);
        dynamicCount -= n;
        expiredCount += n;
        return n;
    }

    /** Removes the dynamic entries learned on {@code port} (port went down); returns how many. */
    public int flushPort(P port) {
        int n = removeIf(i -> !statics[i] && port.equals(((Forward<?>) forwards[i]).port()));
        dynamicCount -= n;
        return n;
    }

    private int removeIf(IntPredicate doomed) {
        int removed = 0;
        for (int i = 0; i < keys.length; ) {
            if (keys[i] != EMPTY && doomed.test(i)) {
                deleteAt(i); // the slot may now hold a shifted entry: test it again
                removed++;
            } else {
                i++;
            }
        }
        return removed;
    }

    /** Backward-shift deletion (Knuth, TAOCP vol. 3, §6.4 Algorithm R). */
    private void deleteAt(int slot) {
        int hole = slot;
        for (int j = (slot + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int h = home(keys[j]);
            if (((j - h) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                seen[hole] = seen[j];
                forwards[hole] = forwards[j];
                statics[hole] = statics[j];
                hole = j;
            }
        }
        keys[hole] = EMPTY;
        forwards[hole] = null;
        statics[hole] = false;
    }

    private void rehash(int capacity) {
        long[] k = keys;
        long[] t = seen;
        Object[] f = forwards;
        boolean[] st = statics;
        allocate(capacity);
        for (int i = 0; i < k.length; i++) {
            if (k[i] != EMPTY) {
                int s = ~slotOf(k[i]);
                keys[s] = k[i];
                seen[s] = t[i];
                forwards[s] = f[i];
                statics[s] = st[i];
            }
        }
    }

    /** Entries present, including aged ones not yet expired. */
    public int size() {
        return dynamicCount + staticCount;
    }

    public int dynamicCount() {
        return dynamicCount;
    }

    public int staticCount() {
        return staticCount;
    }

    public int maxDynamic() {
        return maxDynamic;
    }

    /** How many {@link #learn} calls had outcome {@code r}. */
    public long count(MacLearn r) {
        return learnCounts[r.ordinal()];
    }

    /** Entries removed by {@link #expire}. */
    public long expiredCount() {
        return expiredCount;
    }

    /** Computed heap bytes: the four slot arrays plus one 16-byte {@link Forward} per entry. */
    public long memoryBytes() {
        long cap = keys.length;
        return 4 * 16 + cap * (8 + 8 + 4 + 1) + 16L * size();
    }
}
