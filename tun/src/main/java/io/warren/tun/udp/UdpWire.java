package io.warren.tun.udp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The receive-side socket ABI (Linux x86_64/arm64) read from native memory seen as a
 * {@link ByteBuffer}: {@code struct sockaddr_in} (16 bytes: family in host order at 0, port at 2
 * and address at 4 in network order), {@code struct sockaddr_in6} (28 bytes: family, port,
 * flow info at 4, address at 8, scope id in host order at 24) and the control messages of
 * {@code recvmsg(2)} ({@code struct cmsghdr}: {@code cmsg_len} u64 at 0, level s32 at 8, type s32
 * at 12, data at 16; each message padded to 8 bytes, {@code CMSG_ALIGN}). Sans-I/O and
 * allocation-free; anything malformed is reported, never thrown.
 */
public final class UdpWire {
    public static final int SOCKADDR_IN = 16;
    public static final int SOCKADDR_IN6 = 28;
    /** {@code sizeof(struct cmsghdr)}: the data of a control message starts here. */
    public static final int CMSG_HDR = 16;
    /** {@link #groSegmentSize}: the control data is not a well-formed cmsg list. */
    public static final int MALFORMED = -1;

    private UdpWire() {
    }

    /**
     * Reads the socket address at {@code buf[offset, offset + namelen)} (as {@code recvmmsg} left
     * it: {@code namelen} is the length the kernel reported) into {@code into}.
     *
     * @return false (and {@code into} unchanged) unless it is a whole IPv4 or IPv6 address
     */
    public static boolean parseSource(ByteBuffer buf, int offset, int namelen, UdpSource into) {
        if (namelen < 2 || offset < 0 || offset + namelen > buf.limit()) {
            return false;
        }
        int family = host16(buf, offset);
        int port = ((buf.get(offset + 2) & 0xff) << 8) | (buf.get(offset + 3) & 0xff);
        if (family == UdpLibC.AF_INET && namelen >= SOCKADDR_IN) {
            into.set(0, UdpEndpoint.V4_MAPPED | (be32(buf, offset + 4) & 0xffff_ffffL), port, 0);
            return true;
        }
        if (family == UdpLibC.AF_INET6 && namelen >= SOCKADDR_IN6) {
            long hi = be64(buf, offset + 8);
            long lo = be64(buf, offset + 16);
            int scope = hostInt(buf, offset + 24);
            into.set(hi, lo, port, hi == 0 && (lo >>> 32) == 0xffff ? 0 : scope);
            return true;
        }
        return false;
    }

    /**
     * The segment size of a UDP GRO receive: the {@code SOL_UDP}/{@code UDP_GRO} control message
     * (an int, {@code udp_cmsg_recv}) in {@code buf[offset, offset + controllen)}.
     *
     * @return the segment size; 0 when there is none (a plain datagram); {@link #MALFORMED} when a
     *         header is cut short or overruns the data, or the segment size is not positive
     */
    public static int groSegmentSize(ByteBuffer buf, int offset, int controllen) {
        if (controllen < 0 || offset < 0 || offset + controllen > buf.limit()) {
            return MALFORMED;
        }
        int segment = 0;
        int at = 0;
        while (controllen - at >= CMSG_HDR) {
            long len = hostLong(buf, offset + at);
            if (len < CMSG_HDR || len > controllen - at) {
                return MALFORMED;
            }
            int level = hostInt(buf, offset + at + 8);
            int type = hostInt(buf, offset + at + 12);
            if (level == UdpLibC.SOL_UDP && type == UdpLibC.UDP_GRO) {
                if (len < CMSG_HDR + 4) {
                    return MALFORMED;
                }
                segment = hostInt(buf, offset + at + CMSG_HDR);
                if (segment <= 0) {
                    return MALFORMED;
                }
            }
            at += (int) ((len + 7) & ~7L);
        }
        return segment; // a tail shorter than a header holds no message

    }

    private static boolean native_(ByteBuffer buf) {
        return buf.order() == ByteOrder.nativeOrder();
    }

    private static int host16(ByteBuffer buf, int at) {
        short v = buf.getShort(at);
        return (buf.order() == ByteOrder.nativeOrder() ? v : Short.reverseBytes(v)) & 0xffff;
    }

    private static int hostInt(ByteBuffer buf, int at) {
        int v = buf.getInt(at);
        return native_(buf) ? v : Integer.reverseBytes(v);
    }

    private static long hostLong(ByteBuffer buf, int at) {
        long v = buf.getLong(at);
        return native_(buf) ? v : Long.reverseBytes(v);
    }

    private static int be32(ByteBuffer buf, int at) {
        int v = buf.getInt(at);
        return buf.order() == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v);
    }

    private static long be64(ByteBuffer buf, int at) {
        long v = buf.getLong(at);
        return buf.order() == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
    }
}
