package io.warren.gateway.dns;

/** How a message travels: UDP datagrams or length-prefixed TCP frames (RFC 1035 §4.2). */
public enum Transport {
    UDP,
    TCP
}
