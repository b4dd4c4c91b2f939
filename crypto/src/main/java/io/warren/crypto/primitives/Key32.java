package io.warren.crypto.primitives;

import java.util.Base64;

/**
 * Shared code of the 32-byte key value types: copying, base64 in the {@code wg(8)} format (standard
 * alphabet with padding, 44 characters) and constant-time equality. Parse errors name the key kind and
 * the problem, never the input.
 */
abstract class Key32 {
    /** Key length, bytes. */
    static final int LEN = 32;

    private final byte[] key;

    Key32(byte[] key, String kind) {
        if (key.length != LEN) {
            throw new IllegalArgumentException(kind + " must be 32 bytes, got " + key.length);
        }
        this.key = key.clone();
    }

    static byte[] decodeBase64(String text, String kind) {
        if (text == null || text.length() != 44 || text.charAt(43) != '=') {
            throw new IllegalArgumentException(kind + " must be 44 base64 characters ending in '='");
        }
        byte[] b;
        try {
            b = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(kind + " is not valid base64");
        }
        if (b.length != LEN) {
            throw new IllegalArgumentException(kind + " does not decode to 32 bytes");
        }
        return b;
    }

    /** The raw 32 bytes (a copy). */
    public final byte[] bytes() {
        return key.clone();
    }

    /** The key in {@code wg(8)} base64 form: the caller decides whether it may be shown. */
    public final String toBase64() {
        return Base64.getEncoder().encodeToString(key);
    }

    /** The internal array, for use inside this package without a copy; never modify it. */
    final byte[] raw() {
        return key;
    }

    final boolean sameKey(Key32 other) {
        return ConstantTime.equals(key, other.key);
    }
}
