package io.warren.tun.offload;

import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The 16-bit one's complement sum of RFC 1071, over absolute ranges of a buffer. */
public final class InternetChecksum {
    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    private static final boolean NATIVE_LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    /** Ranges at least this long on a direct buffer are summed from its memory. */
    private static final int DIRECT_MIN = 64;

    private InternetChecksum() {}

    /**
     * Adds the big-endian 16-bit words of {@code b[from, from + length)} to {@code sum} (an odd
     * last byte is padded with zero) and returns the new, unfolded sum.
     */
    public static long add(long sum, ByteBuffer b, int from, int length) {
        int i = from;
        int end = from + length;
        if (b.isDirect() && length >= DIRECT_MIN && from >= 0 && end <= b.limit()) {
            // Eight bytes per read straight from memory, in the machine's byte order: the one's
            // complement sum is the same in either order once folded and byte-swapped (RFC 1071
            // §2(B)). The two 32-bit halves are added apart, so the 64-bit sum cannot overflow.
            long address = MEMORY.getDirectBufferAddress(b) + from;
            int words = length & ~7;
            long native0 = 0;
            long native1 = 0;
            int k = 0;
            for (; k + 16 <= words; k += 16) {
                long v = MEMORY.getLong(address + k);
                long w = MEMORY.getLong(address + k + 8);
                native0 += (v >>> 32) + (v & 0xffffffffL);
                native1 += (w >>> 32) + (w & 0xffffffffL);
            }
            if (k < words) {
                long v = MEMORY.getLong(address + k);
                native0 += (v >>> 32) + (v & 0xffffffffL);
            }
            int folded = fold(native0 + native1);
            sum += NATIVE_LITTLE_ENDIAN ? Integer.reverseBytes(folded) >>> 16 : folded;
            i = from + words;
        }
        boolean le = b.order() == ByteOrder.LITTLE_ENDIAN;
        for (; i + 8 <= end; i += 8) {
            long v = b.getLong(i);
            if (le) {
                v = Long.reverseBytes(v);
            }
            sum += (v >>> 32) + (v & 0xffffffffL);
        }
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
