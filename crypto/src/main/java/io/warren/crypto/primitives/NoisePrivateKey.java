package io.warren.crypto.primitives;

import java.security.SecureRandom;

/**
 * A Curve25519 private key, 32 bytes (whitepaper §5.4, {@code S_priv}). Immutable; equality is constant
 * time; {@link #toString()} never shows key material. Scalars are clamped when generated here and
 * again inside every X25519 operation (RFC 7748 §5), so unclamped keys from configuration work too.
 */
public final class NoisePrivateKey extends Key32 {
    private NoisePrivateKey(byte[] key) {
        super(key, "private key");
    }

    /** {@code DH-Generate()}: a fresh clamped key from {@code rnd}. */
    public static NoisePrivateKey generate(SecureRandom rnd) {
        return new NoisePrivateKey(X25519.generatePrivateKey(rnd));
    }

    /** Wraps 32 bytes (copied). */
    public static NoisePrivateKey fromBytes(byte[] key) {
        return new NoisePrivateKey(key);
    }

    /** Parses the {@code wg(8)} base64 form; throws {@link IllegalArgumentException} without echoing input. */
    public static NoisePrivateKey fromBase64(String text) {
        return new NoisePrivateKey(decodeBase64(text, "private key"));
    }

    /** The matching public key {@code X25519(S_priv, 9)}. */
    public NoisePublicKey publicKey() {
        return NoisePublicKey.fromBytes(X25519.publicKey(raw()));
    }

    /**
     * {@code DH(this, peer)} into {@code out} (32 bytes); false when the result is all zeros
     * (low-order peer point), which callers must treat as a failed handshake.
     */
    public boolean agree(NoisePublicKey peer, byte[] out) {
        return X25519.agree(raw(), peer.raw(), out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoisePrivateKey k && sameKey(k);
    }

    @Override
    public int hashCode() {
        return 0x5ec7e7; // deliberately independent of the key
    }

    @Override
    public String toString() {
        return "NoisePrivateKey[redacted]";
    }
}
