package io.warren.crypto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Truncated, forged, oversized and misaddressed input: counted drops, never exceptions. */
class PeerMalformedInputTest {
    static final long T0 = 42 * PeerTest.S;

    Peer a;
    Peer b;

    @BeforeEach
    void established() {
        PeerTest session = new PeerTest();
        session.peers();
        session.handshake(T0);
        a = session.a;
        b = session.b;
    }

    private ByteBuffer sealedByA(ByteBuffer inner) {
        return Packets.copy(PeerTest.only(a.encapsulate(inner, T0)));
    }

    private void assertDrop(DropReason reason, ByteBuffer datagram) {
        assertEquals(new Outcome.Drop(reason), b.decapsulate(datagram, T0));
    }

    @Test
    void truncatedAndUnknownMessages() {
        assertDrop(DropReason.MESSAGE_TRUNCATED, ByteBuffer.allocate(0));
        assertDrop(DropReason.MESSAGE_TRUNCATED, ByteBuffer.wrap(new byte[] {4, 0, 0}));
        assertDrop(DropReason.UNKNOWN_MESSAGE_TYPE, ByteBuffer.wrap(new byte[] {9, 0, 0, 0, 1, 2, 3, 4}));
        assertDrop(DropReason.UNKNOWN_MESSAGE_TYPE, ByteBuffer.wrap(new byte[] {4, 1, 0, 0, 1, 2, 3, 4}));
        ByteBuffer good = sealedByA(Packets.ipv4(60, 2, 7));
        for (int cut = 4; cut < Constants.MESSAGE_DATA_MIN_LENGTH; cut++) {
            assertDrop(DropReason.MESSAGE_TRUNCATED, good.duplicate().limit(cut));
        }
        // shorter than the sealed packet but long enough to parse: the tag no longer verifies
        assertDrop(DropReason.AUTHENTICATION_FAILED, good.duplicate().limit(good.limit() - 1));
        int cuts = Constants.MESSAGE_DATA_MIN_LENGTH - 4;
        assertEquals(2 + cuts, b.drops(DropReason.MESSAGE_TRUNCATED), "every truncation counted");
    }

    @Test
    void wrongReceiverIndex() {
        ByteBuffer good = sealedByA(Packets.ipv4(60, 2, 7));
        good.order(ByteOrder.LITTLE_ENDIAN).putInt(Constants.OFFSET_RECEIVER, 0x5eed_0001);
        assertDrop(DropReason.UNKNOWN_RECEIVER_INDEX, good);
    }

    @Test
    void everyFlippedBitFailsAuthentication() {
        ByteBuffer good = sealedByA(Packets.ipv4(40, 2, 7));
        for (int bit = (Constants.OFFSET_COUNTER) * 8; bit < good.remaining() * 8; bit++) {
            ByteBuffer forged = Packets.copy(good);
            forged.put(bit / 8, (byte) (forged.get(bit / 8) ^ (1 << (bit % 8))));
            assertDrop(DropReason.AUTHENTICATION_FAILED, forged);
        }
        // the window did not move: the genuine packet still opens once, then is a replay
        assertInstanceOf(Outcome.WriteToTunnel.class, b.decapsulate(Packets.copy(good), T0));
        assertDrop(DropReason.REPLAYED_COUNTER, good);
    }

    @Test
    void malformedInnerPacketsDroppedWithReasons() {
        ByteBuffer version5 = Packets.ipv4(40, 2, 7);
        version5.put(version5.position(), (byte) 0x55);
        assertDrop(DropReason.INNER_PACKET_INVALID_VERSION, sealedByA(version5));

        ByteBuffer tooLong = Packets.ipv4(40, 2, 7);
        tooLong.putShort(tooLong.position() + 2, (short) 1000);
        assertDrop(DropReason.INNER_PACKET_INVALID_LENGTH, sealedByA(tooLong));

        ByteBuffer tooShortField = Packets.ipv4(40, 2, 7);
        tooShortField.putShort(tooShortField.position() + 2, (short) 19);
        assertDrop(DropReason.INNER_PACKET_INVALID_LENGTH, sealedByA(tooShortField));

        ByteBuffer shortV4 = Packets.ipv4(40, 2, 7);
        shortV4.limit(shortV4.position() + 12);
        assertDrop(DropReason.INNER_PACKET_INVALID_LENGTH, sealedByA(shortV4));

        ByteBuffer v6 = Packets.ipv6(30, 2);
        v6.putShort(v6.position() + 4, (short) 200); // beyond even the padding
        assertDrop(DropReason.INNER_PACKET_INVALID_LENGTH, sealedByA(v6));
    }

    @Test
    void outboundEmptyOrOversizedDropped() {
        assertEquals(new Outcome.Drop(DropReason.OUTBOUND_PACKET_INVALID), a.encapsulate(ByteBuffer.allocate(0), T0));
        assertEquals(new Outcome.Drop(DropReason.OUTBOUND_PACKET_INVALID), a.encapsulate(ByteBuffer.allocate(65536), T0));
    }

    @Test
    void packetWithoutHeadroomIsCopiedNotCorrupted() {
        ByteBuffer inner = Packets.ipv4(1420, 2, 9);
        ByteBuffer tight = ByteBuffer.wrap(Packets.bytes(inner)); // no head- or tailroom
        ByteBuffer datagram = PeerTest.only(a.encapsulate(tight, T0));
        assertEquals(16 + 1420 + 16, datagram.remaining());
        Outcome.WriteToTunnel got = assertInstanceOf(Outcome.WriteToTunnel.class, b.decapsulate(datagram, T0));
        assertEquals(ByteBuffer.wrap(Packets.bytes(inner)), got.packet());
    }

    @Test
    void randomDatagramsNeverThrow() {
        SplittableRandom random = new SplittableRandom(7);
        ByteBuffer template = sealedByA(Packets.ipv4(100, 2, 7));
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer d;
            if (i % 2 == 0) {
                byte[] junk = new byte[random.nextInt(0, 200)];
                random.nextBytes(junk);
                if (junk.length > 0 && i % 4 == 0) {
                    junk[0] = (byte) random.nextInt(1, 5);
                    for (int k = 1; k < Math.min(4, junk.length); k++) {
                        junk[k] = 0;
                    }
                }
                d = ByteBuffer.wrap(junk);
            } else {
                d = Packets.copy(template);
                d.put(random.nextInt(d.remaining()), (byte) random.nextInt(256));
            }
            assertNotNull(b.decapsulate(d, T0));
        }
    }
}
