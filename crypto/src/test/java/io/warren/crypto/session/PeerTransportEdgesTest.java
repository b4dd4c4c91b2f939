package io.warren.crypto.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transport data at its edges through the peer (whitepaper §5.4.6, §6.1): counters around the
 * window and REJECT_AFTER_MESSAGES as on the wire (the kernel's counter self-test, through the
 * AEAD), keypair expiry on the receive side, the responder's unconfirmed keypair, and inner
 * packets whose IP length disagrees with the payload. Every refusal is a counted drop.
 */
class PeerTransportEdgesTest {
    static final long T0 = 77 * PeerTest.S;
    static final long REJECT = Constants.REJECT_AFTER_MESSAGES;
    static final long W = ReplayWindow.WINDOW_SIZE;

    PeerTest session;
    Peer a;
    Peer b;

    @BeforeEach
    void established() {
        session = new PeerTest();
        session.peers();
        session.handshake(T0);
        a = session.a;
        b = session.b;
    }

    /** Sealed messages by counter: a replay is the same bytes (a nonce is sealed once). */
    final java.util.Map<Long, byte[]> sealed = new java.util.HashMap<>();

    /** A's data message with counter {@code counter} (sealed on A's current keypair). */
    private ByteBuffer withCounter(long counter, int id) {
        byte[] bytes = sealed.computeIfAbsent(counter, c -> {
            ByteBuffer inner = Packets.ipv4(40, 2, id);
            TransportData.seal(a.keypairs().current(), c, inner, 1420);
            return Packets.bytes(inner);
        });
        return ByteBuffer.wrap(bytes.clone());
    }

    private void expect(boolean accepted, long counter) {
        Outcome.Decapsulated o = b.decapsulate(withCounter(counter, (int) counter), T0);
        if (accepted) {
            assertInstanceOf(Outcome.WriteToTunnel.class, o, "counter " + Long.toUnsignedString(counter));
        } else {
            assertEquals(new Outcome.Drop(DropReason.REPLAYED_COUNTER), o, "counter " + Long.toUnsignedString(counter));
        }
    }

    @Test
    void countersAroundTheWindowAndRejectAfterMessages() {
        long before = b.drops(DropReason.REPLAYED_COUNTER);
        expect(true, 5);
        expect(false, 0);           // the handshake's staged packet used 0
        expect(true, W + 5);        // the window now ends at 5
        expect(true, 5 + 1);
        expect(false, 4);           // one beyond the window
        expect(true, REJECT - 1);   // a jump over the whole window: the last counter allowed
        expect(false, REJECT - 1);
        expect(false, REJECT);      // never at or above REJECT_AFTER_MESSAGES
        expect(false, REJECT + 1);
        expect(false, -1L);         // 2^64 - 1
        expect(false, Long.MIN_VALUE);
        expect(true, REJECT - 2);
        expect(true, REJECT - 1 - W);  // the window's far edge
        expect(false, REJECT - 2 - W); // one beyond
        expect(false, W + 5);
        assertEquals(before + 9, b.drops(DropReason.REPLAYED_COUNTER), "every refusal counted");
    }

    @Test
    void aKeypairOlderThanRejectAfterTimeOpensNothing() {
        ByteBuffer d = withCounter(1, 1);
        long created = b.keypairs().current().created();
        assertEquals(new Outcome.Drop(DropReason.KEYPAIR_EXPIRED),
                b.decapsulate(Packets.copy(d), created + ProtocolTimers.REJECT_AFTER_TIME + 1));
        assertEquals(1, b.drops(DropReason.KEYPAIR_EXPIRED));
        // the refusal consumed no counter: at the limit itself it still opens
        assertInstanceOf(Outcome.WriteToTunnel.class, b.decapsulate(d, created + ProtocolTimers.REJECT_AFTER_TIME));
    }

    /** The responder waits for the initiator's first data message before it sends on a new keypair. */
    @Test
    void theRespondersNewKeypairIsConfirmedOnlyByAnAuthenticatedMessage() {
        long t = T0 + ProtocolTimers.REKEY_AFTER_TIME + PeerTest.S;
        ByteBuffer initiation = null;
        for (ByteBuffer d : PeerTest.sends(a.encapsulate(Packets.ipv4(40, 2, 1), t))) {
            if (PeerTest.type(d) == Constants.MESSAGE_HANDSHAKE_INITIATION) {
                initiation = d;
            }
        }
        assertNotNull(initiation, "A rekeys after REKEY_AFTER_TIME");
        ByteBuffer response = PeerTest.only(b.decapsulate(initiation, t));
        Keypair waiting = b.keypairs().next();
        Keypair old = b.keypairs().current();
        assertNotNull(waiting);
        // B still sends on the confirmed keypair, never on the waiting one
        ByteBuffer fromB = PeerTest.only(b.encapsulate(Packets.ipv4(40, 3, 2), t));
        assertEquals(old.remoteIndex(), TransportData.receiverIndex(fromB));
        // a forged message on the waiting keypair's index confirms nothing
        ByteBuffer forged = ByteBuffer.allocate(48);
        forged.put(0, (byte) 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, waiting.localIndex());
        assertEquals(new Outcome.Drop(DropReason.AUTHENTICATION_FAILED), b.decapsulate(forged, t));
        assertSame(waiting, b.keypairs().next());
        // A takes the response; its next data message, on the new keypair, confirms it at B
        assertInstanceOf(Outcome.WriteToNetwork.class, a.decapsulate(response, t));
        ByteBuffer confirm = PeerTest.only(a.encapsulate(Packets.ipv4(40, 2, 3), t));
        assertEquals(waiting.localIndex(), TransportData.receiverIndex(confirm));
        assertInstanceOf(Outcome.WriteToTunnel.class, b.decapsulate(confirm, t));
        assertSame(waiting, b.keypairs().current());
        assertNull(b.keypairs().next());
        assertEquals(waiting.remoteIndex(), TransportData.receiverIndex(PeerTest.only(b.encapsulate(Packets.ipv4(40, 3, 4), t))));
    }

    /** The inner IP length against the decrypted payload: padding is trimmed, anything longer is refused. */
    @Test
    void innerLengthsAgainstThePayload() {
        // shorter than the payload: the rest is padding, trimmed (IPv4 total length, IPv6 payload length)
        ByteBuffer v4 = Packets.ipv4(60, 2, 9);
        byte[] expected = Packets.bytes(v4.duplicate().limit(v4.position() + 44));
        v4.putShort(v4.position() + 2, (short) 44);
        Outcome.WriteToTunnel got = assertInstanceOf(Outcome.WriteToTunnel.class,
                b.decapsulate(PeerTest.only(a.encapsulate(v4, T0)), T0));
        byte[] delivered = Packets.bytes(got.packet());
        expected[2] = 0;
        expected[3] = 44;
        assertArrayEquals(expected, delivered);
        ByteBuffer v6 = Packets.ipv6(30, 2);
        v6.putShort(v6.position() + 4, (short) 10);
        got = assertInstanceOf(Outcome.WriteToTunnel.class, b.decapsulate(PeerTest.only(a.encapsulate(v6, T0)), T0));
        assertEquals(50, got.packet().remaining());
        // longer than payload plus padding (padding reaches the next multiple of 16: 48 here)
        for (int claimed : new int[] {49, 60, 1500, 65535}) {
            ByteBuffer p = Packets.ipv4(40, 2, claimed);
            p.putShort(p.position() + 2, (short) claimed);
            assertEquals(new Outcome.Drop(DropReason.INNER_PACKET_INVALID_LENGTH),
                    b.decapsulate(PeerTest.only(a.encapsulate(p, T0)), T0), "total length " + claimed);
        }
        ByteBuffer v6long = Packets.ipv6(30, 2);
        v6long.putShort(v6long.position() + 4, (short) 0xffff);
        assertEquals(new Outcome.Drop(DropReason.INNER_PACKET_INVALID_LENGTH),
                b.decapsulate(PeerTest.only(a.encapsulate(v6long, T0)), T0));
        for (int version : new int[] {0, 1, 5, 7, 15}) {
            ByteBuffer p = Packets.ipv4(40, 2, version);
            p.put(p.position(), (byte) (version << 4 | 5));
            assertEquals(new Outcome.Drop(DropReason.INNER_PACKET_INVALID_VERSION),
                    b.decapsulate(PeerTest.only(a.encapsulate(p, T0)), T0), "version " + version);
        }
        assertEquals(5, b.drops(DropReason.INNER_PACKET_INVALID_LENGTH));
        assertEquals(5, b.drops(DropReason.INNER_PACKET_INVALID_VERSION));
    }

    /**
     * A malformed inner packet that also triggers sends (here A's last-minute rekey on an old
     * keypair, §6.2) is still reported as a drop, so the shell counts it as it counts every
     * other refusal; the initiation is sent all the same.
     */
    @Test
    void aMalformedInnerPacketThatTriggersSendsIsStillReportedAsADrop() {
        long t = T0 + ProtocolTimers.REKEY_ON_RECEIVE_AGE + PeerTest.S;
        ByteBuffer bad = Packets.ipv4(40, 3, 1);
        bad.put(bad.position(), (byte) 0x55);
        ByteBuffer fromB = PeerTest.only(b.encapsulate(bad, t));
        Outcome.WriteToNetwork w = assertInstanceOf(Outcome.WriteToNetwork.class, a.decapsulate(fromB, t));
        assertEquals(Constants.MESSAGE_HANDSHAKE_INITIATION, PeerTest.type(PeerTest.only(w)));
        assertEquals(DropReason.INNER_PACKET_INVALID_VERSION, w.dropped());
        assertEquals(1, a.drops(DropReason.INNER_PACKET_INVALID_VERSION));
    }

    /**
     * The core reads every field whatever the datagram buffer's byte order (as
     * {@link TransportData} does for the header): a little-endian buffer must not turn the inner
     * IPv4 total length or IPv6 payload length (big-endian on the wire) into garbage.
     */
    @Test
    void innerLengthsAreReadBigEndianWhateverTheBuffersOrder() {
        ByteBuffer v4 = Packets.ipv4(60, 2, 11);
        byte[] sent4 = Packets.bytes(v4);
        ByteBuffer d4 = PeerTest.only(a.encapsulate(v4, T0));
        Outcome.WriteToTunnel got = assertInstanceOf(Outcome.WriteToTunnel.class,
                b.decapsulate(Packets.copy(d4).order(java.nio.ByteOrder.LITTLE_ENDIAN), T0));
        assertArrayEquals(sent4, Packets.bytes(got.packet()));
        ByteBuffer v6 = Packets.ipv6(30, 2);
        byte[] sent6 = Packets.bytes(v6);
        ByteBuffer d6 = PeerTest.only(a.encapsulate(v6, T0));
        got = assertInstanceOf(Outcome.WriteToTunnel.class,
                b.decapsulate(Packets.copy(d6).order(java.nio.ByteOrder.LITTLE_ENDIAN), T0));
        assertArrayEquals(sent6, Packets.bytes(got.packet()));
    }
}
