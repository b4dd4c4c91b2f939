package io.warren.gateway.encap.gre;

import io.netty.buffer.ByteBuf;
import io.warren.gateway.packet.InetChecksum;

/**
 * Encodes and decodes the GRE header of RFC 2784 §2 with the Key and Sequence Number fields of
 * RFC 2890 §2. When the C bit is set the checksum covers the GRE header and the payload
 * (RFC 2784 §2.5) and is computed here on encoding and verified on decoding.
 *
 * <p>Receive rules, in this order: at least 4 bytes; Version 0 (RFC 2784 §2.3.1); Reserved0
 * bits 1, 4, 5 zero (RFC 2784 §2.3, with bits 2-3 taken by RFC 2890), bits 6-12 ignored; the
 * optional fields present; checksum valid; protocol type supported. Reserved1 is ignored on
 * receipt and sent as zero (RFC 2784 §2.6).
 */
public final class GreCodec {

    private GreCodec() {
    }

    /**
     * Decodes the GRE header at the readerIndex of {@code packet}, which must end where the GRE
     * payload ends (the outer IP/UDP layers already stripped to the right length). On success the
     * readerIndex is advanced past the GRE header; on a drop nothing changes. Never throws on input.
     * Allocates the result: the data path uses {@link #decode(ByteBuf, GreDecodeResult.Decoded)}.
     */
    public static GreDecodeResult decode(ByteBuf packet) {
        return decode(packet, new GreDecodeResult.Decoded());
    }

    /**
     * As {@link #decode(ByteBuf)}, allocating nothing: a valid header is written into {@code into},
     * which is returned; a drop returns the shared {@link GreDecodeResult.Dropped} of its reason.
     */
    public static GreDecodeResult decode(ByteBuf packet, GreDecodeResult.Decoded into) {
        int start = packet.readerIndex();
        int available = packet.readableBytes();
        if (available < GreWire.BASE_LENGTH) {
            return GreDecodeResult.Dropped.of(GreDropReason.TRUNCATED);
        }
        int flags = packet.getUnsignedShort(start);
        if ((flags & GreWire.VERSION_MASK) != 0) {
            return GreDecodeResult.Dropped.of(GreDropReason.BAD_VERSION);
        }
        if ((flags & GreWire.RESERVED0_MUST_BE_ZERO) != 0) {
            return GreDecodeResult.Dropped.of(GreDropReason.RESERVED_BITS);
        }
        boolean c = (flags & GreWire.FLAG_C) != 0;
        boolean k = (flags & GreWire.FLAG_K) != 0;
        boolean s = (flags & GreWire.FLAG_S) != 0;
        int length = GreWire.BASE_LENGTH + (c ? 4 : 0) + (k ? 4 : 0) + (s ? 4 : 0);
        if (available < length) {
            return GreDecodeResult.Dropped.of(GreDropReason.TRUNCATED);
        }
        int at = start + GreWire.BASE_LENGTH;
        int checksum = 0;
        if (c) {
            checksum = packet.getUnsignedShort(at);
            if (InetChecksum.compute(packet, start, available) != 0) {
                return GreDecodeResult.Dropped.of(GreDropReason.BAD_CHECKSUM);
            }
            at += 4;
        }
        int protocolType = packet.getUnsignedShort(start + 2);
        if (!GreWire.isSupportedProtocol(protocolType)) {
            return GreDecodeResult.Dropped.of(GreDropReason.UNKNOWN_PROTOCOL);
        }
        int key = 0;
        if (k) {
            key = packet.getInt(at);
            at += 4;
        }
        int sequence = 0;
        if (s) {
            sequence = packet.getInt(at);
        }
        packet.readerIndex(start + length);
        into.set(c, checksum, k, key, s, sequence, protocolType);
        return into;
    }

    /**
     * Writes the header into the headroom just before the readerIndex of {@code packet} (whose
     * readable bytes are the payload) and moves the readerIndex back to the header's start.
     *
     * @throws IllegalArgumentException if the headroom is smaller than {@link GreHeader#length()}
     */
    public static void prepend(GreHeader header, ByteBuf packet) {
        prepend(header, header.sequence(), packet);
    }

    /**
     * As {@link #prepend(GreHeader, ByteBuf)} with {@code sequence} in the Sequence Number field
     * when {@code header} has one (RFC 2890 §2.2), so a sender keeps one header for every packet
     * instead of a copy per sequence number.
     */
    public static void prepend(GreHeader header, int sequence, ByteBuf packet) {
        int length = header.length();
        int start = packet.readerIndex() - length;
        if (start < 0) {
            throw new IllegalArgumentException("headroom " + packet.readerIndex() + " < GRE header " + length);
        }
        writeHeader(header, sequence, packet, start);
        packet.readerIndex(start);
        fillChecksum(header, packet, start, packet.writerIndex() - start);
    }

    /**
     * Appends the header followed by the readable bytes of {@code payload} to {@code out}. The
     * payload's indices are not changed.
     *
     * @return the number of bytes written
     */
    public static int encode(GreHeader header, ByteBuf payload, ByteBuf out) {
        int length = header.length();
        int start = out.writerIndex();
        out.ensureWritable(length + payload.readableBytes());
        writeHeader(header, header.sequence(), out, start);
        out.writerIndex(start + length);
        out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        int total = out.writerIndex() - start;
        fillChecksum(header, out, start, total);
        return total;
    }

    private static void writeHeader(GreHeader header, int sequence, ByteBuf buf, int index) {
        int flags = (header.checksumPresent() ? GreWire.FLAG_C : 0)
                | (header.keyPresent() ? GreWire.FLAG_K : 0)
                | (header.sequencePresent() ? GreWire.FLAG_S : 0);
        buf.setShort(index, flags);
        buf.setShort(index + 2, header.protocolType());
        int at = index + GreWire.BASE_LENGTH;
        if (header.checksumPresent()) {
            buf.setInt(at, 0);
            at += 4;
        }
        if (header.keyPresent()) {
            buf.setInt(at, header.key());
            at += 4;
        }
        if (header.sequencePresent()) {
            buf.setInt(at, sequence);
        }
    }

    private static void fillChecksum(GreHeader header, ByteBuf buf, int start, int length) {
        if (header.checksumPresent()) {
            buf.setShort(start + GreWire.BASE_LENGTH, InetChecksum.compute(buf, start, length));
        }
    }
}
