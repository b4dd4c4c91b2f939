package io.warren.gateway.packet;

import io.netty.buffer.ByteBuf;

/**
 * Accessors for an IPv4 header (RFC 791 §3.1) at an absolute index of a {@link ByteBuf}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |Version|  IHL  |Type of Service|          Total Length         |
 * |         Identification        |Flags|      Fragment Offset    |
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 * |                    Options                    |    Padding    |
 * </pre>
 *
 * Getters do no bounds checks beyond Netty's own; call {@link #check} first on untrusted input.
 */
public final class Ipv4Header {

    /** Length of a header without options. */
    public static final int MIN_LENGTH = 20;
    /** Largest header: IHL 15. */
    public static final int MAX_LENGTH = 60;
    /** Flag bit "Don't Fragment" in the flags/fragment-offset word. */
    public static final int FLAG_DF = 0x4000;
    /** Flag bit "More Fragments". */
    public static final int FLAG_MF = 0x2000;
    /** Mask of the fragment offset (in 8-byte units). */
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;
    /** Smallest MTU every IPv4 link must carry (RFC 791 §3.2). */
    public static final int MIN_MTU = 68;

    static final int OFF_TOTAL_LENGTH = 2;
    static final int OFF_IDENTIFICATION = 4;
    static final int OFF_FLAGS_FRAGMENT = 6;
    static final int OFF_TTL = 8;
    static final int OFF_PROTOCOL = 9;
    static final int OFF_CHECKSUM = 10;
    static final int OFF_SOURCE = 12;
    static final int OFF_DESTINATION = 16;

    private Ipv4Header() {
    }

    /**
     * Validates the header at {@code index}: version 4, IHL at least 5, total length covering the
     * header and present in the buffer, header checksum correct. Never throws.
     */
    public static IpCheck check(ByteBuf buf, int index) {
        int available = buf.writerIndex() - index;
        if (index < 0 || available < MIN_LENGTH) {
            return IpCheck.TRUNCATED;
        }
        if (version(buf, index) != 4) {
            return IpCheck.BAD_VERSION;
        }
        int headerLength = headerLength(buf, index);
        if (headerLength < MIN_LENGTH) {
            return IpCheck.BAD_HEADER_LENGTH;
        }
        if (available < headerLength) {
            return IpCheck.TRUNCATED;
        }
        int totalLength = totalLength(buf, index);
        if (totalLength < headerLength) {
            return IpCheck.BAD_TOTAL_LENGTH;
        }
        if (available < totalLength) {
            return IpCheck.TRUNCATED;
        }
        if (InetChecksum.compute(buf, index, headerLength) != 0) {
            return IpCheck.BAD_CHECKSUM;
        }
        return IpCheck.VALID;
    }

    /** The version nibble (4 for IPv4, 6 for IPv6): works for both families. */
    public static int version(ByteBuf buf, int index) {
        return buf.getUnsignedByte(index) >>> 4;
    }

    /** IHL times four: the header length in bytes. */
    public static int headerLength(ByteBuf buf, int index) {
        return (buf.getUnsignedByte(index) & 0x0F) * 4;
    }

    /** Type of Service / DSCP+ECN byte (RFC 2474, RFC 3168). */
    public static int tos(ByteBuf buf, int index) {
        return buf.getUnsignedByte(index + 1);
    }

    /** Total Length: header plus data, in bytes. */
    public static int totalLength(ByteBuf buf, int index) {
        return buf.getUnsignedShort(index + OFF_TOTAL_LENGTH);
    }

    /** Identification. */
    public static int identification(ByteBuf buf, int index) {
        return buf.getUnsignedShort(index + OFF_IDENTIFICATION);
    }

    /** The whole flags / fragment-offset word. */
    public static int flagsAndFragmentOffset(ByteBuf buf, int index) {
        return buf.getUnsignedShort(index + OFF_FLAGS_FRAGMENT);
    }

    /** True when the Don't Fragment bit is set. */
    public static boolean dontFragment(ByteBuf buf, int index) {
        return (flagsAndFragmentOffset(buf, index) & FLAG_DF) != 0;
    }

    /** True when the More Fragments bit is set. */
    public static boolean moreFragments(ByteBuf buf, int index) {
        return (flagsAndFragmentOffset(buf, index) & FLAG_MF) != 0;
    }

    /** Fragment offset in bytes (the field counts 8-byte units). */
    public static int fragmentOffset(ByteBuf buf, int index) {
        return (flagsAndFragmentOffset(buf, index) & FRAGMENT_OFFSET_MASK) * 8;
    }

    /** Time to Live. */
    public static int ttl(ByteBuf buf, int index) {
        return buf.getUnsignedByte(index + OFF_TTL);
    }

    /** Protocol of the payload (see {@link IpProtocols}). */
    public static int protocol(ByteBuf buf, int index) {
        return buf.getUnsignedByte(index + OFF_PROTOCOL);
    }

    /** Header Checksum field. */
    public static int headerChecksum(ByteBuf buf, int index) {
        return buf.getUnsignedShort(index + OFF_CHECKSUM);
    }

    /** Source address as a big-endian int. */
    public static int source(ByteBuf buf, int index) {
        return buf.getInt(index + OFF_SOURCE);
    }

    /** Destination address as a big-endian int. */
    public static int destination(ByteBuf buf, int index) {
        return buf.getInt(index + OFF_DESTINATION);
    }

    /** Sets the Total Length field (checksum not updated). */
    public static void setTotalLength(ByteBuf buf, int index, int totalLength) {
        buf.setShort(index + OFF_TOTAL_LENGTH, totalLength);
    }

    /** Recomputes and stores the header checksum over the header at {@code index}. */
    public static void updateHeaderChecksum(ByteBuf buf, int index) {
        buf.setShort(index + OFF_CHECKSUM, 0);
        buf.setShort(index + OFF_CHECKSUM, InetChecksum.compute(buf, index, headerLength(buf, index)));
    }

    /** Partial checksum sum of the TCP/UDP pseudo-header (RFC 9293 §3.1, RFC 768). */
    public static long pseudoHeaderSum(ByteBuf buf, int index, int protocol, int upperLength) {
        long acc = InetChecksum.add32(0, source(buf, index));
        acc = InetChecksum.add32(acc, destination(buf, index));
        return acc + protocol + upperLength;
    }
}
