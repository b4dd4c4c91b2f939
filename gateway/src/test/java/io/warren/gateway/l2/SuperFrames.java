package io.warren.gateway.l2;

import io.warren.tun.VirtioNetHeader;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * TCP/IPv4 Ethernet frames as a TAP device with offloads hands them out: a virtio-net header, then
 * the frame; TSO super-frames carry a partial TCP checksum (the pseudo-header sum), as the kernel
 * leaves it. Every field non-zero.
 */
final class SuperFrames {
    static final int ETH = 14;
    static final int TAG = 4;
    static final int IP = 20;
    static final int TCP = 20;

    private SuperFrames() {
    }

    /**
     * The vnet header and a frame from {@code src} to {@code dst} (tagged with {@code vlan} unless 0)
     * carrying {@code payload}; a GSO_TCPV4 super-frame of {@code gsoSize} segments unless
     * {@code gsoSize} is 0 (then one frame with a partial checksum, NEEDS_CSUM).
     */
    static byte[] read(long dst, long src, int vlan, byte[] payload, int gsoSize) {
        int l2 = ETH + (vlan != 0 ? TAG : 0);
        ByteBuffer b = ByteBuffer.allocate(VirtioNetHeader.SIZE + l2 + IP + TCP + payload.length);
        int gsoType = gsoSize > 0 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_NONE;
        new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, gsoType, gsoSize > 0 ? l2 + IP + TCP : 0, gsoSize, l2 + IP, 16)
                .encode(b);
        putMac(b, dst);
        putMac(b, src);
        if (vlan != 0) {
            b.putShort((short) 0x8100).putShort((short) (3 << 13 | vlan));
        }
        b.putShort((short) 0x0800);
        int ip = b.position();
        b.put((byte) 0x45).put((byte) 0x10).putShort((short) (IP + TCP + payload.length)).putShort((short) 0x1234)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0)
                .put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
        b.putShort(ip + 10, (short) ~sum(b, ip, IP, 0));
        b.putShort((short) 40000).putShort((short) 5201).putInt(0x11223344).putInt(0x55667788)
                .put((byte) 0x50).put((byte) 0x18).putShort((short) 501).putShort((short) 0).putShort((short) 0);
        b.put(payload);
        int pseudo = sum(b, ip + 12, 8, 0) + 6 + TCP + payload.length;
        b.putShort(ip + IP + 16, (short) fold(pseudo));
        return b.array();
    }

    static byte[] payload(int n, long seed) {
        byte[] p = new byte[n];
        new Random(seed).nextBytes(p);
        return p;
    }

    /** A little-endian u16 of a virtio-net header at {@code at}. */
    static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static void putMac(ByteBuffer b, long mac) {
        for (int i = 5; i >= 0; i--) {
            b.put((byte) (mac >>> (8 * i)));
        }
    }

    private static int sum(ByteBuffer b, int from, int len, int initial) {
        long s = initial;
        for (int i = 0; i < len; i += 2) {
            s += (b.get(from + i) & 0xff) << 8 | (i + 1 < len ? b.get(from + i + 1) & 0xff : 0);
        }
        return fold(s);
    }

    private static int fold(long s) {
        while (s > 0xffff) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }
}
