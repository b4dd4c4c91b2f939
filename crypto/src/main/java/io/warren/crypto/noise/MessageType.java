package io.warren.crypto.noise;

import java.nio.ByteBuffer;

/** The four WireGuard message types (whitepaper §5.4), with a peek at a datagram's type. */
public enum MessageType {
    INITIATION(WireGuard.MESSAGE_INITIATION),
    RESPONSE(WireGuard.MESSAGE_RESPONSE),
    COOKIE_REPLY(WireGuard.MESSAGE_COOKIE_REPLY),
    TRANSPORT(WireGuard.MESSAGE_TRANSPORT);

    private final int value;

    MessageType(int value) {
        this.value = value;
    }

    /** The wire value of the type byte. */
    public int value() {
        return value;
    }

    /**
     * Peeks at the 4-byte header of the datagram in {@code [position, limit)} without moving the
     * position: the type, or a drop ({@code TRUNCATED}, {@code UNKNOWN_TYPE}, {@code RESERVED_NONZERO}).
     * Sizes are checked by each message's {@code parse}.
     */
    public static Parsed<MessageType> of(ByteBuffer buf) {
        if (buf.remaining() < 4) {
            return new Parsed.Drop<>(ParseDrop.TRUNCATED);
        }
        int p = buf.position();
        int t = buf.get(p) & 0xff;
        if (t < 1 || t > 4) {
            return new Parsed.Drop<>(ParseDrop.UNKNOWN_TYPE);
        }
        if ((buf.get(p + 1) | buf.get(p + 2) | buf.get(p + 3)) != 0) {
            return new Parsed.Drop<>(ParseDrop.RESERVED_NONZERO);
        }
        return new Parsed.Ok<>(values()[t - 1]);
    }
}
