package io.warren.crypto.primitives;

import java.security.SecureRandom;

/**
 * Curve25519 Diffie-Hellman (RFC 7748 §5, §6.1) on BouncyCastle's {@code rfc7748.X25519}: the
 * {@code DH} and {@code DH-Generate} functions of the WireGuard whitepaper §5.4.
 */
public final class X25519 {
    /** Length of scalars, points and shared secrets, bytes. */
    public static final int KEY_LEN = 32;

    private X25519() {
    }

    /** {@code DH-Generate}: 32 random bytes from {@code rnd}, clamped as RFC 7748 §5 describes. */
    public static byte[] generatePrivateKey(SecureRandom rnd) {
        byte[] k = new byte[KEY_LEN];
        org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey(rnd, k);
        return k;
    }

    /** The public key {@code X25519(k, 9)} of a private scalar (clamped internally). */
    public static byte[] publicKey(byte[] privateKey) {
        byte[] pub = new byte[KEY_LEN];
        org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(privateKey, 0, pub, 0);
        return pub;
    }

    /**
     * {@code DH(private, public)} written to {@code out}; returns false (and leaves {@code out} zeroed)
     * when the result is the all-zero value (a low-order public point, RFC 7748 §6.1).
     */
    public static boolean agree(byte[] privateKey, byte[] publicKey, byte[] out) {
        return org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(privateKey, 0, publicKey, 0, out, 0);
    }

    /**
     * True when {@code point} is a low-order point (order 1, 2, 4 or 8 on the curve or its twist,
     * in any encoding: the set libsodium's {@code has_small_order} blocks): every DH with it is
     * all zeros. Tested as {@code X25519(2^254, point) == 0}: the scalar 2^254 (clamped, a power
     * of two) kills exactly the points whose order divides 8, since the large prime factors of
     * the curve's and the twist's orders are odd.
     */
    public static boolean isLowOrder(byte[] point) {
        if (point.length != KEY_LEN) {
            throw new IllegalArgumentException("a point is " + KEY_LEN + " bytes");
        }
        byte[] k = new byte[KEY_LEN];
        k[31] = 0x40;
        byte[] out = new byte[KEY_LEN];
        boolean contributory = agree(k, point, out);
        java.util.Arrays.fill(out, (byte) 0);
        return !contributory;
    }

    /** The raw scalar multiplication {@code X25519(k, u)} with no zero check, for known-answer tests. */
    public static byte[] scalarMult(byte[] k, byte[] u) {
        byte[] r = new byte[KEY_LEN];
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMult(k, 0, u, 0, r, 0);
        return r;
    }
}
