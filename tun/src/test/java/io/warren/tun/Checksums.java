package io.warren.tun;

import java.nio.ByteBuffer;

/** The Internet checksum (RFC 1071) and the ICMPv6 pseudo-header sum (RFC 8200 section 8.1). */
final class Checksums {
    private Checksums() {
    }

    /** One's-complement checksum of {@code len} bytes at absolute {@code off}, plus {@code initial}. */
    static int internet(ByteBuffer b, int off, int len, long initial) {
        return fold(sum(b, off, len, initial));
    }

    /** ICMPv6 checksum over the pseudo-header of the IPv6 header at {@code ip} and the payload. */
    static int icmpv6(ByteBuffer b, int ip, int payloadLen) {
        long s = sum(b, ip + 8, 32, 0);
        s += payloadLen;
        s += 58;
        return fold(sum(b, ip + 40, payloadLen, s));
    }

    /** UDP over IPv4 checksum (RFC 768), 0 transmitted as 0xffff. */
    static int udpIpv4(ByteBuffer b, int ip, int ihl) {
        int udpLen = b.getShort(ip + ihl + 4) & 0xffff;
        long s = sum(b, ip + 12, 8, 0) + 17 + udpLen;
        int c = fold(sum(b, ip + ihl, udpLen, s));
        return c == 0 ? 0xffff : c;
    }

    private static long sum(ByteBuffer b, int off, int len, long initial) {
        long s = initial;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            s += ((b.get(off + i) & 0xff) << 8) | (b.get(off + i + 1) & 0xff);
        }
        if (i < len) {
            s += (b.get(off + i) & 0xff) << 8;
        }
        return s;
    }

    private static int fold(long s) {
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }
}
