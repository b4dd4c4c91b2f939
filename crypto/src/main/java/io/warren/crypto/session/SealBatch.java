package io.warren.crypto.session;

import java.nio.ByteBuffer;

/**
 * Packets whose send was reserved by {@link Peer#reserve} (keypair chosen, counter taken,
 * padding written, timers run: the cheap state work, inside the peer's serialisation) and whose
 * AEAD runs later, outside it, in {@link #sealAll}: the split that lets a shell seal on several
 * threads while one lock guards the peers (wireguard-go's send queue and encryption workers, in
 * one thread's batch). Each entry holds a reference to its keypair ({@link Keypair#acquire}), so
 * a rekey, expiry or peer removal meanwhile cannot free the cipher under the seal; the datagram
 * still leaves (sealed with the key it was reserved on, as in wireguard-go).
 *
 * <p>Datagrams sealed with counters reserved under the lock may leave in another order than
 * their counters when two threads send for one peer: the receiver's replay window
 * ({@value ReplayWindow#WINDOW_SIZE} counters) accepts that (whitepaper §5.4.6).
 *
 * <p>Owned by one thread (the shell's TUN reader): fixed arrays, nothing allocated per packet.
 * Every entry is sealed or released by {@link #sealAll} (also when it throws) and forgotten by
 * {@link #clear}.
 */
public final class SealBatch {
    private final int lane;
    private final ByteBuffer[] buffers;
    private final Keypair[] keypairs;
    private final long[] counters;
    private final int[] slots;
    private final Object[] tags;
    private final boolean[] sealed;
    private int count;

    /**
     * @param capacity entries per batch
     * @param lane     which sending slot of each keypair this thread tries first (its queue index)
     */
    public SealBatch(int capacity, int lane) {
        this.lane = lane;
        buffers = new ByteBuffer[capacity];
        keypairs = new Keypair[capacity];
        counters = new long[capacity];
        slots = new int[capacity];
        tags = new Object[capacity];
        sealed = new boolean[capacity];
    }

    public int size() {
        return count;
    }

    boolean isFull() {
        return count == buffers.length;
    }

    /** Records a reserved packet; the caller took the keypair reference. */
    void add(ByteBuffer buf, Keypair keypair, long counter, int slot, Object tag) {
        buffers[count] = buf;
        keypairs[count] = keypair;
        counters[count] = counter;
        slots[count] = slot;
        tags[count] = tag;
        sealed[count] = false;
        count++;
    }

    /**
     * Seals every entry in place (outside the peer's serialisation) and releases its keypair
     * reference. An entry whose cipher failed (a native error; never bad input) is not sealed:
     * {@link #sealed} says so and the shell drops it.
     */
    public void sealAll() {
        for (int k = 0; k < count; k++) {
            Keypair keypair = keypairs[k];
            keypairs[k] = null;
            try {
                TransportData.sealPadded(keypair, counters[k], buffers[k], lane);
                sealed[k] = true;
            } catch (IllegalStateException e) {
                sealed[k] = false;
            } finally {
                keypair.release();
            }
        }
    }

    /** Entry {@code k}'s buffer: after {@link #sealAll}, the whole datagram {@code [position, limit)}. */
    public ByteBuffer buffer(int k) {
        return buffers[k];
    }

    /** Entry {@code k}'s index in the caller's batch, as given to {@link Peer#reserve}. */
    public int slot(int k) {
        return slots[k];
    }

    /** Entry {@code k}'s tag, as given to {@link Peer#reserve} (the shell's peer). */
    public Object tag(int k) {
        return tags[k];
    }

    /** Whether {@link #sealAll} sealed entry {@code k}. */
    public boolean sealed(int k) {
        return sealed[k];
    }

    /** Forgets every entry, releasing the references of entries not sealed yet. */
    public void clear() {
        for (int k = 0; k < count; k++) {
            if (keypairs[k] != null) {
                keypairs[k].release();
                keypairs[k] = null;
            }
            buffers[k] = null;
            tags[k] = null;
        }
        count = 0;
    }
}
