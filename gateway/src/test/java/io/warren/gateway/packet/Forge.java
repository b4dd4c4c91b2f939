package io.warren.gateway.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;

/**
 * A mutable IPv4/IPv6 packet to forge, field by field, for the forgery and property tests. Every
 * field has a non-zero default; {@link #build()} fills the lengths and checksums that were left at
 * -1 with a slow reference computation (RFC 1071 over a byte array), independent of the code under
 * test. The default packet is a TCP SYN with MSS 1460 from 192.0.2.1 to 198.51.100.2 (IPv4) or
 * 2001:db8:0:1::1 to 2001:db8:0:2::2 (IPv6).
 */
final class Forge {
    int version = 4;
    /** The version nibble written, -1 for {@link #version}. */
    int versionNibble = -1;
    /** IPv4: IHL in 32-bit words, -1 to compute from {@link #ipOptions}. */
    int ihl = -1;
    byte[] ipOptions = {};
    /** IPv4 Total Length or IPv6 Payload Length, -1 to compute. */
    int length = -1;
    int flagsWord = 0x4000;
    int ttl = 64;
    int protocol = IpProtocols.TCP;
    /** IPv4 header checksum, -1 to compute. */
    int ipChecksum = -1;
    int src4 = 0xC0000201;
    int dst4 = 0xC6336402;
    byte[] src6 = Bufs.decode("20010db8000000010000000000000001");
    byte[] dst6 = Bufs.decode("20010db8000000020000000000000002");
    /** IPv6 extension headers between the fixed header and {@link #l4}; the first's type is {@link #firstExt}. */
    byte[] ext = {};
    int firstExt = -1;
    /** The upper-layer bytes; for TCP the checksum at 16 is computed when {@link #l4Checksum}. */
    byte[] l4 = tcp(0x12, Bufs.decode("020405b4"), 0);
    boolean l4Checksum = true;

    static Forge v4() {
        return new Forge();
    }

    static Forge v6() {
        Forge f = new Forge();
        f.version = 6;
        return f;
    }

    /** A TCP header (ports 0xa1b2/80, non-zero seq, ack, window, urgent) with these options and data bytes. */
    static byte[] tcp(int flags, byte[] options, int dataLength) {
        int optionsLength = (options.length + 3) & ~3;
        byte[] t = new byte[20 + optionsLength + dataLength];
        byte[] fixed = Bufs.decode("a1b20050010203040506070800000faf00000001");
        System.arraycopy(fixed, 0, t, 0, 20);
        t[12] = (byte) ((5 + optionsLength / 4) << 4);
        t[13] = (byte) flags;
        System.arraycopy(options, 0, t, 20, options.length);
        for (int i = 20 + optionsLength; i < t.length; i++) {
            t[i] = (byte) (i * 7 + 3);
        }
        return t;
    }

    byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] upper = l4.clone();
        if (version == 4) {
            int headerLength = 20 + ipOptions.length;
            byte[] h = new byte[headerLength];
            h[0] = (byte) (0x40 | (ihl >= 0 ? ihl : headerLength / 4));
            h[1] = 0x2c;
            put16(h, 2, length >= 0 ? length : headerLength + upper.length);
            put16(h, 4, 0x1c46);
            put16(h, 6, flagsWord);
            h[8] = (byte) ttl;
            h[9] = (byte) protocol;
            put32(h, 12, src4);
            put32(h, 16, dst4);
            System.arraycopy(ipOptions, 0, h, 20, ipOptions.length);
            put16(h, 10, ipChecksum >= 0 ? ipChecksum : checksum(h, 0, h.length, 0));
            if (l4Checksum && protocol == IpProtocols.TCP && upper.length >= 20) {
                long pseudo = (src4 >>> 16) + (src4 & 0xFFFF) + (dst4 >>> 16) + (dst4 & 0xFFFF) + 6 + upper.length;
                setTcpChecksum(upper, pseudo);
            }
            out.writeBytes(h);
        } else {
            byte[] h = new byte[40];
            put32(h, 0, 0x62cbeef1);
            put16(h, 4, length >= 0 ? length : ext.length + upper.length);
            h[6] = (byte) (ext.length > 0 ? firstExt : protocol);
            h[7] = (byte) ttl;
            System.arraycopy(src6, 0, h, 8, 16);
            System.arraycopy(dst6, 0, h, 24, 16);
            if (l4Checksum && protocol == IpProtocols.TCP && upper.length >= 20) {
                setTcpChecksum(upper, sumOf(h, 8, 32) + 6 + upper.length);
            }
            out.writeBytes(h);
            out.writeBytes(ext);
        }
        out.writeBytes(upper);
        byte[] packet = out.toByteArray();
        if (versionNibble >= 0) {
            packet[0] = (byte) (versionNibble << 4 | packet[0] & 0x0F);
        }
        return packet;
    }

    /** {@link #build()} in a direct buffer whose capacity is exactly the packet: any read past it throws. */
    ByteBuf exact() {
        return exact(build());
    }

    static ByteBuf exact(byte[] bytes) {
        ByteBuf buf = Unpooled.directBuffer(bytes.length, bytes.length);
        buf.writeBytes(bytes);
        return buf;
    }

    private static void setTcpChecksum(byte[] tcp, long pseudo) {
        tcp[16] = 0;
        tcp[17] = 0;
        put16(tcp, 16, checksum(tcp, 0, tcp.length, pseudo));
    }

    static long sumOf(byte[] b, int from, int length) {
        long acc = 0;
        for (int i = 0; i < length; i++) {
            int v = b[from + i] & 0xFF;
            acc += (i & 1) == 0 ? v << 8 : v;
        }
        return acc;
    }

    /** The Internet checksum of {@code b[from, from+length)} plus {@code initial}, slowly (RFC 1071). */
    static int checksum(byte[] b, int from, int length, long initial) {
        long acc = initial + sumOf(b, from, length);
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xFFFF) + (acc >>> 16);
        }
        return (int) (~acc & 0xFFFF);
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void put32(byte[] b, int at, int v) {
        put16(b, at, v >>> 16);
        put16(b, at + 2, v);
    }

    static int get16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    static int get32(byte[] b, int at) {
        return get16(b, at) << 16 | get16(b, at + 2);
    }
}
