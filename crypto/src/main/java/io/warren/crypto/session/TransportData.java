package io.warren.crypto.session;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encoding and decoding of the transport data message (WireGuard whitepaper §5.4.6):
 *
 * <pre>
 * msg = packet_data {
 *   u8 message_type (4), u8 reserved_zero[3],
 *   u32 receiver_index (LE), u64 counter (LE),
 *   u8 encrypted_encapsulated_packet[] = AEAD(T_send, counter, P || zero padding, ε)
 * }
 * </pre>
 *
 * Static functions on caller-owned buffers, in place; failures are reported as a
 * {@link DropReason}. Never throws for bad input.
 */
public final class TransportData {
    private TransportData() {}

    /** Plaintext bytes after padding {@code length} to a multiple of 16, capped at {@code mtu} (§5.4.6). */
    public static int paddedLength(int length, int mtu) {
        int last = length;
        if (mtu > 0 && last > mtu) {
            last %= mtu;
        }
        int padded = (last + Constants.MESSAGE_PADDING_MULTIPLE - 1) & -Constants.MESSAGE_PADDING_MULTIPLE;
        if (mtu > 0 && padded > mtu) {
            padded = mtu;
        }
        return length + (padded - last);
    }

    /** Bytes a buffer needs after an inner packet of {@code length}: padding plus tag. */
    public static int tailroom(int length, int mtu) {
        return paddedLength(length, mtu) - length + Constants.AUTH_TAG_LENGTH;
    }

    /**
     * Seals the inner packet at {@code buf[position, limit)} in place into a data message:
     * writes the header into the {@value Constants#MESSAGE_DATA_HEADER_LENGTH} bytes before
     * {@code position}, zero padding and the tag after {@code limit}. On return
     * {@code buf[position, limit)} is the whole message. Requires {@code position >= 16} and
     * {@link #tailroom} bytes of capacity after the limit.
     */
    public static void seal(Keypair keypair, long counter, ByteBuffer buf, int mtu) {
        pad(buf, mtu);
        sealPadded(keypair, counter, buf, 0);
    }

    /** The first half of {@link #seal}: zero padding after the limit, which grows to cover it. */
    static void pad(ByteBuffer buf, int mtu) {
        int end = buf.limit();
        buf.limit(buf.position() + paddedLength(buf.remaining(), mtu));
        for (int i = end; i < buf.limit(); i++) {
            buf.put(i, (byte) 0);
        }
    }

    /**
     * The second half of {@link #seal}, on a buffer {@link #pad} prepared: the AEAD (on the
     * keypair's sending slot claimed from {@code lane}) and the header. Needs no serialisation
     * with the peer: any thread holding the keypair (see {@link Keypair#acquire}).
     */
    static void sealPadded(Keypair keypair, long counter, ByteBuffer buf, int lane) {
        int start = buf.position() - Constants.MESSAGE_DATA_HEADER_LENGTH;
        keypair.seal(counter, buf, lane);
        writeHeader(buf, start, keypair.remoteIndex(), counter);
        buf.position(start);
    }

    private static void writeHeader(ByteBuffer buf, int at, int receiver, long counter) {
        boolean le = buf.order() == ByteOrder.LITTLE_ENDIAN;
        buf.putInt(at, le ? Constants.MESSAGE_DATA : Integer.reverseBytes(Constants.MESSAGE_DATA));
        buf.putInt(at + Constants.OFFSET_RECEIVER, le ? receiver : Integer.reverseBytes(receiver));
        buf.putLong(at + Constants.OFFSET_COUNTER, le ? counter : Long.reverseBytes(counter));
    }

    /** Little-endian u32 at absolute {@code at}, whatever the buffer's byte order. */
    static int intLE(ByteBuffer buf, int at) {
        int v = buf.getInt(at);
        return buf.order() == ByteOrder.LITTLE_ENDIAN ? v : Integer.reverseBytes(v);
    }

    /** The message type word (type byte and three reserved zero bytes) at {@code buf[position]}. */
    public static int messageType(ByteBuffer buf) {
        return intLE(buf, buf.position());
    }

    /** The receiver index of a data message at {@code buf[position, ...)} (caller checked the length). */
    public static int receiverIndex(ByteBuffer buf) {
        return intLE(buf, buf.position() + Constants.OFFSET_RECEIVER);
    }

    /** The counter of a data message at {@code buf[position, ...)} (caller checked the length). */
    public static long counter(ByteBuffer buf) {
        long v = buf.getLong(buf.position() + Constants.OFFSET_COUNTER);
        return buf.order() == ByteOrder.LITTLE_ENDIAN ? v : Long.reverseBytes(v);
    }

    /**
     * Opens the data message at {@code buf[position, limit)} in place with {@code keypair} (found
     * by the caller from {@link #receiverIndex}), allocating nothing. Checks length and expiry,
     * then authenticates; the replay window is NOT consulted (the caller does that after
     * authentication). On success returns null and {@code buf[position, limit)} is the plaintext
     * (padding still present); otherwise returns the reason and {@code buf}'s position and limit
     * are unchanged. The caller reads the {@link #counter} first.
     */
    public static DropReason openInPlace(Keypair keypair, ByteBuffer buf, long now) {
        if (buf.remaining() < Constants.MESSAGE_DATA_MIN_LENGTH) {
            return DropReason.MESSAGE_TRUNCATED;
        }
        if (keypair == null || keypair.isDestroyed()) {
            return DropReason.UNKNOWN_RECEIVER_INDEX;
        }
        if (keypair.isExpired(now)) {
            return DropReason.KEYPAIR_EXPIRED;
        }
        long counter = counter(buf);
        int start = buf.position();
        buf.position(start + Constants.MESSAGE_DATA_HEADER_LENGTH);
        if (!keypair.open(counter, buf)) {
            buf.position(start);
            return DropReason.AUTHENTICATION_FAILED;
        }
        return null;
    }
}
