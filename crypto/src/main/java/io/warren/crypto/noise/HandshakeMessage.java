package io.warren.crypto.noise;

/**
 * A message protected by mac1/mac2 (whitepaper §5.4.4): the initiation or the response. The two MACs
 * are always the last 32 bytes of the encoding, so {@link CookieGenerator} and {@link CookieChecker}
 * work on either.
 */
public sealed interface HandshakeMessage permits MessageInitiation, MessageResponse {
    /** The sender's index {@code I} (little-endian on the wire). */
    int sender();

    /** The mac1 field (a copy). */
    byte[] mac1();

    /** The mac2 field (a copy). */
    byte[] mac2();

    /** The full wire encoding (a fresh array). */
    byte[] encode();
}
