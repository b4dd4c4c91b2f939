package io.warren.crypto.primitives;

import java.util.Arrays;

/**
 * The key derivation functions of the WireGuard whitepaper §5.4 (HKDF, RFC 5869, over HMAC-BLAKE2s):
 * <pre>
 *   τ0 = HMAC(key, input)
 *   τ1 = HMAC(τ0, 0x1)
 *   τ2 = HMAC(τ0, τ1 || 0x2)
 *   τ3 = HMAC(τ0, τ2 || 0x3)
 * </pre>
 * {@code KDFn} returns {@code (τ1, ..., τn)}. Every output is 32 bytes and freshly allocated.
 */
public final class Hkdf {
    private Hkdf() {
    }

    /** {@code KDF1(key, input) = τ1}. */
    public static byte[] kdf1(byte[] key, byte[] input) {
        return derive(key, input, 1)[0];
    }

    /** {@code KDF2(key, input) = (τ1, τ2)}. */
    public static byte[][] kdf2(byte[] key, byte[] input) {
        return derive(key, input, 2);
    }

    /** {@code KDF3(key, input) = (τ1, τ2, τ3)}. */
    public static byte[][] kdf3(byte[] key, byte[] input) {
        return derive(key, input, 3);
    }

    private static byte[][] derive(byte[] key, byte[] input, int n) {
        byte[] t0 = Blake2s.hmac(key, input);
        byte[][] out = new byte[n][];
        byte[] prev = new byte[0];
        for (int i = 0; i < n; i++) {
            prev = Blake2s.hmac(t0, prev, new byte[] {(byte) (i + 1)});
            out[i] = prev;
        }
        Arrays.fill(t0, (byte) 0);
        return out;
    }
}
