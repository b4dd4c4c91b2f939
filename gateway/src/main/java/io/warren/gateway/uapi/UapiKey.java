package io.warren.gateway.uapi;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A 32-byte WireGuard key (private, public or preshared) as it crosses the UAPI. Immutable: the bytes
 * are copied in and out. Compares in constant time. Never prints its bytes: {@link #toString()} is
 * redacted, and only {@link #toHex()} (for the wire) shows them.
 */
public final class UapiKey {
    /** Bytes in every WireGuard key. */
    public static final int LENGTH = 32;
    /** The all-zero key: "no key" for private and preshared keys. */
    public static final UapiKey ZERO = new UapiKey(new byte[LENGTH]);

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private UapiKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Copies a key.
     *
     * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long (a programming error)
     */
    public static UapiKey of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a key is 32 bytes, got " + bytes.length);
        }
        return new UapiKey(bytes.clone());
    }

    /** Parses exactly 64 hex digits (either case); anything else gives empty. */
    public static Optional<UapiKey> parseHex(CharSequence text) {
        if (text.length() != 2 * LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            if (!HexFormat.isHexDigit(text.charAt(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(new UapiKey(HEX.parseHex(text)));
    }

    /** A copy of the key bytes; the caller owns it and should wipe it when done. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Whether every byte is zero (constant time). */
    public boolean isZero() {
        int acc = 0;
        for (byte b : bytes) {
            acc |= b;
        }
        return acc == 0;
    }

    /** The 64 lowercase hex digits the UAPI carries. Only for the wire: never log the result. */
    public String toHex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UapiKey k && MessageDigest.isEqual(bytes, k.bytes);
    }

    /** Content hash, so public keys can index maps. */
    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "UapiKey[redacted]";
    }
}
