package io.warren.gateway.nat;

import io.warren.crypto.primitives.NoisePublicKey;
import io.warren.gateway.uapi.UapiKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The (sender, destination address) flows a hub receives through its tunnel, noted off the
 * decrypted stream so that the hub introduces only spokes that really talk to each other through
 * it. A fixed direct-mapped table: the data path allocates nothing and a flow already noted since the
 * last {@link #drain} costs a hash and four compares; two flows that collide overwrite each other
 * (the loser is noted again by its next packet).
 *
 * <p>Threading: {@link #offer} on the interface's receive thread under its lock (one writer), {@link
 * #drain} on the NAT timer thread; both take this object's monitor for the write (an offer for a
 * flow already noted takes no lock). The packet buffer is read during the call only.
 */
public final class RelayedFlows {
    /** A flow: the authenticated sender and the IPv4 ({@code hi} 0, {@code lo} the address) or IPv6 destination. */
    public record Flow(UapiKey from, int version, long hi, long lo) {
    }

    private static final int SLOTS = 512;

    private final NoisePublicKey[] from = new NoisePublicKey[SLOTS];
    private final long[] hi = new long[SLOTS];
    private final long[] lo = new long[SLOTS];
    private final byte[] version = new byte[SLOTS];
    private final boolean[] fresh = new boolean[SLOTS];

    /** Notes the destination of a decrypted inner packet from {@code sender}; ignores anything not IP. */
    public void offer(NoisePublicKey sender, ByteBuffer packet) {
        int p = packet.position();
        if (!packet.hasRemaining()) {
            return;
        }
        int v = (packet.get(p) & 0xff) >>> 4;
        long h;
        long l;
        if (v == 4 && packet.remaining() >= 20) {
            h = 0;
            l = packet.getInt(p + 16) & 0xffffffffL;
        } else if (v == 6 && packet.remaining() >= 40) {
            h = packet.getLong(p + 24);
            l = packet.getLong(p + 32);
        } else {
            return;
        }
        int slot = mix(System.identityHashCode(sender), h, l) & (SLOTS - 1);
        if (fresh[slot] && from[slot] == sender && hi[slot] == h && lo[slot] == l) {
            return; // noted since the last drain (a racy read at worst notes it once more)
        }
        synchronized (this) {
            from[slot] = sender;
            hi[slot] = h;
            lo[slot] = l;
            version[slot] = (byte) v;
            fresh[slot] = true;
        }
    }

    private static int mix(int sender, long h, long l) {
        long x = sender * 0x9e3779b97f4a7c15L ^ h * 0xc2b2ae3d27d4eb4fL ^ l * 0x165667b19e3779f9L;
        return (int) (x ^ x >>> 29 ^ x >>> 47);
    }

    /** The flows noted since the last call (each once). */
    public synchronized List<Flow> drain() {
        List<Flow> out = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            if (fresh[i]) {
                fresh[i] = false;
                out.add(new Flow(UapiKey.of(from[i].bytes()), version[i], hi[i], lo[i]));
            }
        }
        return out;
    }
}
