package io.warren.gateway.transport;

import io.warren.tun.udp.UdpSource;
import java.nio.ByteBuffer;

/**
 * A listener for datagrams that share the WireGuard port but are not WireGuard (STUN binding
 * responses, RFC 8489 §5, which a NAT-traversal component sends from this port because the NAT
 * mapping of this port is the one that matters).
 *
 * <p>Called on the interface's receive thread for every received datagram before WireGuard
 * processing, possibly with the interface's lock held (a receive batch keeps it from its first
 * WireGuard datagram to its end): it must be quick, must not throw, and must not wait for another
 * thread that may take the interface's lock (STUN's agent does neither). The buffer and the
 * source holder are only valid during the call (both are refilled for the next datagram): copy what
 * must be kept. Ask the source for its address ({@link UdpSource#address()}) only for a datagram
 * the tap takes: the holder builds one only when asked.
 */
@FunctionalInterface
public interface DatagramTap {
    /**
     * @param datagram the datagram, {@code [position, limit)}; do not change position or limit
     * @param sender   where it came from
     * @return true when the tap consumed it (WireGuard does not see it), false to pass it on
     */
    boolean offer(ByteBuffer datagram, UdpSource sender);
}
