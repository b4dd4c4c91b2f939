package io.warren.gateway.l2;

import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;

/**
 * Sizes a TAP device from the underlay: the MTU of the interface that holds the source address the
 * kernel picks for the remote endpoint (a connected UDP socket asks the routing table; nothing is
 * sent), minus the outer headers. Run on a thread in the right network namespace.
 */
final class UnderlayMtu {
    /** Assumed when the underlay interface cannot be found. */
    static final int FALLBACK = 1500;
    /** Outer IPv4 header. */
    static final int IPV4_HEADER = 20;
    /** Outer IPv6 header. */
    static final int IPV6_HEADER = 40;
    /** Outer UDP header. */
    static final int UDP_HEADER = 8;

    private UnderlayMtu() {
    }

    /** The MTU of the interface the kernel would send to {@code remote} from, or {@link #FALLBACK}. */
    static int towards(InetAddress remote) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(remote, 9);
            InetAddress local = s.getLocalAddress();
            NetworkInterface ni = local == null ? null : NetworkInterface.getByInetAddress(local);
            return ni == null ? FALLBACK : ni.getMTU();
        } catch (SocketException e) {
            return FALLBACK;
        } catch (RuntimeException e) {
            return FALLBACK;
        }
    }

    /**
     * Largest Ethernet payload that fits: underlay MTU minus outer IP, UDP (if {@code udp}), the
     * overlay header and the inner Ethernet header (RFC 7348 §4.3: no fragmentation, so the inner MTU
     * must be lowered instead).
     */
    static int payloadMtu(int underlayMtu, InetAddress remote, boolean udp, int overlayHeader) {
        return underlayMtu - overhead(remote, udp, overlayHeader);
    }

    /** The bytes {@link #payloadMtu} takes off: outer IP, UDP (if {@code udp}), overlay and inner Ethernet headers. */
    static int overhead(InetAddress remote, boolean udp, int overlayHeader) {
        int ip = remote instanceof Inet6Address ? IPV6_HEADER : IPV4_HEADER;
        return ip + (udp ? UDP_HEADER : 0) + overlayHeader + L2Switch.ETHERNET_HEADER;
    }

}
