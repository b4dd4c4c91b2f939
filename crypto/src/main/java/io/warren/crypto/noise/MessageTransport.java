package io.warren.crypto.noise;

import java.nio.ByteBuffer;

/**
 * Transport data header, type 4 (whitepaper §5.4.6):
 * <pre>
 *   type(1) reserved(3) | receiver(4, LE) | counter(8, LE) | encrypted packet (length + 16)
 * </pre>
 * The payload is a read-only view sharing the parsed buffer (no copy): it is valid only while the
 * caller keeps that buffer unchanged. The smallest valid message is 32 bytes (a keepalive).
 */
public final class MessageTransport {
    static final int OFF_RECEIVER = 4;
    static final int OFF_COUNTER = 8;

    private final int receiver;
    private final long counter;
    private final ByteBuffer encrypted;

    private MessageTransport(int receiver, long counter, ByteBuffer encrypted) {
        this.receiver = receiver;
        this.counter = counter;
        this.encrypted = encrypted;
    }

    /** Parses the datagram in {@code [position, limit)} (position unchanged). */
    public static Parsed<MessageTransport> parse(ByteBuffer buf) {
        ParseDrop d = Wire.check(buf, WireGuard.MESSAGE_TRANSPORT, WireGuard.TRANSPORT_MIN_SIZE, false);
        if (d != null) {
            return new Parsed.Drop<>(d);
        }
        int p = buf.position();
        ByteBuffer payload = buf.duplicate();
        payload.position(p + WireGuard.TRANSPORT_HEADER_SIZE);
        return new Parsed.Ok<>(new MessageTransport(
                Wire.getIntLE(buf, p + OFF_RECEIVER),
                Wire.getLongLE(buf, p + OFF_COUNTER),
                payload.slice().asReadOnlyBuffer()));
    }

    /** Writes the 16-byte header into {@code out[off..off+16)}. */
    public static void encodeHeader(int receiver, long counter, byte[] out, int off) {
        out[off] = WireGuard.MESSAGE_TRANSPORT;
        out[off + 1] = 0;
        out[off + 2] = 0;
        out[off + 3] = 0;
        Wire.putIntLE(out, off + OFF_RECEIVER, receiver);
        Wire.putLongLE(out, off + OFF_COUNTER, counter);
    }

    /** The receiver's index {@code I_m'}. */
    public int receiver() {
        return receiver;
    }

    /** The 64-bit nonce counter (unsigned). */
    public long counter() {
        return counter;
    }

    /** The encrypted packet and its tag, read-only, sharing the parsed buffer. */
    public ByteBuffer encrypted() {
        return encrypted.duplicate();
    }

    @Override
    public String toString() {
        return "MessageTransport[receiver=" + Integer.toUnsignedString(receiver)
                + ", counter=" + Long.toUnsignedString(counter) + ", length=" + encrypted.remaining() + "]";
    }
}
