package io.warren.routing;

/**
 * Bit arithmetic on 128-bit left-aligned addresses (hi, lo) for the 6-bit strides of {@link StrideNode}.
 * Offsets count from the most significant bit (bit 0 = first bit on the wire).
 */
final class Chunks {

    private Chunks() {
    }

    /** The 6 bits at offset {@code o} (0..126) as 0..63; bits past bit 127 read as zero. */
    static int chunk(long hi, long lo, int o) {
        if (o <= 58) {
            return (int) ((hi << o) >>> 58);
        }
        if (o >= 64) {
            return (int) ((lo << (o - 64)) >>> 58);
        }
        return (int) (((hi << o) | (lo >>> (64 - o))) >>> 58);
    }

    /** The {@code n} bits (1..64) at offset {@code o}, right-aligned; requires {@code o + n <= 128}. */
    static long bits(long hi, long lo, int o, int n) {
        if (o + n <= 64) {
            return (hi << o) >>> (64 - n);
        }
        if (o >= 64) {
            return (lo << (o - 64)) >>> (64 - n);
        }
        return ((hi << o) | (lo >>> (64 - o))) >>> (64 - n);
    }

    /** {@code hi} with the {@code width}-bit {@code value} written at offset {@code o}. */
    static long placeHi(long hi, int o, int width, long value) {
        if (width == 0 || o >= 64) {
            return hi;
        }
        int end = o + width;
        return end <= 64 ? hi | value << (64 - end) : hi | value >>> (end - 64);
    }

    /** {@code lo} with the {@code width}-bit {@code value} written at offset {@code o}. */
    static long placeLo(long lo, int o, int width, long value) {
        int end = o + width;
        if (width == 0 || end <= 64) {
            return lo;
        }
        return lo | value << (128 - end);
    }
}
