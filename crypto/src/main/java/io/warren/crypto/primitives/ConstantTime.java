package io.warren.crypto.primitives;

/**
 * Constant-time comparisons for MACs and keys: the running time depends only on the lengths, never on
 * where the inputs first differ (whitepaper §5.4.4 compares MACs this way).
 */
public final class ConstantTime {
    private ConstantTime() {
    }

    /** True when both arrays have the same length and content; constant time for equal lengths. */
    public static boolean equals(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return false;
        }
        return equals(a, 0, b, 0, a.length);
    }

    /** Compares {@code len} bytes of {@code a} at {@code aOff} with {@code b} at {@code bOff} in constant time. */
    public static boolean equals(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int diff = 0;
        for (int i = 0; i < len; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }

    /** True when every byte is zero; constant time in the array length. */
    public static boolean isZero(byte[] a) {
        int acc = 0;
        for (byte x : a) {
            acc |= x;
        }
        return acc == 0;
    }
}
