package io.warren.gateway.packet;

/**
 * IANA "Assigned Internet Protocol Numbers" and EtherTypes used by the data path, in one place.
 */
public final class IpProtocols {

    /** IPv6 Hop-by-Hop Options (RFC 8200 §4.3). */
    public static final int HOPOPT = 0;
    /** ICMP for IPv4 (RFC 792). */
    public static final int ICMP = 1;
    /** TCP (RFC 9293). */
    public static final int TCP = 6;
    /** UDP (RFC 768). */
    public static final int UDP = 17;
    /** IPv6 Routing header (RFC 8200 §4.4). */
    public static final int IPV6_ROUTE = 43;
    /** IPv6 Fragment header (RFC 8200 §4.5). */
    public static final int IPV6_FRAG = 44;
    /** GRE (RFC 2784). */
    public static final int GRE = 47;
    /** ICMP for IPv6 (RFC 4443). */
    public static final int ICMPV6 = 58;
    /** IPv6 Destination Options (RFC 8200 §4.6). */
    public static final int IPV6_OPTS = 60;
    /** L2TPv3 over IP (RFC 3931 §4.1.1). */
    public static final int L2TP = 115;
    /** SCTP (RFC 9260). */
    public static final int SCTP = 132;

    /** EtherType IPv4. */
    public static final int ETHERTYPE_IPV4 = 0x0800;
    /** EtherType ARP. */
    public static final int ETHERTYPE_ARP = 0x0806;
    /** EtherType IEEE 802.1Q VLAN tag. */
    public static final int ETHERTYPE_VLAN = 0x8100;
    /** EtherType IEEE 802.1ad service VLAN tag. */
    public static final int ETHERTYPE_QINQ = 0x88A8;
    /** EtherType IPv6. */
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    /** EtherType Transparent Ethernet Bridging (used by GRE, RFC 1701). */
    public static final int ETHERTYPE_TEB = 0x6558;

    private IpProtocols() {
    }
}
