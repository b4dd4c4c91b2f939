package io.warren.crypto.primitives;

import java.util.Arrays;

/**
 * A Curve25519 public key, 32 bytes (whitepaper §5.4, {@code S_pub}). Immutable; equality is constant
 * time; usable as a map key. {@link #toString()} shows only a short BLAKE2s fingerprint, never the key.
 */
public final class NoisePublicKey extends Key32 {
    private NoisePublicKey(byte[] key) {
        super(key, "public key");
    }

    /** Wraps 32 bytes (copied). */
    public static NoisePublicKey fromBytes(byte[] key) {
        return new NoisePublicKey(key);
    }

    /** Parses the {@code wg(8)} base64 form; throws {@link IllegalArgumentException} without echoing input. */
    public static NoisePublicKey fromBase64(String text) {
        return new NoisePublicKey(decodeBase64(text, "public key"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoisePublicKey k && sameKey(k);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw());
    }

    @Override
    public String toString() {
        byte[] h = Blake2s.hash(raw());
        return String.format("NoisePublicKey[fp=%02x%02x%02x%02x]", h[0], h[1], h[2], h[3]);
    }
}
