package io.warren.gateway.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A listener for datagrams that share the WireGuard port but are not WireGuard (STUN binding
 * responses, RFC 8489 §5, which a NAT-traversal component sends from this port because the NAT
 * mapping of this port is the one that matters).
 *
 * <p>Called on the event loop for every received datagram before WireGuard processing, outside the
 * interface's lock; it must be quick and must not throw. The buffer is only valid during the call
 * (the caller releases it afterwards): copy what must be kept.
 */
@FunctionalInterface
public interface DatagramTap {
    /**
     * @param datagram the datagram, {@code [position, limit)}; do not change position or limit
     * @param sender   where it came from
     * @return true when the tap consumed it (WireGuard does not see it), false to pass it on
     */
    boolean offer(ByteBuffer datagram, InetSocketAddress sender);
}
