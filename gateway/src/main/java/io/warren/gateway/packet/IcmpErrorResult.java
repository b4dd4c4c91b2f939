package io.warren.gateway.packet;

import io.netty.buffer.ByteBuf;

/** Result of {@link IcmpErrors}: either a built error packet or the reason none may be sent. */
public sealed interface IcmpErrorResult {

    /**
     * A complete IP packet carrying the ICMP error, readable from its readerIndex.
     *
     * @param packet newly allocated; the caller owns it and must release it
     */
    record Built(ByteBuf packet) implements IcmpErrorResult {
    }

    /** No error may be sent for this offending packet. */
    record Suppressed(Reason reason) implements IcmpErrorResult {
    }

    /** Why an ICMP error was not generated (RFC 1122 §3.2.2, RFC 1812 §4.3.2.7, RFC 4443 §2.4). */
    enum Reason {
        /** The offending packet is not a valid IP packet of the expected version. */
        MALFORMED,
        /** The offending packet is itself an ICMP error message, or an ICMPv6 Redirect. */
        ICMP_ERROR_MESSAGE,
        /** The offending packet is a non-initial fragment (IPv4 only). */
        NON_INITIAL_FRAGMENT,
        /** The source does not name a single host (unspecified, multicast, broadcast, loopback, class E). */
        INVALID_SOURCE,
        /** The destination is a multicast group or the limited broadcast address (IPv4 only). */
        INVALID_DESTINATION
    }
}
