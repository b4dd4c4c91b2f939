package io.warren.crypto.primitives;

import java.security.SecureRandom;

/**
 * The optional 32-byte pre-shared symmetric key {@code Q} of whitepaper §5.2 (mixed in by the
 * {@code psk} token of IKpsk2). {@link #NONE} is all zeros, the value used when none is configured.
 * Immutable; equality is constant time; {@link #toString()} never shows key material.
 */
public final class PresharedKey extends Key32 {
    /** No pre-shared key: 32 zero bytes. */
    public static final PresharedKey NONE = new PresharedKey(new byte[LEN]);

    private PresharedKey(byte[] key) {
        super(key, "preshared key");
    }

    /** A fresh random key (as {@code wg genpsk}). */
    public static PresharedKey generate(SecureRandom rnd) {
        byte[] k = new byte[LEN];
        rnd.nextBytes(k);
        return new PresharedKey(k);
    }

    /** Wraps 32 bytes (copied). */
    public static PresharedKey fromBytes(byte[] key) {
        return new PresharedKey(key);
    }

    /** Parses the {@code wg(8)} base64 form; throws {@link IllegalArgumentException} without echoing input. */
    public static PresharedKey fromBase64(String text) {
        return new PresharedKey(decodeBase64(text, "preshared key"));
    }

    /** True for the all-zero key. */
    public boolean isNone() {
        return ConstantTime.isZero(raw());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PresharedKey k && sameKey(k);
    }

    @Override
    public int hashCode() {
        return 0x95c;
    }

    @Override
    public String toString() {
        return isNone() ? "PresharedKey[none]" : "PresharedKey[redacted]";
    }
}
