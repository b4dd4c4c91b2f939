package io.warren.gateway.config;

import io.warren.crypto.primitives.X25519;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

/**
 * A 32-byte WireGuard key (private, public or preshared) in its wg(8) text form: standard base64,
 * 44 characters with one '=' of padding.
 *
 * <p>Equality is constant-time. {@link #toString()} never shows the bytes; call
 * {@link #toBase64()} deliberately (public keys only, in practice).
 */
public final class WgKey {
    /** Key length in bytes (Curve25519 scalar/point, or a 256-bit PSK). */
    public static final int LENGTH = 32;
    /** Length of the base64 text form. */
    public static final int BASE64_LENGTH = 44;

    private final byte[] bytes;
    /**
     * The public key derived by {@link #publicKey()}, kept: callers on timer threads ask every
     * tick, and each derivation is an X25519 scalar multiplication. A benign race (the result is
     * immutable, its fields final).
     */
    private WgKey derivedPublic;

    private WgKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of exactly 32 bytes. */
    public static WgKey of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a key is " + LENGTH + " bytes, got " + bytes.length);
        }
        return new WgKey(bytes.clone());
    }

    /**
     * Parses the wg(8) base64 form. Returns empty, never throws, and the caller's message must
     * not echo the input (it may be a private key).
     */
    public static Optional<WgKey> parse(String text) {
        String s = text.strip();
        if (s.length() != BASE64_LENGTH || s.charAt(BASE64_LENGTH - 1) != '=') {
            return Optional.empty();
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(s);
            return decoded.length == LENGTH ? Optional.of(new WgKey(decoded)) : Optional.empty();
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    /** A fresh private key from {@code random}, clamped as X25519 requires (RFC 7748, sec. 5). */
    public static WgKey generatePrivate(SecureRandom random) {
        byte[] k = new byte[LENGTH];
        random.nextBytes(k);
        k[0] &= (byte) 248;
        k[31] &= (byte) 127;
        k[31] |= (byte) 64;
        return new WgKey(k);
    }

    /** A fresh preshared key: 32 random bytes, no clamping (like {@code wg genpsk}). */
    public static WgKey generatePreshared(SecureRandom random) {
        byte[] k = new byte[LENGTH];
        random.nextBytes(k);
        return new WgKey(k);
    }

    /** Treating this key as an X25519 private key, its public key (as {@code wg pubkey}). */
    public WgKey publicKey() {
        WgKey p = derivedPublic;
        if (p == null) {
            p = new WgKey(new X25519PrivateKeyParameters(bytes, 0).generatePublicKey().getEncoded());
            derivedPublic = p;
        }
        return p;
    }

    /**
     * Treating this key as a public key, whether it is a low-order Curve25519 point (RFC 7748
     * sec. 6.1; libsodium's {@code has_small_order} set, in any encoding): a peer with such a key
     * can never complete a handshake.
     */
    public boolean isLowOrderPoint() {
        return X25519.isLowOrder(bytes);
    }

    /** The wg(8) base64 text. Only print this for public keys. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A copy of the raw bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Constant-time comparison. */
    @Override
    public boolean equals(Object o) {
        return o instanceof WgKey other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "WgKey[redacted]";
    }
}
