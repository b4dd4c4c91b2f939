package io.warren.crypto.session;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Reads the inner IP header of a decrypted transport payload to strip the padding (WireGuard
 * whitepaper §5.4.6: the length comes from the IPv4 total length, RFC 791 §3.1, or the IPv6
 * payload length plus the 40-byte fixed header, RFC 8200 §3) and to find the source address the
 * shell checks against the peer's allowed IPs (§4 cryptokey routing). Stateless.
 */
public final class InnerPacket {
    private InnerPacket() {}

    static final int IPV4_HEADER_MIN = 20;
    static final int IPV4_OFFSET_TOTAL_LENGTH = 2;
    static final int IPV4_OFFSET_SRC = 12;
    static final int IPV6_HEADER_LENGTH = 40;
    static final int IPV6_OFFSET_PAYLOAD_LENGTH = 4;
    static final int IPV6_OFFSET_SRC = 8;

    /** Length of the inner packet in {@code buf[position, limit)}, or -1 if malformed (see {@link #check}). */
    public static int length(ByteBuffer buf) {
        int available = buf.remaining();
        if (available < 1) {
            return -1;
        }
        int p = buf.position();
        int version = (buf.get(p) & 0xff) >>> 4;
        int length;
        if (version == 4) {
            if (available < IPV4_HEADER_MIN) {
                return -1;
            }
            length = u16(buf, p + IPV4_OFFSET_TOTAL_LENGTH);
            if (length < IPV4_HEADER_MIN) {
                return -1;
            }
        } else if (version == 6) {
            if (available < IPV6_HEADER_LENGTH) {
                return -1;
            }
            length = u16(buf, p + IPV6_OFFSET_PAYLOAD_LENGTH) + IPV6_HEADER_LENGTH;
        } else {
            return -1;
        }
        return length > available ? -1 : length;
    }

    /** The big-endian (network order) u16 at absolute {@code at}, whatever the buffer's byte order. */
    private static int u16(ByteBuffer buf, int at) {
        return (buf.get(at) & 0xff) << 8 | buf.get(at + 1) & 0xff;
    }

    /** Null if {@code buf[position, limit)} holds a well-formed inner packet, else the drop reason. */
    public static DropReason check(ByteBuffer buf) {
        if (buf.remaining() >= 1) {
            int version = (buf.get(buf.position()) & 0xff) >>> 4;
            if (version != 4 && version != 6) {
                return DropReason.INNER_PACKET_INVALID_VERSION;
            }
        }
        return length(buf) < 0 ? DropReason.INNER_PACKET_INVALID_LENGTH : null;
    }

    /** The source address of a packet already accepted by {@link #length}. */
    public static InetAddress source(ByteBuffer packet) {
        int p = packet.position();
        boolean v4 = (packet.get(p) & 0xff) >>> 4 == 4;
        byte[] address = new byte[v4 ? 4 : 16];
        packet.get(p + (v4 ? IPV4_OFFSET_SRC : IPV6_OFFSET_SRC), address);
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 and 16 byte addresses are always valid", e);
        }
    }
}
