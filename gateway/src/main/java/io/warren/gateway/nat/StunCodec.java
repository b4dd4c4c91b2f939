package io.warren.gateway.nat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Encodes Binding requests and decodes Binding responses (RFC 8489). Static functions on
 * {@link ByteBuffer}s; nothing is kept. Bad input never throws: {@link #decode} answers with a
 * {@link StunDecodeResult.Dropped} reason.
 */
public final class StunCodec {
    private static final int FINGERPRINT_ATTRIBUTE_LENGTH = 8;

    private StunCodec() {
    }

    /**
     * Whether a datagram on the WireGuard port is STUN (RFC 8489 §5, §7): the two top bits are zero,
     * bytes 4-7 hold the magic cookie and the length field plus the header is the datagram's length
     * (a multiple of 4). WireGuard messages (types 1-4, RFC-less) have bytes 1-3 zero, so their
     * STUN length would be 0 and their total 20 bytes, which no WireGuard message is: no overlap.
     */
    public static boolean isStun(ByteBuffer datagram) {
        int p = datagram.position();
        int n = datagram.remaining();
        if (n < StunWire.HEADER_LENGTH || (n & 3) != 0 || (datagram.get(p) & 0xc0) != 0) {
            return false;
        }
        return datagram.getInt(p + 4) == StunWire.MAGIC_COOKIE
                && (datagram.getShort(p + 2) & 0xffff) + StunWire.HEADER_LENGTH == n;
    }

    /** A Binding request (§6.1) with FINGERPRINT (§14.7, so it is told apart from WireGuard). */
    public static ByteBuffer bindingRequest(TransactionId id) {
        ByteBuffer b = ByteBuffer.allocate(StunWire.HEADER_LENGTH + FINGERPRINT_ATTRIBUTE_LENGTH);
        header(b, StunWire.BINDING_REQUEST, FINGERPRINT_ATTRIBUTE_LENGTH, id);
        appendFingerprint(b);
        return b.flip();
    }

    /**
     * A Binding success response (§6.3.1.1) with XOR-MAPPED-ADDRESS and FINGERPRINT, as a server
     * sends it (for tests and in-memory servers).
     */
    public static ByteBuffer bindingResponse(TransactionId id, InetSocketAddress reflexive) {
        byte[] addr = reflexive.getAddress().getAddress();
        int attr = 4 + 4 + addr.length;
        ByteBuffer b = ByteBuffer.allocate(StunWire.HEADER_LENGTH + attr + FINGERPRINT_ATTRIBUTE_LENGTH);
        header(b, StunWire.BINDING_SUCCESS_RESPONSE, attr + FINGERPRINT_ATTRIBUTE_LENGTH, id);
        b.putShort((short) StunWire.XOR_MAPPED_ADDRESS).putShort((short) (4 + addr.length));
        b.put((byte) 0).put((byte) (addr.length == 4 ? StunWire.FAMILY_IPV4 : StunWire.FAMILY_IPV6));
        b.putShort((short) (reflexive.getPort() ^ (StunWire.MAGIC_COOKIE >>> 16)));
        byte[] mask = xorMask(id);
        for (int i = 0; i < addr.length; i++) {
            b.put((byte) (addr[i] ^ mask[i]));
        }
        appendFingerprint(b);
        return b.flip();
    }

    private static void header(ByteBuffer b, int type, int length, TransactionId id) {
        b.putShort((short) type).putShort((short) length).putInt(StunWire.MAGIC_COOKIE);
        id.write(b);
    }

    /** Appends FINGERPRINT over everything written so far; the length field must already count it. */
    private static void appendFingerprint(ByteBuffer b) {
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putShort((short) StunWire.FINGERPRINT).putShort((short) 4);
        b.putInt((int) crc.getValue() ^ StunWire.FINGERPRINT_XOR);
    }

    /** The cookie followed by the transaction id: the XOR mask of §14.2. */
    private static byte[] xorMask(TransactionId id) {
        ByteBuffer m = ByteBuffer.allocate(16).putInt(StunWire.MAGIC_COOKIE);
        id.write(m);
        return m.array();
    }

    /** Decodes a STUN message; position and limit of {@code datagram} are not changed. */
    public static StunDecodeResult decode(ByteBuffer datagram) {
        if (!isStun(datagram)) {
            return new StunDecodeResult.Dropped(StunDropReason.MALFORMED_HEADER);
        }
        int start = datagram.position();
        int end = datagram.limit();
        int type = datagram.getShort(start) & 0xffff;
        TransactionId id = TransactionId.read(datagram, start + 8);
        Optional<InetSocketAddress> xorMapped = Optional.empty();
        Optional<InetSocketAddress> mapped = Optional.empty();
        boolean fingerprinted = false;
        boolean integrity = false;
        boolean integritySha256 = false;
        boolean unknownRequired = false;
        int p = start + StunWire.HEADER_LENGTH;
        while (p < end) {
            if (fingerprinted) {
                return dropped(StunDropReason.MALFORMED_ATTRIBUTE); // §14.7: FINGERPRINT comes last
            }
            if (end - p < 4) {
                return dropped(StunDropReason.MALFORMED_ATTRIBUTE);
            }
            int attrType = datagram.getShort(p) & 0xffff;
            int length = datagram.getShort(p + 2) & 0xffff;
            int value = p + 4;
            int next = value + ((length + 3) & ~3); // §14: values are padded to 4 bytes
            if (next > end) {
                return dropped(StunDropReason.MALFORMED_ATTRIBUTE);
            }
            if (attrType != StunWire.FINGERPRINT && (integritySha256
                    || integrity && attrType != StunWire.MESSAGE_INTEGRITY_SHA256)) {
                p = next; // §14.5, §14.6: attributes after MESSAGE-INTEGRITY(-SHA256) are ignored
                continue;
            }
            if (attrType == StunWire.MESSAGE_INTEGRITY) {
                integrity = true; // not verified: we send no USERNAME, so no credentials apply (§9)
            } else if (attrType == StunWire.MESSAGE_INTEGRITY_SHA256) {
                integritySha256 = true;
            } else if (attrType == StunWire.XOR_MAPPED_ADDRESS && xorMapped.isEmpty()) { // §14: the first one counts
                Optional<InetSocketAddress> a = address(datagram, value, length, xorMask(id));
                if (a.isEmpty()) {
                    return dropped(StunDropReason.MALFORMED_ATTRIBUTE);
                }
                xorMapped = a;
            } else if (attrType == StunWire.MAPPED_ADDRESS && mapped.isEmpty()) {
                Optional<InetSocketAddress> a = address(datagram, value, length, null);
                if (a.isEmpty()) {
                    return dropped(StunDropReason.MALFORMED_ATTRIBUTE);
                }
                mapped = a;
            } else if (attrType == StunWire.FINGERPRINT) {
                if (length != 4) {
                    return dropped(StunDropReason.MALFORMED_ATTRIBUTE);
                }
                CRC32 crc = new CRC32();
                ByteBuffer covered = datagram.duplicate();
                covered.position(start).limit(p);
                crc.update(covered);
                if (((int) crc.getValue() ^ StunWire.FINGERPRINT_XOR) != datagram.getInt(value)) {
                    return dropped(StunDropReason.BAD_FINGERPRINT);
                }
                fingerprinted = true;
            } else if (attrType < StunWire.COMPREHENSION_OPTIONAL_START
                    && !StunWire.KNOWN_REQUIRED.contains(attrType)) {
                unknownRequired = true; // §6.3.3, §6.3.4: the client fails the transaction, if it is ours
            }
            p = next;
        }
        return new StunDecodeResult.Decoded(new StunMessage(type, id, xorMapped, mapped, fingerprinted,
                unknownRequired));
    }

    /** §14.1/§14.2: reserved byte, family, port, address; {@code mask} null for MAPPED-ADDRESS. */
    private static Optional<InetSocketAddress> address(ByteBuffer b, int at, int length, byte[] mask) {
        if (length < 4) {
            return Optional.empty();
        }
        int family = b.get(at + 1) & 0xff;
        int addrLength = family == StunWire.FAMILY_IPV4 ? 4 : family == StunWire.FAMILY_IPV6 ? 16 : -1;
        if (addrLength < 0 || length != 4 + addrLength) {
            return Optional.empty();
        }
        int port = b.getShort(at + 2) & 0xffff;
        byte[] addr = new byte[addrLength];
        for (int i = 0; i < addrLength; i++) {
            addr[i] = (byte) (b.get(at + 4 + i) ^ (mask == null ? 0 : mask[i]));
        }
        if (mask != null) {
            port ^= StunWire.MAGIC_COOKIE >>> 16;
        }
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByAddress(addr), port));
        } catch (UnknownHostException e) {
            return Optional.empty(); // not reached: the length is 4 or 16
        }
    }

    private static StunDecodeResult dropped(StunDropReason reason) {
        return new StunDecodeResult.Dropped(reason);
    }
}
