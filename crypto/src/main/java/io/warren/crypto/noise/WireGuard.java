package io.warren.crypto.noise;

import io.warren.crypto.primitives.Blake2s;
import java.nio.charset.StandardCharsets;

/**
 * Every wire constant and handshake limit of the WireGuard protocol in one place (whitepaper §5.4,
 * §6; names as in the paper and the kernel's {@code messages.h}).
 */
public final class WireGuard {
    /** Noise protocol name, {@code CONSTRUCTION} (§5.4). */
    public static final String CONSTRUCTION = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s";
    /** {@code IDENTIFIER}, the Noise prologue (§5.4). */
    public static final String IDENTIFIER = "WireGuard v1 zx2c4 Jason@zx2c4.com";
    /** {@code LABEL-MAC1} (§5.4.4). */
    public static final String LABEL_MAC1 = "mac1----";
    /** {@code LABEL-COOKIE} (§5.4.7). */
    public static final String LABEL_COOKIE = "cookie--";

    /** Message type 1, handshake initiation (§5.4.2). */
    public static final int MESSAGE_INITIATION = 1;
    /** Message type 2, handshake response (§5.4.3). */
    public static final int MESSAGE_RESPONSE = 2;
    /** Message type 3, cookie reply (§5.4.7). */
    public static final int MESSAGE_COOKIE_REPLY = 3;
    /** Message type 4, transport data (§5.4.6). */
    public static final int MESSAGE_TRANSPORT = 4;

    /** Size of a handshake initiation, bytes. */
    public static final int INITIATION_SIZE = 148;
    /** Size of a handshake response, bytes. */
    public static final int RESPONSE_SIZE = 92;
    /** Size of a cookie reply, bytes. */
    public static final int COOKIE_REPLY_SIZE = 64;
    /** Size of the transport data header (type, receiver, counter), bytes. */
    public static final int TRANSPORT_HEADER_SIZE = 16;
    /** Smallest transport message: header plus the tag of an empty (keepalive) payload. */
    public static final int TRANSPORT_MIN_SIZE = TRANSPORT_HEADER_SIZE + 16;

    /** Key, hash and DH output length, bytes. */
    public static final int KEY_LEN = 32;
    /** AEAD tag length, bytes. */
    public static final int TAG_LEN = 16;
    /** mac1, mac2 and cookie length, bytes. */
    public static final int MAC_LEN = 16;

    /** {@code REKEY_TIMEOUT} (§6.1), nanoseconds. */
    public static final long REKEY_TIMEOUT_NANOS = 5_000_000_000L;
    /** Initiations accepted per peer per second (kernel {@code INITIATIONS_PER_SECOND}). */
    public static final int INITIATIONS_PER_SECOND = 50;
    /** Minimum interval between two consumed initiations from one peer: 20 ms. */
    public static final long HANDSHAKE_INITIATION_RATE_NANOS = 1_000_000_000L / INITIATIONS_PER_SECOND;
    /** Lifetime of the cookie secret and of a received cookie (§5.4.7, {@code COOKIE_SECRET_MAX_AGE}). */
    public static final long COOKIE_REFRESH_TIME_NANOS = 120_000_000_000L;

    /** {@code C_i} before any message: {@code HASH(CONSTRUCTION)}. */
    static final byte[] INITIAL_CHAIN_KEY = Blake2s.hash(ascii(CONSTRUCTION));
    /** {@code H_i} before any message: {@code HASH(C_i || IDENTIFIER)}. */
    static final byte[] INITIAL_HASH = Blake2s.hash(INITIAL_CHAIN_KEY, ascii(IDENTIFIER));

    private WireGuard() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
