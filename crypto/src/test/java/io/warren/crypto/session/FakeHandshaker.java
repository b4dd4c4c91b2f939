package io.warren.crypto.session;

import io.warren.crypto.noise.SessionKeys;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * An in-memory stand-in for the Noise handshake, enough to drive {@link Peer}'s state machine:
 * the initiation carries a seed from which both sides derive the same two transport keys. Not
 * cryptography; tests of the real handshake live in {@code io.warren.crypto.noise}.
 */
final class FakeHandshaker implements Handshaker {
    private final SplittableRandom seeds;
    private long pendingSeed;
    private int pendingIndex;
    private boolean pending;
    int initiationsCreated;
    int cleared;

    FakeHandshaker(long seed) {
        this.seeds = new SplittableRandom(seed);
    }

    private static byte[] key(long seed, int which) {
        byte[] k = new byte[32];
        new SplittableRandom(seed * 31 + which).nextBytes(k);
        return k;
    }

    @Override
    public ByteBuffer createInitiation(int localIndex, long now, long wallNanos) {
        initiationsCreated++;
        pendingSeed = seeds.nextLong() | 1;
        pendingIndex = localIndex;
        pending = true;
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(Constants.MESSAGE_HANDSHAKE_INITIATION).putInt(localIndex).putLong(pendingSeed).putLong(wallNanos);
        return b.flip();
    }

    @Override
    public Outcome consume(ByteBuffer datagram, int localIndex, long now) {
        ByteBuffer b = datagram.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int type = b.remaining() >= 4 ? b.getInt() : -1;
        if (type == Constants.MESSAGE_HANDSHAKE_INITIATION && b.remaining() == 20) {
            int initiatorIndex = b.getInt();
            long seed = b.getLong();
            ByteBuffer response = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
            response.putInt(Constants.MESSAGE_HANDSHAKE_RESPONSE).putInt(localIndex).putInt(initiatorIndex).putLong(seed);
            pending = false;
            return new Established(new SessionKeys(key(seed, 2), key(seed, 1), localIndex, initiatorIndex, false),
                    response.flip());
        }
        if (type == Constants.MESSAGE_HANDSHAKE_RESPONSE && b.remaining() == 16) {
            int responderIndex = b.getInt();
            int receiver = b.getInt();
            long seed = b.getLong();
            if (!pending || receiver != pendingIndex || seed != pendingSeed) {
                return new Rejected(DropReason.HANDSHAKE_REJECTED);
            }
            pending = false;
            return new Established(new SessionKeys(key(seed, 1), key(seed, 2), pendingIndex, responderIndex, true), null);
        }
        if (type == Constants.MESSAGE_HANDSHAKE_COOKIE && b.remaining() == 60) {
            return new CookieAccepted();
        }
        return new Rejected(DropReason.HANDSHAKE_REJECTED);
    }

    @Override
    public void clear() {
        pending = false;
        cleared++;
    }
}
