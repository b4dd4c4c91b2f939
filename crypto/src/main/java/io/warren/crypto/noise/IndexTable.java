package io.warren.crypto.noise;

import java.security.SecureRandom;

/**
 * Local session indices (whitepaper §5.4.2, {@code I_i}/{@code I_r}): random 32-bit values chosen
 * without collision, each mapped to its owner (a handshake or keypair). Indices are meant to be
 * unpredictable, so they come from the caller's {@link SecureRandom}.
 *
 * <p>Thread-safe: the receive path looks indices up (lock-free, allocation-free) while handshakes
 * allocate.
 *
 * @param <T> the owner type
 */
public final class IndexTable<T> {
    /**
     * Copy-on-write open addressing (linear probing) keyed by the raw int: lookups, once per
     * received packet, read one volatile array and box nothing; writers (once per handshake)
     * rebuild the table under the monitor, at most a quarter full.
     */
    private record Slots(int[] keys, Object[] owners) {
        Slots(int capacity) {
            this(new int[capacity], new Object[capacity]);
        }

        int slot(int index) {
            int mask = keys.length - 1;
            int i = (index * 0x9E3779B9) >>> 16 & mask;
            while (owners[i] != null && keys[i] != index) {
                i = (i + 1) & mask;
            }
            return i;
        }
    }

    private volatile Slots slots = new Slots(16);
    private int size; // guarded by this

    /** Allocates a fresh random index for {@code owner}, retrying on collision. */
    public synchronized int allocate(T owner, SecureRandom rnd) {
        while (true) {
            int index = rnd.nextInt();
            if (lookup(index) == null) {
                rebuild(index, owner);
                return index;
            }
        }
    }

    /** The owner of {@code index}, or {@code null}. */
    @SuppressWarnings("unchecked")
    public T lookup(int index) {
        Slots s = slots;
        return (T) s.owners[s.slot(index)];
    }

    /** Moves {@code index} to a new owner if it is still held by {@code expected} (handshake to keypair). */
    public synchronized boolean replace(int index, T expected, T owner) {
        if (lookup(index) != expected || expected == null) {
            return false;
        }
        rebuild(index, owner);
        return true;
    }

    /** Frees {@code index}; true when it was allocated. */
    public synchronized boolean remove(int index) {
        if (lookup(index) == null) {
            return false;
        }
        rebuild(index, null);
        return true;
    }

    /** Frees {@code index} only if still held by {@code owner}. */
    public synchronized boolean remove(int index, T owner) {
        if (owner == null || lookup(index) != owner) {
            return false;
        }
        rebuild(index, null);
        return true;
    }

    /** Number of allocated indices. */
    public synchronized int size() {
        return size;
    }

    /** A new table with {@code index} mapped to {@code owner} (null: removed), then published. */
    private void rebuild(int index, Object owner) {
        Slots old = slots;
        int capacity = 16;
        while (capacity < (size + 1) * 4) {
            capacity <<= 1;
        }
        Slots next = new Slots(capacity);
        int kept = 0;
        for (int i = 0; i < old.keys.length; i++) {
            if (old.owners[i] != null && old.keys[i] != index) {
                int at = next.slot(old.keys[i]);
                next.keys[at] = old.keys[i];
                next.owners[at] = old.owners[i];
                kept++;
            }
        }
        if (owner != null) {
            int at = next.slot(index);
            next.keys[at] = index;
            next.owners[at] = owner;
            kept++;
        }
        size = kept;
        slots = next;
    }
}
