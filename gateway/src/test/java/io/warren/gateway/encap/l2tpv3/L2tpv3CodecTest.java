package io.warren.gateway.encap.l2tpv3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.warren.gateway.packet.Bufs;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Header bytes are those Linux's l2tp_build_l2tpv3_header() writes for the same parameters:
 * over UDP a 0x0003 0x0000 word first, then peer Session ID, cookie, and with the default
 * L2-specific sublayer 4 more bytes (0x40000000 | ns when sending sequence numbers, else zero).
 */
class L2tpv3CodecTest {

    private static final String FRAME = "021122334455" + "0266778899aa" + "0800" + "4500";
    private static final byte[] COOKIE = Bufs.decode("0102030405060708");
    private static final byte[] PEER_COOKIE = Bufs.decode("f1e2d3c4");

    /** We receive session 0x00c0ffee with cookie f1e2d3c4; we send to session 0x0badcafe with cookie 0102...08. */
    private static final L2tpv3Session SEQ_SESSION = new L2tpv3Session(0x00c0ffee, 0x0badcafe, COOKIE,
            PEER_COOKIE, L2SpecificSublayer.DEFAULT, true, true);
    /** Linux defaults: default sublayer present, no sequencing, no cookies. */
    private static final L2tpv3Session PLAIN_SESSION = new L2tpv3Session(0x11223344, 0x55667788, null, null,
            L2SpecificSublayer.DEFAULT, false, false);
    /** l2spec_type none. */
    private static final L2tpv3Session BARE_SESSION = new L2tpv3Session(0x01010101, 0x02020202,
            Bufs.decode("aabbccdd"), Bufs.decode("a1b2c3d4e5f60718"), L2SpecificSublayer.NONE, false, false);

    private static final IntFunction<L2tpv3Session> SESSIONS = Map.of(
            SEQ_SESSION.sessionId(), SEQ_SESSION,
            PLAIN_SESSION.sessionId(), PLAIN_SESSION,
            BARE_SESSION.sessionId(), BARE_SESSION)::get;

    private final Bufs bufs = new Bufs();

    @AfterEach
    void release() {
        bufs.close();
    }

    private L2tpv3DecodeResult.Decoded decoded(ByteBuf packet, L2tpv3Encap encap) {
        return assertInstanceOf(L2tpv3DecodeResult.Decoded.class, L2tpv3Codec.decode(packet, encap, SESSIONS));
    }

    private L2tpv3DropReason dropped(ByteBuf packet, L2tpv3Encap encap) {
        int reader = packet.readerIndex();
        L2tpv3DropReason reason = assertInstanceOf(L2tpv3DecodeResult.Dropped.class,
                L2tpv3Codec.decode(packet, encap, SESSIONS)).reason();
        assertEquals(reader, packet.readerIndex());
        return reason;
    }

    @Test
    void udpWithCookieAndSequenceIsByteExact() {
        ByteBuf packet = bufs.hex(FRAME, 24);
        L2tpv3Codec.prepend(SEQ_SESSION, L2tpv3Encap.UDP, 0x00abcdef, packet);
        assertEquals("00030000" + "0badcafe" + "0102030405060708" + "40abcdef" + FRAME, Bufs.hexOf(packet));
        assertEquals(4, packet.readerIndex());
    }

    @Test
    void ipWithoutSequenceSendsZeroSublayer() {
        ByteBuf packet = bufs.hex(FRAME, 8);
        L2tpv3Codec.prepend(PLAIN_SESSION, L2tpv3Encap.IP, 0x123, packet);
        assertEquals("55667788" + "00000000" + FRAME, Bufs.hexOf(packet));
        ByteBuf out = bufs.empty();
        L2tpv3Codec.encode(PLAIN_SESSION, L2tpv3Encap.UDP, 0, out);
        assertEquals("00030000" + "55667788" + "00000000", Bufs.hexOf(out));
        assertEquals(8, L2tpv3Codec.headerLength(PLAIN_SESSION, L2tpv3Encap.IP));
    }

    @Test
    void noSublayerHasNoSublayerBytes() {
        ByteBuf packet = bufs.hex(FRAME, 8);
        L2tpv3Codec.prepend(BARE_SESSION, L2tpv3Encap.IP, 0, packet);
        assertEquals("02020202" + "aabbccdd" + FRAME, Bufs.hexOf(packet));
    }

    @Test
    void decodesUdpWithSequence() {
        ByteBuf packet = bufs.hex("00030000" + "00c0ffee" + "f1e2d3c4" + "40abcdef" + FRAME, 6);
        L2tpv3DecodeResult.Decoded d = decoded(packet, L2tpv3Encap.UDP);
        assertEquals(SEQ_SESSION, d.session());
        assertEquals(true, d.hasSequence());
        assertEquals(0xabcdef, d.sequence());
        assertEquals(FRAME, Bufs.hexOf(packet));
    }

    @Test
    void decodesIpAndIgnoresReservedBits() {
        ByteBuf ip = bufs.hex("11223344" + "00000000" + FRAME);
        L2tpv3DecodeResult.Decoded d = decoded(ip, L2tpv3Encap.IP);
        assertEquals(PLAIN_SESSION, d.session());
        assertEquals(false, d.hasSequence());
        assertEquals(FRAME, Bufs.hexOf(ip));
        // Reserved bits of the UDP word and of the sublayer (bit 0, bits 2-7) are ignored.
        ByteBuf udp = bufs.hex("7ff3ffff" + "11223344" + "bf000000" + FRAME);
        assertEquals(false, decoded(udp, L2tpv3Encap.UDP).hasSequence());
        ByteBuf bare = bufs.hex("01010101" + "a1b2c3d4e5f60718" + FRAME);
        decoded(bare, L2tpv3Encap.IP);
        assertEquals(FRAME, Bufs.hexOf(bare));
    }

    @Test
    void drops() {
        assertEquals(L2tpv3DropReason.CONTROL_MESSAGE, dropped(bufs.hex("c8030014" + "00000000"), L2tpv3Encap.UDP));
        assertEquals(L2tpv3DropReason.CONTROL_MESSAGE, dropped(bufs.hex("00000000" + "c8030014"), L2tpv3Encap.IP));
        assertEquals(L2tpv3DropReason.BAD_VERSION, dropped(bufs.hex("00020000" + "11223344" + "00000000" + FRAME), L2tpv3Encap.UDP));
        assertEquals(L2tpv3DropReason.UNKNOWN_SESSION, dropped(bufs.hex("00030000" + "00000000" + FRAME), L2tpv3Encap.UDP));
        assertEquals(L2tpv3DropReason.UNKNOWN_SESSION, dropped(bufs.hex("0badcafe" + "00000000" + FRAME), L2tpv3Encap.IP));
        assertEquals(L2tpv3DropReason.MISSING_SEQUENCE,
                dropped(bufs.hex("00c0ffee" + "f1e2d3c4" + "00abcdef" + FRAME), L2tpv3Encap.IP));
    }

    @Test
    void everyWrongCookieByteIsDropped() {
        byte[] packet = Bufs.decode("00c0ffee" + "f1e2d3c4" + "40000001" + FRAME);
        for (int i = 4; i < 8; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] forged = packet.clone();
                forged[i] ^= (byte) (1 << bit);
                assertEquals(L2tpv3DropReason.BAD_COOKIE, dropped(bufs.bytes(forged, 0), L2tpv3Encap.IP));
            }
        }
    }

    @Test
    void truncatedAtEveryLength() {
        byte[] udp = Bufs.decode("00030000" + "00c0ffee" + "f1e2d3c4" + "40abcdef");
        for (int n = 0; n < udp.length; n++) {
            L2tpv3DropReason reason = dropped(bufs.bytes(Arrays.copyOf(udp, n), 1), L2tpv3Encap.UDP);
            assertEquals(L2tpv3DropReason.TRUNCATED, reason, "length " + n);
        }
        byte[] bare = Bufs.decode("01010101" + "a1b2c3d4e5f60718");
        for (int n = 0; n < bare.length; n++) {
            assertEquals(L2tpv3DropReason.TRUNCATED, dropped(bufs.bytes(Arrays.copyOf(bare, n), 0), L2tpv3Encap.IP));
        }
        // Exactly the header and no payload is a valid (empty) data message.
        decoded(bufs.bytes(bare, 0), L2tpv3Encap.IP);
    }

    @Test
    void roundTripThroughBothEncapsulations() {
        L2tpv3Session reverse = new L2tpv3Session(0x0badcafe, 0x00c0ffee, PEER_COOKIE, COOKIE,
                L2SpecificSublayer.DEFAULT, true, true);
        IntFunction<L2tpv3Session> peer = id -> id == 0x0badcafe ? reverse : null;
        for (L2tpv3Encap encap : L2tpv3Encap.values()) {
            ByteBuf packet = bufs.hex(FRAME, 32);
            L2tpv3Codec.prepend(SEQ_SESSION, encap, 0x00fffffe, packet);
            L2tpv3DecodeResult.Decoded d = assertInstanceOf(L2tpv3DecodeResult.Decoded.class,
                    L2tpv3Codec.decode(packet, encap, peer));
            assertEquals(reverse, d.session());
            assertEquals(0xfffffe, d.sequence());
            assertEquals(FRAME, Bufs.hexOf(packet));
        }
    }

    @Test
    void randomGarbageNeverThrows() {
        SplittableRandom random = new SplittableRandom(3931);
        for (int i = 0; i < 20000; i++) {
            byte[] data = new byte[random.nextInt(0, 30)];
            random.nextBytes(data);
            if (data.length >= 8 && random.nextBoolean()) {
                int id = random.nextBoolean() ? 0x00c0ffee : 0x01010101;
                int at = random.nextBoolean() ? 0 : 4;
                data[at] = (byte) (id >>> 24);
                data[at + 1] = (byte) (id >>> 16);
                data[at + 2] = (byte) (id >>> 8);
                data[at + 3] = (byte) id;
            }
            L2tpv3Codec.decode(bufs.bytes(data, 0), random.nextBoolean() ? L2tpv3Encap.IP : L2tpv3Encap.UDP, SESSIONS);
            if (i % 1000 == 0) {
                bufs.close();
            }
        }
    }

    @Test
    void sessionValidation() {
        assertThrows(IllegalArgumentException.class, () -> new L2tpv3Session(0, 1, null, null, L2SpecificSublayer.NONE, false, false));
        assertThrows(IllegalArgumentException.class, () -> new L2tpv3Session(1, 0, null, null, L2SpecificSublayer.NONE, false, false));
        assertThrows(IllegalArgumentException.class, () -> new L2tpv3Session(1, 1, new byte[3], null, L2SpecificSublayer.NONE, false, false));
        assertThrows(IllegalArgumentException.class, () -> new L2tpv3Session(1, 1, null, new byte[9], L2SpecificSublayer.NONE, false, false));
        assertThrows(IllegalArgumentException.class, () -> new L2tpv3Session(1, 1, null, null, L2SpecificSublayer.NONE, true, false));
        ByteBuf noRoom = bufs.hex(FRAME, 19);
        assertThrows(IllegalArgumentException.class, () -> L2tpv3Codec.prepend(SEQ_SESSION, L2tpv3Encap.UDP, 0, noRoom));
        assertEquals(false, SEQ_SESSION.toString().contains("0102"));
    }
}
