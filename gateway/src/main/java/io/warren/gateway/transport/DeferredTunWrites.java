package io.warren.gateway.transport;

import java.nio.ByteBuffer;

/**
 * The decrypted packets of one receive batch, recorded under the interface's lock and written to
 * the TUN device, in order, after it is released (no TUN write under the lock: the kernel may
 * answer inside the write, and the TUN reader must not find the lock held then). Each entry is a
 * buffer with its bounds, since the datagrams of a GRO run are one buffer whose position and limit
 * move: the bytes stay valid until the next {@code recvmmsg}, which the receive loop only calls
 * after {@link #drain}. Fixed arrays, so recording allocates nothing; receive thread only.
 */
final class DeferredTunWrites {
    /** Takes one recorded packet, {@code [position, limit)} of its buffer. */
    @FunctionalInterface
    interface Writer {
        void write(ByteBuffer packet, WgPeer peer);
    }

    private final ByteBuffer[] buffers;
    private final int[] positions;
    private final int[] limits;
    private final WgPeer[] peers;
    private int count;

    DeferredTunWrites(int capacity) {
        buffers = new ByteBuffer[capacity];
        positions = new int[capacity];
        limits = new int[capacity];
        peers = new WgPeer[capacity];
    }

    boolean isFull() {
        return count == buffers.length;
    }

    int size() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Records {@code packet[position, limit)} for {@code peer}; false (nothing kept) when full. */
    boolean add(ByteBuffer packet, WgPeer peer) {
        if (count == buffers.length) {
            return false;
        }
        buffers[count] = packet;
        positions[count] = packet.position();
        limits[count] = packet.limit();
        peers[count] = peer;
        count++;
        return true;
    }

    /**
     * Hands every recorded packet to {@code writer} in the order recorded, its buffer's bounds
     * restored first, and forgets them (also when the writer throws: the rest are dropped).
     */
    void drain(Writer writer) {
        int n = count;
        count = 0;
        try {
            for (int i = 0; i < n; i++) {
                ByteBuffer b = buffers[i];
                b.limit(limits[i]).position(positions[i]); // limit first: positions[i] <= limits[i]
                writer.write(b, peers[i]);
            }
        } finally {
            for (int i = 0; i < n; i++) {
                buffers[i] = null;
                peers[i] = null;
            }
        }
    }
}
