package io.warren.crypto.noise;

import java.nio.ByteBuffer;

/**
 * Handshake response, type 2, 92 bytes (whitepaper §5.4.3):
 * <pre>
 *   type(1) reserved(3) | sender(4, LE) | receiver(4, LE) | ephemeral(32) | empty(0+16) | mac1(16) | mac2(16)
 * </pre>
 * Immutable: the constructor copies every array, accessors return copies.
 */
public final class MessageResponse implements HandshakeMessage {
    static final int OFF_SENDER = 4;
    static final int OFF_RECEIVER = 8;
    static final int OFF_EPHEMERAL = 12;
    static final int OFF_EMPTY = 44;
    static final int OFF_MAC1 = 60;
    static final int OFF_MAC2 = 76;

    private final int sender;
    private final int receiver;
    private final byte[] ephemeral;
    private final byte[] encryptedNothing;
    private final byte[] mac1;
    private final byte[] mac2;

    public MessageResponse(int sender, int receiver, byte[] ephemeral, byte[] encryptedNothing,
                           byte[] mac1, byte[] mac2) {
        this.sender = sender;
        this.receiver = receiver;
        this.ephemeral = Wire.requireLen(ephemeral, 32, "ephemeral");
        this.encryptedNothing = Wire.requireLen(encryptedNothing, 16, "encrypted nothing");
        this.mac1 = Wire.requireLen(mac1, 16, "mac1");
        this.mac2 = Wire.requireLen(mac2, 16, "mac2");
    }

    /** Parses the datagram in {@code [position, limit)} (position unchanged); framing only. */
    public static Parsed<MessageResponse> parse(ByteBuffer buf) {
        ParseDrop d = Wire.check(buf, WireGuard.MESSAGE_RESPONSE, WireGuard.RESPONSE_SIZE, true);
        if (d != null) {
            return new Parsed.Drop<>(d);
        }
        int p = buf.position();
        return new Parsed.Ok<>(new MessageResponse(
                Wire.getIntLE(buf, p + OFF_SENDER),
                Wire.getIntLE(buf, p + OFF_RECEIVER),
                Wire.bytes(buf, p + OFF_EPHEMERAL, 32),
                Wire.bytes(buf, p + OFF_EMPTY, 16),
                Wire.bytes(buf, p + OFF_MAC1, 16),
                Wire.bytes(buf, p + OFF_MAC2, 16)));
    }

    @Override
    public byte[] encode() {
        byte[] b = new byte[WireGuard.RESPONSE_SIZE];
        b[0] = WireGuard.MESSAGE_RESPONSE;
        Wire.putIntLE(b, OFF_SENDER, sender);
        Wire.putIntLE(b, OFF_RECEIVER, receiver);
        System.arraycopy(ephemeral, 0, b, OFF_EPHEMERAL, 32);
        System.arraycopy(encryptedNothing, 0, b, OFF_EMPTY, 16);
        System.arraycopy(mac1, 0, b, OFF_MAC1, 16);
        System.arraycopy(mac2, 0, b, OFF_MAC2, 16);
        return b;
    }

    /** A copy with the given MACs (as {@link CookieGenerator} computes them). */
    public MessageResponse withMacs(byte[] newMac1, byte[] newMac2) {
        return new MessageResponse(sender, receiver, ephemeral, encryptedNothing, newMac1, newMac2);
    }

    @Override
    public int sender() {
        return sender;
    }

    /** The initiator's index this response answers. */
    public int receiver() {
        return receiver;
    }

    /** The unencrypted ephemeral public key {@code E_r^pub}. */
    public byte[] ephemeral() {
        return ephemeral.clone();
    }

    /** {@code AEAD(k, 0, ε, H_r)}: the tag of an empty plain text. */
    public byte[] encryptedNothing() {
        return encryptedNothing.clone();
    }

    @Override
    public byte[] mac1() {
        return mac1.clone();
    }

    @Override
    public byte[] mac2() {
        return mac2.clone();
    }

    @Override
    public String toString() {
        return "MessageResponse[sender=" + Integer.toUnsignedString(sender)
                + ", receiver=" + Integer.toUnsignedString(receiver) + "]";
    }
}
