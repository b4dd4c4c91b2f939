package io.warren.gateway.encap.vxlan;

import io.netty.buffer.ByteBuf;

/**
 * Encodes and decodes the VXLAN header (RFC 7348 §5) that follows the outer UDP header.
 * Encapsulation adds no checksum of its own; the UDP checksum SHOULD be zero over IPv4 and is
 * handled by the transport shell (RFC 7348 §5, "UDP Checksum").
 */
public final class VxlanCodec {

    /** IANA UDP destination port for VXLAN (RFC 7348 §5). */
    public static final int PORT = 4789;
    /** Inner Ethernet header: destination, source, EtherType. */
    public static final int INNER_ETHERNET_HEADER = 14;

    private VxlanCodec() {
    }

    /**
     * Decodes the header at the readerIndex of {@code packet} (the UDP payload). On success the
     * readerIndex is advanced to the inner Ethernet frame; on a drop it is unchanged. Never throws
     * on input. Allocates the result: the data path passes its own {@link VxlanDecodeResult.Decoded}.
     */
    public static VxlanDecodeResult decode(ByteBuf packet, ReservedBits reservedBits) {
        return decode(packet, reservedBits, new VxlanDecodeResult.Decoded());
    }

    /**
     * As {@link #decode(ByteBuf, ReservedBits)}, allocating nothing: a valid header goes into
     * {@code into}, which is returned; a drop returns the shared {@link VxlanDecodeResult.Dropped}.
     */
    public static VxlanDecodeResult decode(ByteBuf packet, ReservedBits reservedBits, VxlanDecodeResult.Decoded into) {
        int start = packet.readerIndex();
        if (packet.readableBytes() < VxlanHeader.LENGTH + INNER_ETHERNET_HEADER) {
            return VxlanDecodeResult.Dropped.of(VxlanDropReason.TRUNCATED);
        }
        int word0 = packet.getInt(start);
        int word1 = packet.getInt(start + 4);
        int flags = word0 >>> 24;
        if ((flags & VxlanHeader.FLAG_I) == 0) {
            return VxlanDecodeResult.Dropped.of(VxlanDropReason.I_FLAG_NOT_SET);
        }
        boolean reservedNonZero = (flags & ~VxlanHeader.FLAG_I) != 0 || (word0 & 0xFFFFFF) != 0 || (word1 & 0xFF) != 0;
        if (reservedBits == ReservedBits.STRICT && reservedNonZero) {
            return VxlanDecodeResult.Dropped.of(VxlanDropReason.RESERVED_NONZERO);
        }
        packet.readerIndex(start + VxlanHeader.LENGTH);
        into.set(word0, word1);
        return into;
    }

    /** Appends the 8-byte header to {@code out}. */
    public static void encode(VxlanHeader header, ByteBuf out) {
        out.writeInt((header.flags() << 24) | header.reserved1());
        out.writeInt((header.vni() << 8) | header.reserved2());
    }

    /**
     * Writes the header into the 8 bytes of headroom before the readerIndex of {@code frame} and
     * moves the readerIndex back to it.
     *
     * @throws IllegalArgumentException if there are fewer than 8 bytes of headroom
     */
    public static void prepend(VxlanHeader header, ByteBuf frame) {
        int start = frame.readerIndex() - VxlanHeader.LENGTH;
        if (start < 0) {
            throw new IllegalArgumentException("headroom " + frame.readerIndex() + " < VXLAN header 8");
        }
        frame.setInt(start, (header.flags() << 24) | header.reserved1());
        frame.setInt(start + 4, (header.vni() << 8) | header.reserved2());
        frame.readerIndex(start);
    }
}
