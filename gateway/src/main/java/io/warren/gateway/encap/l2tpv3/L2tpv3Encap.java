package io.warren.gateway.encap.l2tpv3;

/** Transport of L2TPv3 data messages (RFC 3931 §4.1); Linux {@code encap ip | udp}. */
public enum L2tpv3Encap {
    /** Directly over IP, protocol 115: the header starts with the Session ID. */
    IP,
    /** Over UDP: a 4-byte T/Ver/Reserved word, then the Session ID. */
    UDP
}
