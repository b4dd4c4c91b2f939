package io.warren.gateway.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Builds the two "packet too big" ICMP errors a tunnel gateway sends when a packet does not fit
 * the tunnel MTU: ICMPv4 Destination Unreachable / Fragmentation Needed with the next-hop MTU
 * (RFC 792, RFC 1191 §4) and ICMPv6 Packet Too Big (RFC 4443 §3.2).
 *
 * <p>The offending packet is read from its readerIndex and left untouched. The rules for when an
 * error must not be sent are applied first and reported as {@link IcmpErrorResult.Suppressed}.
 */
public final class IcmpErrors {

    /** ICMPv4 type Destination Unreachable. */
    public static final int ICMP_DEST_UNREACH = 3;
    /** ICMPv4 code "fragmentation needed and DF set". */
    public static final int ICMP_FRAG_NEEDED = 4;
    /** ICMPv6 type Packet Too Big. */
    public static final int ICMPV6_PACKET_TOO_BIG = 2;
    /** ICMPv6 type Redirect (RFC 4861 §4.5): never answered with an error (RFC 4443 §2.4 (e.2)). */
    static final int ICMPV6_REDIRECT = 137;
    /**
     * An ICMPv4 error carries as much of the original datagram as fits in 576 bytes
     * (RFC 1812 §4.3.2.3), which is more than the header + 64 bits RFC 792 requires.
     */
    public static final int ICMPV4_MAX_ERROR_LENGTH = 576;
    /** Type of Service of generated errors: precedence Internetwork Control (RFC 1812 §4.3.2.5). */
    public static final int ICMPV4_ERROR_TOS = 0xC0;
    /** TTL of generated ICMPv4 errors. */
    public static final int ERROR_TTL = 64;
    /** Hop Limit of generated ICMPv6 errors. */
    public static final int ERROR_HOP_LIMIT = 64;

    private static final int ICMP_HEADER = 8;

    private IcmpErrors() {
    }

    /**
     * ICMPv4 type 3 code 4 "fragmentation needed and DF set" with the Next-Hop MTU field of
     * RFC 1191 §4, addressed from {@code gatewayAddress} to the offending packet's source.
     *
     * @param identification Identification of the outer IPv4 header (supplied by the caller)
     */
    public static IcmpErrorResult fragmentationNeeded(ByteBufAllocator alloc, ByteBuf offending,
                                                      int gatewayAddress, int nextHopMtu,
                                                      int identification) {
        int at = offending.readerIndex();
        IpCheck check = Ipv4Header.check(offending, at);
        if (check != IpCheck.VALID) {
            return new IcmpErrorResult.Suppressed(IcmpErrorResult.Reason.MALFORMED);
        }
        if (Ipv4Header.fragmentOffset(offending, at) != 0) {
            return new IcmpErrorResult.Suppressed(IcmpErrorResult.Reason.NON_INITIAL_FRAGMENT);
        }
        if (!isUnicastV4(Ipv4Header.source(offending, at))) {
            return new IcmpErrorResult.Suppressed(IcmpErrorResult.Reason.INVALID_SOURCE);
        }
        if (isMulticastOrBroadcastV4(Ipv4Header.destination(offending, at))) {
            return new IcmpErrorResult.Suppressed(IcmpErrorResult.Reason.INVALID_DESTINATION);
        }
        int ihl = Ipv4Header.headerLength(offending, at);
        int total = Ipv4Header.totalLength(offending, at);
        if (Ipv4Header.protocol(offending, at) == IpProtocols.ICMP) {
            if (total < ihl + 1 || isIcmpV4Error(offending.getUnsignedByte(at + ihl))) {
                return new IcmpErrorResult.Suppressed(IcmpErrorResult.Reason.ICMP_ERROR_MESSAGE);
            }
        }
        int quote = Math.min(total, ICMPV4_MAX_ERROR_LENGTH - Ipv4Header.MIN_LENGTH - ICMP_HEADER);
        int length = Ipv4Header.MIN_LENGTH + ICMP_HEADER + quote;
        ByteBuf out = alloc.buffer(length);
        out.writeByte(0x45);
        out.writeByte(ICMPV4_ERROR_TOS);
        out.writeShort(length);
        out.writeShort(identification);
        out.writeShort(0);
        out.writeByte(ERROR_TTL);
        out.writeByte(IpProtocols.ICMP);
        out.writeShort(0);
        out.writeInt(gatewayAddress);
        out.writeInt(Ipv4Header.source(offending, at));
        int icmpStart = out.writerIndex();
        out.writeByte(ICMP_DEST_UNREACH);
        out.writeByte(ICMP_FRAG_NEEDED);
        out.writeShort(0);
        out.writeShort(0);
        out.writeShort(nextHopMtu);
        out.writeBytes(offending, at, quote);
        out.setShort(icmpStart + 2, InetChecksum.compute(out, icmpStart, ICMP_HEADER + quote));
        Ipv4Header.updateHeaderChecksum(out, 0);
        return new IcmpErrorResult.Built(out);
    }

    /**
     * ICMPv6 Packet Too Big (RFC 4443 §3.2) with the given MTU, carrying as much of the invoking
     * packet as fits without the error exceeding the IPv6 minimum MTU of 1280 bytes. Unlike other
     * errors it is also sent for packets to multicast destinations (RFC 4443 §2.4 (e.3)); never
     * for an ICMPv6 error or Redirect (e.1, e.2).
     *
     * @param gatewayAddress the 16-byte IPv6 source address of the error
     */
    public static IcmpErrorResult packetTooBig(ByteBufAllocator alloc, ByteBuf offending,
                                               byte[] gatewayAddress, int mtu) {
        if (gatewayAddress.length != 16) {
            throw new IllegalArgumentException("IPv6 gateway address must be 16 bytes");
        }
        int at = offending.readerIndex();
        if (Ipv6Header.check(offending, at) != IpCheck.VALID) {
            return new IcmpErrorResult.Suppressed(IcmpErrorResult.Reason.MALFORMED);
        }
        if (Ipv6Header.sourceUnspecified(offending, at) || Ipv6Header.sourceMulticast(offending, at)) {
            return new IcmpErrorResult.Suppressed(IcmpErrorResult.Reason.INVALID_SOURCE);
        }
        if (Ipv6Header.upperLayerProtocol(offending, at) == IpProtocols.ICMPV6) {
            int icmp = Ipv6Header.upperLayerIndex(offending, at);
            int end = at + Ipv6Header.LENGTH + Ipv6Header.payloadLength(offending, at);
            int type = icmp >= end ? -1 : offending.getUnsignedByte(icmp);
            if (type < 128 || type == ICMPV6_REDIRECT) {
                return new IcmpErrorResult.Suppressed(IcmpErrorResult.Reason.ICMP_ERROR_MESSAGE);
            }
        }
        int invoking = Ipv6Header.LENGTH + Ipv6Header.payloadLength(offending, at);
        int quote = Math.min(invoking, Ipv6Header.MIN_MTU - Ipv6Header.LENGTH - ICMP_HEADER);
        int icmpLength = ICMP_HEADER + quote;
        ByteBuf out = alloc.buffer(Ipv6Header.LENGTH + icmpLength);
        out.writeInt(0x60000000);
        out.writeShort(icmpLength);
        out.writeByte(IpProtocols.ICMPV6);
        out.writeByte(ERROR_HOP_LIMIT);
        out.writeBytes(gatewayAddress);
        out.writeBytes(offending, at + Ipv6Header.OFF_SOURCE, 16);
        int icmpStart = out.writerIndex();
        out.writeByte(ICMPV6_PACKET_TOO_BIG);
        out.writeByte(0);
        out.writeShort(0);
        out.writeInt(mtu);
        out.writeBytes(offending, at, quote);
        long acc = Ipv6Header.pseudoHeaderSum(out, 0, IpProtocols.ICMPV6, icmpLength);
        out.setShort(icmpStart + 2, InetChecksum.finish(InetChecksum.sum(out, icmpStart, icmpLength, acc)));
        return new IcmpErrorResult.Built(out);
    }

    /**
     * ICMPv4 error types (RFC 1122 §3.2.2): everything that is not a known query or reply. Errors
     * beyond RFC 792's 3, 4, 5, 11 and 12 exist (31 Conversion Error, RFC 1475; 40 Photuris, RFC
     * 2521), so an unknown type counts as an error, as in Linux's icmp_send.
     */
    static boolean isIcmpV4Error(int type) {
        return switch (type) {
            // Echo (RFC 792), router discovery (RFC 1256), timestamp, information, address mask
            // (RFC 950) and extended echo (RFC 8335) requests and replies.
            case 0, 8, 9, 10, 13, 14, 15, 16, 17, 18, 42, 43 -> false;
            default -> true;
        };
    }

    /**
     * RFC 1122 §3.2.2 / RFC 1812 §4.3.2.7: no error about a datagram sent to a multicast group
     * (224/4) or the limited broadcast address. (A directed broadcast is not known here.)
     */
    static boolean isMulticastOrBroadcastV4(int address) {
        return address >>> 28 == 0xE || address == -1;
    }

    /**
     * An address an ICMP error may be sent to (RFC 1122 §3.2.2, RFC 1812 §4.3.2.7) or from (RFC 1812
     * §4.3.2.4): not 0/8, 127/8, multicast, class E or broadcast.
     */
    public static boolean isUnicastV4(int address) {
        int first = address >>> 24;
        return first != 0 && first != 127 && first < 224;
    }
}
