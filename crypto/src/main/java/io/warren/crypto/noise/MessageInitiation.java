package io.warren.crypto.noise;

import java.nio.ByteBuffer;

/**
 * Handshake initiation, type 1, 148 bytes (whitepaper §5.4.2):
 * <pre>
 *   type(1) reserved(3) | sender(4, LE) | ephemeral(32) | static(32+16) | timestamp(12+16) | mac1(16) | mac2(16)
 * </pre>
 * Immutable: the constructor copies every array, accessors return copies.
 */
public final class MessageInitiation implements HandshakeMessage {
    static final int OFF_SENDER = 4;
    static final int OFF_EPHEMERAL = 8;
    static final int OFF_STATIC = 40;
    static final int OFF_TIMESTAMP = 88;
    static final int OFF_MAC1 = 116;
    static final int OFF_MAC2 = 132;

    private final int sender;
    private final byte[] ephemeral;
    private final byte[] encryptedStatic;
    private final byte[] encryptedTimestamp;
    private final byte[] mac1;
    private final byte[] mac2;

    public MessageInitiation(int sender, byte[] ephemeral, byte[] encryptedStatic, byte[] encryptedTimestamp,
                             byte[] mac1, byte[] mac2) {
        this.sender = sender;
        this.ephemeral = Wire.requireLen(ephemeral, 32, "ephemeral");
        this.encryptedStatic = Wire.requireLen(encryptedStatic, 48, "encrypted static");
        this.encryptedTimestamp = Wire.requireLen(encryptedTimestamp, 28, "encrypted timestamp");
        this.mac1 = Wire.requireLen(mac1, 16, "mac1");
        this.mac2 = Wire.requireLen(mac2, 16, "mac2");
    }

    /**
     * Parses the datagram in {@code [position, limit)} (position unchanged). Only the framing is
     * checked here; authentication is {@link CookieChecker} (MACs) and {@link Handshake} (AEAD).
     */
    public static Parsed<MessageInitiation> parse(ByteBuffer buf) {
        ParseDrop d = Wire.check(buf, WireGuard.MESSAGE_INITIATION, WireGuard.INITIATION_SIZE, true);
        if (d != null) {
            return new Parsed.Drop<>(d);
        }
        int p = buf.position();
        return new Parsed.Ok<>(new MessageInitiation(
                Wire.getIntLE(buf, p + OFF_SENDER),
                Wire.bytes(buf, p + OFF_EPHEMERAL, 32),
                Wire.bytes(buf, p + OFF_STATIC, 48),
                Wire.bytes(buf, p + OFF_TIMESTAMP, 28),
                Wire.bytes(buf, p + OFF_MAC1, 16),
                Wire.bytes(buf, p + OFF_MAC2, 16)));
    }

    @Override
    public byte[] encode() {
        byte[] b = new byte[WireGuard.INITIATION_SIZE];
        b[0] = WireGuard.MESSAGE_INITIATION;
        Wire.putIntLE(b, OFF_SENDER, sender);
        System.arraycopy(ephemeral, 0, b, OFF_EPHEMERAL, 32);
        System.arraycopy(encryptedStatic, 0, b, OFF_STATIC, 48);
        System.arraycopy(encryptedTimestamp, 0, b, OFF_TIMESTAMP, 28);
        System.arraycopy(mac1, 0, b, OFF_MAC1, 16);
        System.arraycopy(mac2, 0, b, OFF_MAC2, 16);
        return b;
    }

    /** A copy with the given MACs (as {@link CookieGenerator} computes them). */
    public MessageInitiation withMacs(byte[] newMac1, byte[] newMac2) {
        return new MessageInitiation(sender, ephemeral, encryptedStatic, encryptedTimestamp, newMac1, newMac2);
    }

    @Override
    public int sender() {
        return sender;
    }

    /** The unencrypted ephemeral public key {@code E_i^pub}. */
    public byte[] ephemeral() {
        return ephemeral.clone();
    }

    /** {@code AEAD(k, 0, S_i^pub, H_i)}. */
    public byte[] encryptedStatic() {
        return encryptedStatic.clone();
    }

    /** {@code AEAD(k, 0, TAI64N(), H_i)}. */
    public byte[] encryptedTimestamp() {
        return encryptedTimestamp.clone();
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
        return "MessageInitiation[sender=" + Integer.toUnsignedString(sender) + "]";
    }
}
