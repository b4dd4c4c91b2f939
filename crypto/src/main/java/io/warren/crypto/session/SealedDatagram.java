package io.warren.crypto.session;

import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The one-element datagram list of the common {@link Peer#encapsulate} result, owned by the
 * {@link Peer} and refilled on each call, so sealing a packet allocates nothing. Read-only to
 * callers; valid until the next {@code encapsulate} on the same peer.
 */
final class SealedDatagram extends AbstractList<ByteBuffer> implements RandomAccess {
    private ByteBuffer datagram;

    void set(ByteBuffer d) {
        this.datagram = d;
    }

    @Override
    public ByteBuffer get(int index) {
        if (index != 0) {
            throw new IndexOutOfBoundsException(index);
        }
        return datagram;
    }

    @Override
    public int size() {
        return 1;
    }
}
