package io.warren.tun.offload;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The 16-bit one's complement sum of RFC 1071, over absolute ranges of a buffer. */
public final class InternetChecksum {
    private InternetChecksum() {}

    /**
     * Adds the big-endian 16-bit words of {@code b[from, from + length)} to {@code sum} (an odd
     * last byte is padded with zero) and returns the new, unfolded sum.
     */
    public static long add(long sum, ByteBuffer b, int from, int length) {
        boolean le = b.order() == ByteOrder.LITTLE_ENDIAN;
        int i = from;
        int end = from + length;
        for (; i + 4 <= end; i += 4) {
            int v = b.getInt(i);
            sum += (le ? Integer.reverseBytes(v) : v) & 0xffffffffL;
        }
        if (i + 2 <= end) {
            sum += (b.get(i) & 0xff) << 8 | b.get(i + 1) & 0xff;
            i += 2;
        }
        if (i < end) {
            sum += (b.get(i) & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a sum to 16 bits (end-around carry), not inverted. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The checksum to store: the folded sum, inverted. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /** Writes a big-endian u16 at an absolute index, whatever the buffer's order. */
    static void putU16(ByteBuffer b, int at, int v) {
        b.put(at, (byte) (v >>> 8));
        b.put(at + 1, (byte) v);
    }

    static int getU16(ByteBuffer b, int at) {
        return (b.get(at) & 0xff) << 8 | b.get(at + 1) & 0xff;
    }
}
