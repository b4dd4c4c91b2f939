package io.warren.crypto.noise;

import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local session indices (whitepaper §5.4.2, {@code I_i}/{@code I_r}): random 32-bit values chosen
 * without collision, each mapped to its owner (a handshake or keypair). Indices are meant to be
 * unpredictable, so they come from the caller's {@link SecureRandom}.
 *
 * <p>Thread-safe (a concurrent map): the receive path looks indices up while handshakes allocate.
 *
 * @param <T> the owner type
 */
public final class IndexTable<T> {
    private final ConcurrentHashMap<Integer, T> table = new ConcurrentHashMap<>();

    /** Allocates a fresh random index for {@code owner}, retrying on collision. */
    public int allocate(T owner, SecureRandom rnd) {
        while (true) {
            int index = rnd.nextInt();
            if (table.putIfAbsent(index, owner) == null) {
                return index;
            }
        }
    }

    /** The owner of {@code index}, or {@code null}. */
    public T lookup(int index) {
        return table.get(index);
    }

    /** Moves {@code index} to a new owner if it is still held by {@code expected} (handshake to keypair). */
    public boolean replace(int index, T expected, T owner) {
        return table.replace(index, expected, owner);
    }

    /** Frees {@code index}; true when it was allocated. */
    public boolean remove(int index) {
        return table.remove(index) != null;
    }

    /** Frees {@code index} only if still held by {@code owner}. */
    public boolean remove(int index, T owner) {
        return table.remove(index, owner);
    }

    /** Number of allocated indices. */
    public int size() {
        return table.size();
    }
}
