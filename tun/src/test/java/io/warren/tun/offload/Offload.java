package io.warren.tun.offload;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Calls into the offload codecs with byte arrays, for the forgery and property tests. */
final class Offload {
    static final int HEADROOM = 7;

    private Offload() {}

    /** Output buffers for {@link GsoSegmenter#segment}: direct, each positioned at {@link #HEADROOM}. */
    static ByteBuffer[] buffers(int n, int size) {
        ByteBuffer[] out = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            out[i] = ByteBuffer.allocateDirect(size);
            out[i].position(HEADROOM);
        }
        return out;
    }

    /** {@code b} in a direct buffer at an odd offset, with slack after its limit. */
    static ByteBuffer direct(byte[] b, int offset) {
        ByteBuffer d = ByteBuffer.allocateDirect(offset + b.length + 64);
        d.position(offset).put(b).flip().position(offset);
        return d;
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(b.position(), a);
        return a;
    }

    /** The segments {@code segment} wrote ({@code n} of them, each from HEADROOM to its limit). */
    static List<byte[]> segments(ByteBuffer[] out, int n) {
        List<byte[]> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] a = new byte[out[i].limit() - out[i].position()];
            out[i].get(out[i].position(), a);
            s.add(a);
        }
        return s;
    }

    static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }
}
