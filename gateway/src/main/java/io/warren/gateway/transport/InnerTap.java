package io.warren.gateway.transport;

import io.warren.crypto.primitives.NoisePublicKey;
import java.nio.ByteBuffer;

/**
 * A listener for decrypted inner packets that are meant for the gateway itself rather than the
 * TUN (Warren's hub coordination messages). The WireGuard session authenticated the packet, so
 * {@code from} is the peer that really sent it.
 *
 * <p>Called on the interface's receive thread UNDER the interface's lock, for every decrypted packet before the
 * allowed-IPs source check: it must be quick, must not throw and must not call back into the
 * interface. The buffer is only valid during the call: copy what must be kept.
 */
@FunctionalInterface
public interface InnerTap {
    /** @return true when the tap consumed the packet (it is not written to the TUN) */
    boolean offer(NoisePublicKey from, ByteBuffer packet);
}
