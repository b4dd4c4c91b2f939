package io.warren.tun;

import java.nio.ByteBuffer;

/**
 * {@code struct virtio_net_hdr} (virtio 1.x spec section 5.1.6 "Device Operation"; Linux
 * {@code include/uapi/linux/virtio_net.h}), the 10-byte header before every packet on a device
 * opened with {@code IFF_VNET_HDR}. Little-endian on the wire (TUN uses the host order, and
 * {@code TUNSETVNETLE} semantics are the default on x86_64):
 * <pre>
 *   u8 flags; u8 gso_type; le16 hdr_len; le16 gso_size; le16 csum_start; le16 csum_offset;
 * </pre>
 *
 * @param flags      {@link #F_NEEDS_CSUM}, {@link #F_DATA_VALID}
 * @param gsoType    {@link #GSO_NONE}, {@link #GSO_TCPV4}, {@link #GSO_UDP}, {@link #GSO_TCPV6},
 *                   {@link #GSO_UDP_L4}, optionally or-ed with {@link #GSO_ECN}
 * @param hdrLen     length of the headers to copy into every segment
 * @param gsoSize    payload bytes per segment (the MSS)
 * @param csumStart  offset where checksumming starts
 * @param csumOffset offset after {@code csumStart} at which to store the checksum
 */
public record VirtioNetHeader(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
    /** Size in bytes ({@code sizeof(struct virtio_net_hdr)}). */
    public static final int SIZE = 10;

    /** {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}: the checksum at csum_start/csum_offset is partial. */
    public static final int F_NEEDS_CSUM = 1;
    /** {@code VIRTIO_NET_HDR_F_DATA_VALID}: the checksum was already verified. */
    public static final int F_DATA_VALID = 2;
    /** {@code VIRTIO_NET_HDR_F_RSC_INFO}: coalescing info (receive side only). */
    public static final int F_RSC_INFO = 4;

    /** {@code VIRTIO_NET_HDR_GSO_NONE}: not a GSO frame. */
    public static final int GSO_NONE = 0;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV4}. */
    public static final int GSO_TCPV4 = 1;
    /** {@code VIRTIO_NET_HDR_GSO_UDP}: UFO, IPv4 fragmentation (legacy). */
    public static final int GSO_UDP = 3;
    /** {@code VIRTIO_NET_HDR_GSO_TCPV6}. */
    public static final int GSO_TCPV6 = 4;
    /** {@code VIRTIO_NET_HDR_GSO_UDP_L4}: UDP segmentation (USO, UDP_SEGMENT). */
    public static final int GSO_UDP_L4 = 5;
    /** {@code VIRTIO_NET_HDR_GSO_ECN}: flag bit, the TCP segments carry CWR. */
    public static final int GSO_ECN = 0x80;

    /** A header that asks for nothing (no checksum, no segmentation). */
    public static final VirtioNetHeader NONE = new VirtioNetHeader(0, GSO_NONE, 0, 0, 0, 0);

    /** Why {@link #decode} refused a header. */
    public enum DropReason {
        /** Fewer than {@link #SIZE} bytes. */
        TRUNCATED,
        /** gso_type (without the ECN bit) is not one of the known types. */
        UNKNOWN_GSO_TYPE,
        /** A GSO type other than NONE with gso_size 0. */
        MISSING_GSO_SIZE,
        /** Flag bits outside NEEDS_CSUM, DATA_VALID and RSC_INFO. */
        UNKNOWN_FLAGS
    }

    /** Result of {@link #decode}. */
    public sealed interface Decoded permits Ok, Dropped {
    }

    /** A valid header. */
    public record Ok(VirtioNetHeader header) implements Decoded {
    }

    /** A refused header and why. */
    public record Dropped(DropReason reason) implements Decoded {
    }

    /** Validates that each field fits its wire width (u8 or u16). */
    public VirtioNetHeader {
        checkRange("flags", flags, 0xff);
        checkRange("gsoType", gsoType, 0xff);
        checkRange("hdrLen", hdrLen, 0xffff);
        checkRange("gsoSize", gsoSize, 0xffff);
        checkRange("csumStart", csumStart, 0xffff);
        checkRange("csumOffset", csumOffset, 0xffff);
    }

    private static void checkRange(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " must be 0.." + max + ", got " + value);
        }
    }

    /** True when {@link #gsoType()} says the packet is a GSO super-packet. */
    public boolean isGso() {
        return (gsoType & ~GSO_ECN) != GSO_NONE;
    }

    /**
     * Decodes the header at {@code src}'s position without moving it. Never throws on bad input:
     * short or inconsistent headers come back as {@link Dropped}.
     */
    public static Decoded decode(ByteBuffer src) {
        int p = src.position();
        if (src.limit() - p < SIZE) {
            return new Dropped(DropReason.TRUNCATED);
        }
        int flags = src.get(p) & 0xff;
        int gsoType = src.get(p + 1) & 0xff;
        int hdrLen = getLe16(src, p + 2);
        int gsoSize = getLe16(src, p + 4);
        int csumStart = getLe16(src, p + 6);
        int csumOffset = getLe16(src, p + 8);
        if ((flags & ~(F_NEEDS_CSUM | F_DATA_VALID | F_RSC_INFO)) != 0) {
            return new Dropped(DropReason.UNKNOWN_FLAGS);
        }
        int type = gsoType & ~GSO_ECN;
        if (type != GSO_NONE && type != GSO_TCPV4 && type != GSO_UDP && type != GSO_TCPV6
                && type != GSO_UDP_L4) {
            return new Dropped(DropReason.UNKNOWN_GSO_TYPE);
        }
        if (type != GSO_NONE && gsoSize == 0) {
            return new Dropped(DropReason.MISSING_GSO_SIZE);
        }
        return new Ok(new VirtioNetHeader(flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset));
    }

    /**
     * Writes the 10 bytes at {@code dst}'s position and advances it.
     *
     * @throws java.nio.BufferOverflowException if fewer than 10 bytes remain
     */
    public void encode(ByteBuffer dst) {
        if (dst.remaining() < SIZE) {
            throw new java.nio.BufferOverflowException();
        }
        int p = dst.position();
        dst.put(p, (byte) flags);
        dst.put(p + 1, (byte) gsoType);
        putLe16(dst, p + 2, hdrLen);
        putLe16(dst, p + 4, gsoSize);
        putLe16(dst, p + 6, csumStart);
        putLe16(dst, p + 8, csumOffset);
        dst.position(p + SIZE);
    }

    /** Little-endian u16 at an absolute index, whatever the buffer's byte order. */
    private static int getLe16(ByteBuffer b, int i) {
        return (b.get(i) & 0xff) | (b.get(i + 1) & 0xff) << 8;
    }

    private static void putLe16(ByteBuffer b, int i, int v) {
        b.put(i, (byte) v);
        b.put(i + 1, (byte) (v >>> 8));
    }
}
