package io.warren.crypto.noise;

import java.nio.ByteBuffer;

/**
 * Cookie reply, type 3, 64 bytes (whitepaper §5.4.7):
 * <pre>
 *   type(1) reserved(3) | receiver(4, LE) | nonce(24) | cookie(16+16)
 * </pre>
 * Immutable: the constructor copies every array, accessors return copies.
 */
public final class MessageCookieReply {
    static final int OFF_RECEIVER = 4;
    static final int OFF_NONCE = 8;
    static final int OFF_COOKIE = 32;

    private final int receiver;
    private final byte[] nonce;
    private final byte[] encryptedCookie;

    public MessageCookieReply(int receiver, byte[] nonce, byte[] encryptedCookie) {
        this.receiver = receiver;
        this.nonce = Wire.requireLen(nonce, 24, "nonce");
        this.encryptedCookie = Wire.requireLen(encryptedCookie, 32, "encrypted cookie");
    }

    /** Parses the datagram in {@code [position, limit)} (position unchanged); framing only. */
    public static Parsed<MessageCookieReply> parse(ByteBuffer buf) {
        ParseDrop d = Wire.check(buf, WireGuard.MESSAGE_COOKIE_REPLY, WireGuard.COOKIE_REPLY_SIZE, true);
        if (d != null) {
            return new Parsed.Drop<>(d);
        }
        int p = buf.position();
        return new Parsed.Ok<>(new MessageCookieReply(
                Wire.getIntLE(buf, p + OFF_RECEIVER),
                Wire.bytes(buf, p + OFF_NONCE, 24),
                Wire.bytes(buf, p + OFF_COOKIE, 32)));
    }

    /** The 64-byte wire encoding. */
    public byte[] encode() {
        byte[] b = new byte[WireGuard.COOKIE_REPLY_SIZE];
        b[0] = WireGuard.MESSAGE_COOKIE_REPLY;
        Wire.putIntLE(b, OFF_RECEIVER, receiver);
        System.arraycopy(nonce, 0, b, OFF_NONCE, 24);
        System.arraycopy(encryptedCookie, 0, b, OFF_COOKIE, 32);
        return b;
    }

    /** The sender index of the message that triggered this reply. */
    public int receiver() {
        return receiver;
    }

    /** The random 24-byte XChaCha20 nonce. */
    public byte[] nonce() {
        return nonce.clone();
    }

    /** {@code XAEAD(HASH(LABEL-COOKIE || S_pub), nonce, cookie, mac1)}. */
    public byte[] encryptedCookie() {
        return encryptedCookie.clone();
    }

    @Override
    public String toString() {
        return "MessageCookieReply[receiver=" + Integer.toUnsignedString(receiver) + "]";
    }
}
