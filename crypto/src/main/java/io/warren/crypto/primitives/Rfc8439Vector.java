package io.warren.crypto.primitives;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The AEAD_CHACHA20_POLY1305 test vector of RFC 8439 §2.8.2 (the "sunscreen" text): what a
 * ChaCha20-Poly1305 implementation must produce before it is trusted. Used by the start-up self-test
 * of a native implementation and by the known-answer tests. Each call returns a fresh copy.
 */
public final class Rfc8439Vector {
    private static final HexFormat HEX = HexFormat.of();

    private Rfc8439Vector() {
    }

    /** The 32-byte key. */
    public static byte[] key() {
        return HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    }

    /** The 12-byte nonce (constant 07000000 then IV 4041424344454647). */
    public static byte[] nonce() {
        return HEX.parseHex("070000004041424344454647");
    }

    /** The additional authenticated data. */
    public static byte[] aad() {
        return HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
    }

    /** The 114-byte plain text. */
    public static byte[] plaintext() {
        return ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip"
                + " for the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
    }

    /** The cipher text followed by the 16-byte tag. */
    public static byte[] ciphertextAndTag() {
        return HEX.parseHex(
                "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
                + "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                + "3ff4def08e4b7a9de576d26586cec64b6116"
                + "1ae10b594f09e26a7e902ecbd0600691");
    }
}
