package io.warren.crypto.session;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The cipher objects of one transport key (one {@link Keypair} direction): {@code n} instances
 * of the same key, each used by one thread at a time. A thread claims a slot with one
 * compare-and-set, starting at its lane (so threads with distinct lanes never meet when there
 * are as many slots as lanes), seals or opens, and releases it; when every slot is busy it spins
 * until one frees (the holder is in the middle of one packet). The claim's CAS and the release's
 * volatile write order each use of an instance after the previous one, whatever the thread
 * (wireguard-go gives each of its crypto workers its own cipher state in the same way).
 *
 * <p>{@link #destroyAll} is called once, by the {@link Keypair}'s last user, when no slot can be
 * claimed any more.
 */
final class AeadSlots {
    private final TransportAead[] aeads;
    private final AtomicIntegerArray busy;

    /** {@code n} instances for {@code key} (not retained). */
    AeadSlots(TransportAeadFactory factory, byte[] key, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("at least one cipher slot");
        }
        aeads = new TransportAead[n];
        busy = new AtomicIntegerArray(n);
        try {
            for (int i = 0; i < n; i++) {
                aeads[i] = factory.create(key);
            }
        } catch (RuntimeException e) {
            destroyAll();
            throw e;
        }
    }

    int size() {
        return aeads.length;
    }

    /** Seals {@code buf} in place with {@code counter} on a slot claimed from {@code lane}. */
    void seal(long counter, ByteBuffer buf, int lane) {
        int slot = claim(lane);
        try {
            aeads[slot].seal(counter, buf);
        } finally {
            busy.set(slot, 0);
        }
    }

    /** Opens {@code buf} in place with {@code counter} on a slot claimed from {@code lane}. */
    boolean open(long counter, ByteBuffer buf, int lane) {
        int slot = claim(lane);
        try {
            return aeads[slot].open(counter, buf);
        } finally {
            busy.set(slot, 0);
        }
    }

    private int claim(int lane) {
        int n = aeads.length;
        int start = Math.floorMod(lane, n);
        while (true) {
            for (int i = 0; i < n; i++) {
                int slot = start + i < n ? start + i : start + i - n;
                if (busy.get(slot) == 0 && busy.compareAndSet(slot, 0, 1)) {
                    return slot;
                }
            }
            Thread.onSpinWait();
        }
    }

    /** Destroys every instance (the keypair's last user, nobody holds a slot). */
    void destroyAll() {
        for (TransportAead a : aeads) {
            if (a != null) {
                a.destroy();
            }
        }
    }
}
