package io.warren.gateway.l2;

import static io.warren.gateway.l2.Frames.HOST_A;
import static io.warren.gateway.l2.Frames.HOST_B;
import static io.warren.gateway.l2.Frames.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.gateway.packet.InetChecksum;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * L2 GRE frames: the header Linux's gretap and Open vSwitch's {@code type=gre} put before an Ethernet
 * frame (protocol type 0x6558, RFC 2890 key and sequence, RFC 2784 checksum), byte-exact, and every
 * malformed or foreign packet rejected with its counter name and the reader index untouched.
 */
class GretapEncapsulationTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final OptionalLong KEY = OptionalLong.of(0x0a0b0c0dL);
    private static final byte[] FRAME = Frames.bytes(frame(HOST_B, HOST_A, 46, 0));

    /** The frame with {@code headroom} free bytes before it, as the TAP reader hands it over. */
    private static ByteBuf withHeadroom(int headroom) {
        ByteBuf b = Unpooled.buffer(headroom + FRAME.length);
        b.writerIndex(headroom).writeBytes(FRAME);
        b.readerIndex(headroom);
        return b;
    }

    /** The first {@code length} readable bytes in hex. */
    private static String hexHeader(ByteBuf datagram, int length) {
        byte[] out = new byte[length];
        datagram.getBytes(datagram.readerIndex(), out);
        return HEX.formatHex(out);
    }

    private static byte[] rest(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }

    private static ByteBuf datagram(String headerHex, byte[] frame) {
        return Unpooled.buffer().writeBytes(HEX.parseHex(headerHex)).writeBytes(frame);
    }

    @Test
    void plainHeaderIsFourBytesWithTransparentEthernetBridging() {
        GretapEncapsulation e = new GretapEncapsulation(OptionalLong.empty(), false, false);
        assertEquals(4, e.headerLength());
        ByteBuf d = withHeadroom(64);
        e.prepend(d);
        assertEquals(60, d.readerIndex());
        assertEquals("00006558", hexHeader(d, 4));
        assertArrayEquals(FRAME, java.util.Arrays.copyOfRange(rest(d), 4, 4 + FRAME.length));
    }

    @Test
    void keySequenceAndChecksumOnTheWireAndBack() {
        GretapEncapsulation tx = new GretapEncapsulation(KEY, true, true);
        GretapEncapsulation rx = new GretapEncapsulation(KEY, true, true);
        assertEquals(16, tx.headerLength());
        for (int i = 0; i < 3; i++) {
            ByteBuf d = withHeadroom(64);
            tx.prepend(d);
            String h = hexHeader(d, 16);
            assertEquals("b0006558", h.substring(0, 8), "C, K and S set, protocol type 0x6558");
            assertEquals("0000", h.substring(12, 16), "Reserved1 zero");
            assertEquals("0a0b0c0d" + String.format("%08x", i), h.substring(16), "key, then consecutive sequence");
            assertEquals(0, InetChecksum.compute(d, d.readerIndex(), d.readableBytes()),
                    "RFC 2784 §2.5: the checksum covers header and frame");
            assertSame(Encapsulation.Accepted.INSTANCE, rx.decapsulate(d));
            assertArrayEquals(FRAME, rest(d), "the reader index is at the Ethernet frame");
        }
    }

    @Test
    void keyedFrameAsOpenVswitchSendsIt() {
        GretapEncapsulation rx = new GretapEncapsulation(KEY, false, false);
        ByteBuf d = datagram("20006558" + "0a0b0c0d", FRAME);
        assertSame(Encapsulation.Accepted.INSTANCE, rx.decapsulate(d));
        assertEquals(8, d.readerIndex());
        // A sequence number the tunnel does not ask for is ignored (RFC 2890 §2.2 leaves it to the receiver).
        ByteBuf s = datagram("30006558" + "0a0b0c0d" + "00000007", FRAME);
        assertSame(Encapsulation.Accepted.INSTANCE, rx.decapsulate(s));
        assertArrayEquals(FRAME, rest(s));
    }

    private static void rejected(GretapEncapsulation e, String headerHex, byte[] frame, String reason) {
        ByteBuf d = datagram(headerHex, frame);
        Encapsulation.Result r = e.decapsulate(d);
        assertEquals(new Encapsulation.Rejected(reason), r, headerHex);
        assertEquals(0, d.readerIndex(), "reader index unchanged: " + headerHex);
    }

    @Test
    void truncatedForgedAndForeignPacketsAreRejectedByName() {
        GretapEncapsulation keyed = new GretapEncapsulation(KEY, false, false);
        rejected(keyed, "", new byte[0], "gre_truncated");
        rejected(keyed, "2000", new byte[0], "gre_truncated");
        rejected(keyed, "20006558" + "0a0b", new byte[0], "gre_truncated");
        rejected(keyed, "20016558" + "0a0b0c0d", FRAME, "gre_bad_version");
        rejected(keyed, "60006558" + "0a0b0c0d", FRAME, "gre_reserved_bits");
        rejected(keyed, "a0006558" + "ffff0000" + "0a0b0c0d", FRAME, "gre_bad_checksum");
        rejected(keyed, "20001234" + "0a0b0c0d", FRAME, "gre_unknown_protocol");
        // An L3 GRE peer's IPv4 and IPv6 packets with the right key: valid GRE, wrong tunnel kind.
        rejected(keyed, "20000800" + "0a0b0c0d", FRAME, "gre_not_ethernet");
        rejected(keyed, "200086dd" + "0a0b0c0d", FRAME, "gre_not_ethernet");
        rejected(keyed, "20006558" + "0a0b0c0e", FRAME, "gre_key_mismatch");
        rejected(keyed, "00006558", FRAME, "gre_key_mismatch");
        GretapEncapsulation plain = new GretapEncapsulation(OptionalLong.empty(), false, false);
        rejected(plain, "20006558" + "0a0b0c0d", FRAME, "gre_key_mismatch");
    }

    @Test
    void sequencingDropsMissingDuplicateAndLateNumbers() {
        GretapEncapsulation rx = new GretapEncapsulation(OptionalLong.empty(), true, false);
        rejected(rx, "00006558", FRAME, "gre_sequence_missing");
        assertSame(Encapsulation.Accepted.INSTANCE, rx.decapsulate(datagram("10006558" + "00000005", FRAME)));
        rejected(rx, "10006558" + "00000005", FRAME, "gre_sequence_old");
        rejected(rx, "10006558" + "00000004", FRAME, "gre_sequence_old");
        rejected(rx, "10006558" + "00100000", FRAME, "gre_sequence_too_far");
        // A wrong key never advances the receive state.
        GretapEncapsulation keyed = new GretapEncapsulation(KEY, true, false);
        rejected(keyed, "30006558" + "0a0b0c0e" + "00000009", FRAME, "gre_key_mismatch");
        assertSame(Encapsulation.Accepted.INSTANCE, keyed.decapsulate(datagram("30006558" + "0a0b0c0d" + "00000001", FRAME)));
        assertSame(Encapsulation.Accepted.INSTANCE, keyed.decapsulate(datagram("30006558" + "0a0b0c0d" + "00000002", FRAME)));
    }

    @Test
    void frameBytesAreNeverTouchedByPrepend() {
        GretapEncapsulation e = new GretapEncapsulation(KEY, true, true);
        ByteBuffer slot = ByteBuffer.allocateDirect(L2Tunnel.HEADROOM + FRAME.length);
        slot.position(L2Tunnel.HEADROOM);
        slot.put(FRAME).flip().position(L2Tunnel.HEADROOM);
        ByteBuf view = L2Tunnel.view(slot);
        view.setIndex(slot.position(), slot.limit());
        e.prepend(view);
        assertEquals(L2Tunnel.HEADROOM - 16, view.readerIndex());
        byte[] after = new byte[FRAME.length];
        view.getBytes(L2Tunnel.HEADROOM, after);
        assertArrayEquals(FRAME, after);
    }

    /**
     * RFC 2890 §2.2, "unreliable but in-order delivery": after the peer's numbers jump past the
     * window (a long loss), the tunnel follows them after a short run instead of rejecting every
     * later frame as {@code gre_sequence_too_far} for good.
     */
    @Test
    void sequenceJumpPastTheWindowIsFollowedAfterAShortRun() {
        GretapEncapsulation rx = new GretapEncapsulation(OptionalLong.empty(), true, false);
        assertSame(Encapsulation.Accepted.INSTANCE, rx.decapsulate(datagram("10006558" + "00000000", FRAME)));
        int s = 0x00100000;
        for (int i = 1; i < io.warren.gateway.encap.gre.GreSequence.RESYNC_RUN; i++) {
            assertSame(GretapEncapsulation.SEQUENCE_TOO_FAR,
                    rx.decapsulate(datagram("10006558" + String.format("%08x", s++), FRAME)));
        }
        for (int i = 0; i < 3; i++) {
            assertSame(Encapsulation.Accepted.INSTANCE,
                    rx.decapsulate(datagram("10006558" + String.format("%08x", s++), FRAME)));
        }
    }
}
