package io.warren.gateway.transport;

import io.warren.crypto.primitives.NoisePublicKey;
import java.nio.ByteBuffer;

/**
 * A listener on the decrypted inner packets of an interface: {@link #offer} takes the packets
 * meant for the gateway itself rather than the TUN (Warren's hub coordination messages), and
 * {@link #delivered} sees the packets that passed cryptokey routing on their way to the TUN.
 *
 * <p>{@code from} is the peer whose session decrypted the packet: the session proves which peer
 * sent the datagram, not who built the inner IP header (a peer forwards packets from its LAN, and
 * may put any source in a header it builds). Whoever needs more checks the header itself (the
 * coordination codec requires TTL / hop limit 255, RFC 5082).
 *
 * <p>Called on the interface's receive thread UNDER the interface's lock: it must be quick, must
 * not throw and must not call back into the interface. The buffer is only valid during the call:
 * copy what must be kept.
 */
@FunctionalInterface
public interface InnerTap {
    /**
     * Every decrypted packet, BEFORE the allowed-IPs source check (WireGuard whitepaper §2:
     * cryptokey routing): a packet the tap consumes is addressed to the gateway, not routed.
     *
     * @return true when the tap consumed the packet (it is not written to the TUN)
     */
    boolean offer(NoisePublicKey from, ByteBuffer packet);

    /**
     * A packet not consumed by {@link #offer} whose source passed the allowed-IPs check of
     * {@code from}, just before it is written to the TUN; packets dropped for a disallowed source
     * never get here.
     */
    default void delivered(NoisePublicKey from, ByteBuffer packet) {
    }
}
