package io.warren.gateway.packet;

import io.netty.buffer.ByteBuf;

/**
 * Accessors for the IPv6 fixed header (RFC 8200 §3) at an absolute index of a {@link ByteBuf}.
 *
 * <pre>
 * |Version| Traffic Class |           Flow Label                  |
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * |                     Source Address (128 bits)                 |
 * |                  Destination Address (128 bits)               |
 * </pre>
 */
public final class Ipv6Header {

    /** Length of the fixed header. */
    public static final int LENGTH = 40;
    /** Minimum link MTU every IPv6 link must carry (RFC 8200 §5). */
    public static final int MIN_MTU = 1280;

    static final int OFF_PAYLOAD_LENGTH = 4;
    static final int OFF_NEXT_HEADER = 6;
    static final int OFF_HOP_LIMIT = 7;
    static final int OFF_SOURCE = 8;
    static final int OFF_DESTINATION = 24;

    private Ipv6Header() {
    }

    /** Validates version 6 and that the buffer holds the header and the whole payload. */
    public static IpCheck check(ByteBuf buf, int index) {
        int available = buf.writerIndex() - index;
        if (index < 0 || available < LENGTH) {
            return IpCheck.TRUNCATED;
        }
        if (Ipv4Header.version(buf, index) != 6) {
            return IpCheck.BAD_VERSION;
        }
        if (available < LENGTH + payloadLength(buf, index)) {
            return IpCheck.TRUNCATED;
        }
        return IpCheck.VALID;
    }

    /** Traffic Class (DSCP + ECN). */
    public static int trafficClass(ByteBuf buf, int index) {
        return (buf.getInt(index) >>> 20) & 0xFF;
    }

    /** Flow Label (20 bits). */
    public static int flowLabel(ByteBuf buf, int index) {
        return buf.getInt(index) & 0xFFFFF;
    }

    /** Payload Length: bytes after the fixed header, extension headers included. */
    public static int payloadLength(ByteBuf buf, int index) {
        return buf.getUnsignedShort(index + OFF_PAYLOAD_LENGTH);
    }

    /** Next Header of the fixed header. */
    public static int nextHeader(ByteBuf buf, int index) {
        return buf.getUnsignedByte(index + OFF_NEXT_HEADER);
    }

    /** Hop Limit. */
    public static int hopLimit(ByteBuf buf, int index) {
        return buf.getUnsignedByte(index + OFF_HOP_LIMIT);
    }

    /** Copies the 16-byte source address into {@code dst}. */
    public static void source(ByteBuf buf, int index, byte[] dst) {
        buf.getBytes(index + OFF_SOURCE, dst, 0, 16);
    }

    /** Copies the 16-byte destination address into {@code dst}. */
    public static void destination(ByteBuf buf, int index, byte[] dst) {
        buf.getBytes(index + OFF_DESTINATION, dst, 0, 16);
    }

    /** True when the source address is the unspecified address {@code ::}. */
    public static boolean sourceUnspecified(ByteBuf buf, int index) {
        return buf.getLong(index + OFF_SOURCE) == 0 && buf.getLong(index + OFF_SOURCE + 8) == 0;
    }

    /** True when the source address is multicast ({@code ff00::/8}). */
    public static boolean sourceMulticast(ByteBuf buf, int index) {
        return buf.getUnsignedByte(index + OFF_SOURCE) == 0xFF;
    }

    /** Partial checksum sum of the upper-layer pseudo-header (RFC 8200 §8.1). */
    public static long pseudoHeaderSum(ByteBuf buf, int index, int nextHeader, int upperLength) {
        long acc = InetChecksum.sum(buf, index + OFF_SOURCE, 32, 0);
        return acc + upperLength + nextHeader;
    }

    /**
     * Walks the Hop-by-Hop, Routing, Destination Options and Fragment extension headers (RFC 8200
     * §4) after the fixed header and returns the absolute index of the upper-layer header, or -1 if
     * the chain is truncated, leaves the payload, or this is a non-first fragment. The upper-layer
     * protocol is then {@link #upperLayerProtocol}.
     */
    public static int upperLayerIndex(ByteBuf buf, int index) {
        long packed = walk(buf, index);
        return packed < 0 ? -1 : (int) (packed >>> 8);
    }

    /** The protocol number found by {@link #upperLayerIndex}, or -1. */
    public static int upperLayerProtocol(ByteBuf buf, int index) {
        long packed = walk(buf, index);
        return packed < 0 ? -1 : (int) (packed & 0xFF);
    }

    private static long walk(ByteBuf buf, int index) {
        int end = Math.min(buf.writerIndex(), index + LENGTH + payloadLength(buf, index));
        int next = nextHeader(buf, index);
        int at = index + LENGTH;
        for (int hops = 0; hops < 16; hops++) {
            switch (next) {
                case IpProtocols.HOPOPT, IpProtocols.IPV6_ROUTE, IpProtocols.IPV6_OPTS -> {
                    if (end - at < 8) {
                        return -1;
                    }
                    int len = (buf.getUnsignedByte(at + 1) + 1) * 8;
                    next = buf.getUnsignedByte(at);
                    at += len;
                }
                case IpProtocols.IPV6_FRAG -> {
                    if (end - at < 8 || (buf.getUnsignedShort(at + 2) & 0xFFF8) != 0) {
                        return -1;
                    }
                    next = buf.getUnsignedByte(at);
                    at += 8;
                }
                default -> {
                    return at > end ? -1 : ((long) at << 8) | next;
                }
            }
        }
        return -1;
    }
}
