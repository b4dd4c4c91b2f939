package io.warren.gateway.dhcp;

/**
 * Where a server reply goes, RFC 2131 §4.1 ("If the 'giaddr' field in a DHCP message from a client
 * is non-zero ..."), and §4.3.5 for DHCPINFORM:
 * <ol>
 *   <li>giaddr non-zero: to the relay agent, giaddr port 67 (a DHCPNAK gets the BROADCAST bit so
 *       the relay broadcasts it);</li>
 *   <li>else a DHCPNAK: limited broadcast;</li>
 *   <li>else ciaddr non-zero and the address acknowledged (or an INFORM): unicast to ciaddr port 68;</li>
 *   <li>else the BROADCAST bit set: limited broadcast;</li>
 *   <li>else RFC 2131 lets the server unicast to yiaddr at chaddr, which needs an ARP entry written
 *       into the kernel first. Warren broadcasts instead, as the RFC allows a server that cannot
 *       unicast: every client accepts a broadcast reply, it works in any namespace without
 *       SIOCSARP, and the shell sends it out of the receiving interface only.</li>
 * </ol>
 */
final class ReplyRouting {

    private ReplyRouting() {
    }

    /**
     * @param yiaddr the reply's yiaddr: ciaddr is used only when it is the address being acknowledged
     *               (a renewal) or for INFORM (yiaddr 0, whose ciaddr the core has checked). ciaddr is
     *               0 in DISCOVER and in SELECTING and INIT-REBOOT requests (RFC 2131 §4.3.1 Table 5,
     *               §4.3.2); a client setting it there must not steer the reply to another host.
     */
    static DhcpDestination destination(DhcpMessage request, boolean nak, int yiaddr) {
        if (request.giaddr() != 0) {
            return new DhcpDestination(request.giaddr(), DhcpWire.SERVER_PORT, false);
        }
        if (nak) {
            return DhcpDestination.BROADCAST;
        }
        if (request.ciaddr() != 0 && (yiaddr == 0 || yiaddr == request.ciaddr())) {
            return new DhcpDestination(request.ciaddr(), DhcpWire.CLIENT_PORT, false);
        }
        return DhcpDestination.BROADCAST;
    }

    /** The flags of the reply: the client's, plus BROADCAST for a NAK through a relay (RFC 2131 §4.3.2). */
    static int replyFlags(DhcpMessage request, boolean nak) {
        return nak && request.giaddr() != 0 ? request.flags() | DhcpWire.FLAG_BROADCAST : request.flags();
    }
}
