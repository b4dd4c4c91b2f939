package io.warren.gateway.tunnel;

/**
 * Socket buffer sizes of the tunnels' underlay sockets (GRE raw and GRE-in-UDP, the shared VXLAN
 * and L2TPv3 ports), in one place.
 *
 * <p>The receive buffer is where a standing queue can build under load when the receiving
 * gateway is the slower end: a TCP flow through the tunnel fills what that socket holds. Measured on
 * the bench topology (issue #9, {@code ss -m} while iperf3 ran): the receiving gateway's VXLAN
 * socket held 0.9-1.5 MB, and the ping's time across it was most of its round trip; for L3 GRE
 * the ping waited mostly in the sending gateway's TUN queue instead. A smaller buffer trades
 * throughput for latency there (512 KB: VXLAN ping under load about half, TCP about 13% lower, with
 * datagram drops; GRE: no clear gain), so the default stays 4 MB; {@code -Dwarren.underlay-rcvbuf}
 * sets another size (bytes). The send buffer holds no standing queue (sends leave for the device at
 * once).
 */
public final class UnderlayBuffers {
    /** {@code SO_RCVBUF} of the underlay sockets ({@code -Dwarren.underlay-rcvbuf}, bytes). */
    public static final int RECEIVE = Integer.getInteger("warren.underlay-rcvbuf", 4 << 20);
    /** {@code SO_SNDBUF} of the underlay sockets. */
    public static final int SEND = 4 << 20;

    private UnderlayBuffers() {
    }
}
