package io.warren.gateway.l2;

import java.nio.ByteBuffer;

/** Ethernet test frames with a non-zero value in every field. */
final class Frames {
    static final long HOST_A = 0x02_00_00_00_00_0aL;
    static final long HOST_B = 0x02_00_00_00_00_0bL;
    static final long HOST_C = 0x02_00_00_00_00_0cL;
    static final long BROADCAST = 0xff_ff_ff_ff_ff_ffL;
    static final long MULTICAST = 0x01_00_5e_00_00_01L;

    private Frames() {
    }

    /** An untagged IPv4-typed frame with {@code payload} bytes of 0x5a, at position {@code headroom}. */
    static ByteBuffer frame(long dst, long src, int payload, int headroom) {
        ByteBuffer b = ByteBuffer.allocate(headroom + 14 + payload);
        b.position(headroom);
        putMac(b, dst);
        putMac(b, src);
        b.putShort((short) 0x0800);
        for (int i = 0; i < payload; i++) {
            b.put((byte) 0x5a);
        }
        b.flip().position(headroom);
        return b;
    }

    /** A frame tagged with VLAN {@code vid} (priority 5). */
    static ByteBuffer tagged(long dst, long src, int vid, int payload) {
        ByteBuffer b = ByteBuffer.allocate(18 + payload);
        putMac(b, dst);
        putMac(b, src);
        b.putShort((short) 0x8100);
        b.putShort((short) (5 << 13 | vid));
        b.putShort((short) 0x0800);
        for (int i = 0; i < payload; i++) {
            b.put((byte) 0x5a);
        }
        return b.flip();
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static void putMac(ByteBuffer b, long mac) {
        for (int i = 5; i >= 0; i--) {
            b.put((byte) (mac >>> (8 * i)));
        }
    }
}
