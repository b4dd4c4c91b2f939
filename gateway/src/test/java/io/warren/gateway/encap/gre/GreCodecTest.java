package io.warren.gateway.encap.gre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.warren.gateway.packet.Bufs;
import io.warren.gateway.packet.Fixtures;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GreCodecTest {

    /**
     * C, K and S set, protocol IPv4, checksum 0x1a37 (RFC 1071 over header and payload, computed
     * independently), Reserved1 0, key 0x0a0b0c0d, sequence 0x01020304, payload {@link Fixtures#V4_SYN}.
     */
    private static final String FULL = "b0000800" + "1a370000" + "0a0b0c0d" + "01020304" + Fixtures.V4_SYN;
    /** As {@link #FULL} but Reserved0 bits 6-12 and Reserved1 non-zero (checksum adjusted). */
    private static final String IGNORED_BITS = "b3f80800" + "bbe45a5a" + "0a0b0c0d" + "01020304" + Fixtures.V4_SYN;
    private static final GreHeader HEADER = new GreHeader(true, 0x1a37, true, 0x0a0b0c0d, true, 0x01020304, 0x0800);

    private final Bufs bufs = new Bufs();

    @AfterEach
    void release() {
        bufs.close();
    }

    private GreHeader decoded(ByteBuf packet) {
        return assertInstanceOf(GreDecodeResult.Decoded.class, GreCodec.decode(packet)).header();
    }

    private GreDropReason dropped(ByteBuf packet) {
        int reader = packet.readerIndex();
        GreDropReason reason = assertInstanceOf(GreDecodeResult.Dropped.class, GreCodec.decode(packet)).reason();
        assertEquals(reader, packet.readerIndex());
        return reason;
    }

    @Test
    void decodesEveryField() {
        ByteBuf packet = bufs.hex(FULL, 4);
        assertEquals(HEADER, decoded(packet));
        assertEquals(Fixtures.V4_SYN, Bufs.hexOf(packet));
    }

    @Test
    void encodeIsByteExact() {
        ByteBuf payload = bufs.hex(Fixtures.V4_SYN);
        ByteBuf out = bufs.empty();
        out.writeByte(0x99);
        out.readerIndex(1);
        assertEquals(16 + 44, GreCodec.encode(HEADER, payload, out));
        assertEquals(FULL, Bufs.hexOf(out));
        assertEquals(0, payload.readerIndex());
    }

    @Test
    void prependIsByteExactAndRoundTrips() {
        ByteBuf packet = bufs.hex(Fixtures.V4_SYN, 32);
        GreCodec.prepend(HEADER, packet);
        assertEquals(16, packet.readerIndex());
        assertEquals(FULL, Bufs.hexOf(packet));
        assertEquals(HEADER, decoded(packet));
        assertEquals(32, packet.readerIndex());
    }

    @Test
    void minimalAndKeyOnlyHeaders() {
        ByteBuf packet = bufs.hex("86dd", 8);
        GreCodec.prepend(GreHeader.of(0x86dd), packet);
        assertEquals("000086dd86dd", Bufs.hexOf(packet));
        ByteBuf keyed = bufs.hex("00", 8);
        GreCodec.prepend(GreHeader.of(0x6558).withKey(0xfedcba98), keyed);
        assertEquals("20006558fedcba9800", Bufs.hexOf(keyed));
        assertEquals(GreHeader.of(0x6558).withKey(0xfedcba98), decoded(keyed));
    }

    @Test
    void prependWithoutHeadroomIsAProgrammingError() {
        ByteBuf packet = bufs.hex(Fixtures.V4_SYN, 15);
        assertThrows(IllegalArgumentException.class, () -> GreCodec.prepend(HEADER, packet));
    }

    @Test
    void reservedBits6To12AndReserved1AreIgnored() {
        GreHeader header = decoded(bufs.hex(IGNORED_BITS));
        assertEquals(new GreHeader(true, 0xbbe4, true, 0x0a0b0c0d, true, 0x01020304, 0x0800), header);
    }

    @Test
    void reservedBits1To5AreDropped() {
        // Bit 1 (routing), bit 4 (strict source route), bit 5 (recursion control MSB).
        for (String flags : new String[] {"4000", "0800", "0400"}) {
            assertEquals(GreDropReason.RESERVED_BITS, dropped(bufs.hex(flags + "0800" + Fixtures.V4_SYN)), flags);
        }
    }

    @Test
    void nonZeroVersionIsDropped() {
        for (int version = 1; version <= 7; version++) {
            String flags = String.format("%04x", version);
            assertEquals(GreDropReason.BAD_VERSION, dropped(bufs.hex(flags + "880b" + Fixtures.V4_SYN)));
        }
    }

    @Test
    void wrongChecksumIsDropped() {
        byte[] packet = Bufs.decode(FULL);
        for (int i = 0; i < packet.length; i++) {
            byte[] corrupt = packet.clone();
            corrupt[i] ^= 0x01;
            GreDecodeResult result = GreCodec.decode(bufs.bytes(corrupt, 0));
            // Flipping a flag bit changes the layout; every other single-bit error breaks the checksum.
            if (i >= 2) {
                assertEquals(new GreDecodeResult.Dropped(GreDropReason.BAD_CHECKSUM), result, "byte " + i);
            } else {
                assertInstanceOf(GreDecodeResult.Dropped.class, result);
            }
        }
    }

    @Test
    void unknownProtocolIsDropped() {
        assertEquals(GreDropReason.UNKNOWN_PROTOCOL, dropped(bufs.hex("0000880b" + Fixtures.V4_SYN)));
        assertEquals(GreDropReason.UNKNOWN_PROTOCOL, dropped(bufs.hex("00000000")));
    }

    @Test
    void truncatedAtEveryHeaderLength() {
        byte[] packet = Bufs.decode(FULL);
        for (int n = 0; n < 16; n++) {
            assertEquals(GreDropReason.TRUNCATED, dropped(bufs.bytes(Arrays.copyOf(packet, n), 2)), "length " + n);
        }
    }

    @Test
    void randomGarbageNeverThrows() {
        SplittableRandom random = new SplittableRandom(2784);
        for (int i = 0; i < 20000; i++) {
            byte[] data = new byte[random.nextInt(0, 40)];
            random.nextBytes(data);
            GreDecodeResult result = GreCodec.decode(bufs.bytes(data, 0));
            if (result instanceof GreDecodeResult.Decoded decoded) {
                assertEquals(true, GreWire.isSupportedProtocol(decoded.header().protocolType()));
            }
            if (i % 1000 == 0) {
                bufs.close();
            }
        }
    }

    @Test
    void headerValidatesAbsentFields() {
        assertThrows(IllegalArgumentException.class, () -> new GreHeader(false, 1, false, 0, false, 0, 0x800));
        assertThrows(IllegalArgumentException.class, () -> new GreHeader(false, 0, false, 1, false, 0, 0x800));
        assertThrows(IllegalArgumentException.class, () -> new GreHeader(false, 0, false, 0, false, 1, 0x800));
        assertThrows(IllegalArgumentException.class, () -> GreHeader.of(0x10000));
        assertEquals(16, HEADER.length());
        assertEquals(4754, GreInUdp.PORT);
    }
}
