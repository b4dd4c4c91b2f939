package io.warren.crypto.session;

/**
 * Why the data path dropped a packet: one counter per value. Normal drops are results, never
 * exceptions (house rule); names follow wireguard-go's and the kernel's log messages.
 */
public enum DropReason {
    /** Datagram shorter than the smallest message of its type, or of no known type. */
    MESSAGE_TRUNCATED,
    /** First four bytes are not a known message type with zero reserved bytes. */
    UNKNOWN_MESSAGE_TYPE,
    /** Receiver index names no live keypair of this peer. */
    UNKNOWN_RECEIVER_INDEX,
    /** The keypair is older than REJECT_AFTER_TIME (§6.1). */
    KEYPAIR_EXPIRED,
    /** Poly1305 tag did not verify: forged, corrupted or wrong key. */
    AUTHENTICATION_FAILED,
    /** Counter already seen, too far behind the window, or at/above REJECT_AFTER_MESSAGES. */
    REPLAYED_COUNTER,
    /** Decrypted payload is not IPv4 or IPv6 (version nibble). */
    INNER_PACKET_INVALID_VERSION,
    /** Decrypted payload shorter than its IP header, or its length field disagrees with it. */
    INNER_PACKET_INVALID_LENGTH,
    /** Outbound packet larger than the MTU or the 65535-byte limit, or empty. */
    OUTBOUND_PACKET_INVALID,
    /** Handshake message whose mac1 does not match our public key (§5.4.4). */
    MAC1_INVALID,
    /** Initiation from a static key that is not a configured peer. */
    UNKNOWN_PEER,
    /**
     * Under load, a handshake message with a valid cookie from a source over its rate (kernel
     * {@code VALID_MAC_WITH_COOKIE_BUT_RATELIMITED}, whitepaper §5.3, §5.4.7).
     */
    HANDSHAKE_RATE_LIMITED,
    /** The handshake layer rejected a handshake message (bad MAC, stale timestamp, ...). */
    HANDSHAKE_REJECTED,
    /** No session and no handshake could be started (keys zeroed, peer has no endpoint, ...). */
    NO_SESSION,
    /** Staged queue overflowed while waiting for a handshake; the oldest packet was dropped. */
    STAGED_QUEUE_FULL,
    /** Handshake attempts ran past REKEY_ATTEMPT_TIME; staged packets were dropped. */
    HANDSHAKE_GAVE_UP;

    /** One {@code T} per reason, by ordinal: shared result objects, so a drop allocates nothing. */
    static <T> java.util.List<T> each(java.util.function.Function<DropReason, T> make) {
        return java.util.Arrays.stream(values()).map(make).toList();
    }
}
