package io.warren.crypto.noise;

/** Why a datagram was not accepted as a WireGuard message (one counter each). */
public enum ParseDrop {
    /** Shorter than the message type requires. */
    TRUNCATED,
    /** Longer than a fixed-size message type (handshake and cookie messages have exact sizes, §5.4). */
    WRONG_SIZE,
    /** The type byte is not 1..4. */
    UNKNOWN_TYPE,
    /** A known type, but not the one this parser reads. */
    WRONG_TYPE,
    /** One of the three reserved bytes after the type is not zero (§5.4.2). */
    RESERVED_NONZERO
}
