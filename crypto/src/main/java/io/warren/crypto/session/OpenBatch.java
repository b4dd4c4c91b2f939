package io.warren.crypto.session;

import java.nio.ByteBuffer;

/**
 * Data messages admitted by {@link Peer#admit} (receiver index resolved to a keypair, counter
 * read, inside the peer's serialisation) and authenticated later by {@link #openAll}, outside
 * it; {@link Peer#accept} then finishes each one inside it again: the replay window (only after
 * authentication, whitepaper §5.4.6, as wireguard-go), timers, keypair confirmation, staged
 * sends. Each entry holds a reference to its keypair ({@link Keypair#acquire}), so a rotation,
 * expiry or peer removal meanwhile cannot free the cipher under the open; {@code accept} refuses
 * what a keypair destroyed meanwhile opened.
 *
 * <p>Each entry keeps its buffer's bounds: the datagrams of a UDP GRO run are one buffer whose
 * position and limit move. Owned by one thread (the shell's receive thread): fixed arrays,
 * nothing allocated per packet. {@link #clear} releases what {@code accept} did not.
 */
public final class OpenBatch {
    private final ByteBuffer[] buffers;
    private final int[] positions;
    private final int[] limits;
    private final Keypair[] keypairs;
    private final long[] counters;
    private final DropReason[] results;
    private final Object[] tags;
    private final int[] wireLengths;
    private int count;

    public OpenBatch(int capacity) {
        buffers = new ByteBuffer[capacity];
        positions = new int[capacity];
        limits = new int[capacity];
        keypairs = new Keypair[capacity];
        counters = new long[capacity];
        results = new DropReason[capacity];
        tags = new Object[capacity];
        wireLengths = new int[capacity];
    }

    public int size() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public boolean isFull() {
        return count == buffers.length;
    }

    /** Records {@code datagram[position, limit)} for {@code keypair}; the caller took the reference. */
    void add(ByteBuffer datagram, Keypair keypair, long counter, Object tag) {
        buffers[count] = datagram;
        positions[count] = datagram.position();
        limits[count] = datagram.limit();
        keypairs[count] = keypair;
        counters[count] = counter;
        results[count] = null;
        tags[count] = tag;
        wireLengths[count] = datagram.remaining();
        count++;
    }

    /**
     * Authenticates and decrypts every entry in place (outside the peer's serialisation): the
     * expensive half of {@link Peer#decapsulate}. A cipher failure (a native error, never bad
     * input) counts as a failed authentication.
     */
    public void openAll(long now) {
        for (int k = 0; k < count; k++) {
            ByteBuffer b = buffers[k];
            b.limit(limits[k]).position(positions[k]);
            try {
                results[k] = TransportData.openInPlace(keypairs[k], b, now);
            } catch (IllegalStateException e) {
                b.limit(limits[k]).position(positions[k]);
                results[k] = DropReason.AUTHENTICATION_FAILED;
            }
            if (results[k] == null) {
                positions[k] = b.position();
                limits[k] = b.limit();
            }
        }
    }

    /** Entry {@code k}'s tag, as given to {@link Peer#admit} (the shell's peer). */
    public Object tag(int k) {
        return tags[k];
    }

    /** Entry {@code k}'s datagram length on the wire (for byte counters). */
    public int wireLength(int k) {
        return wireLengths[k];
    }

    Keypair keypair(int k) {
        return keypairs[k];
    }

    long counter(int k) {
        return counters[k];
    }

    DropReason result(int k) {
        return results[k];
    }

    /** Entry {@code k}'s buffer with its bounds restored: after {@link #openAll}, the plaintext. */
    ByteBuffer buffer(int k) {
        ByteBuffer b = buffers[k];
        return b.limit(limits[k]).position(positions[k]);
    }

    /** Releases entry {@code k}'s keypair reference (once). */
    void release(int k) {
        Keypair kp = keypairs[k];
        if (kp != null) {
            keypairs[k] = null;
            kp.release();
        }
    }

    /** Forgets every entry, releasing the references {@link Peer#accept} did not. */
    public void clear() {
        for (int k = 0; k < count; k++) {
            release(k);
            buffers[k] = null;
            tags[k] = null;
        }
        count = 0;
    }
}
