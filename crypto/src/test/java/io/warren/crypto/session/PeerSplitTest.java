package io.warren.crypto.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two-halves API ({@link Peer#reserve} + {@link SealBatch#sealAll};
 * {@link Peer#admit} + {@link OpenBatch#openAll} + {@link Peer#accept}) on a fake clock: what a
 * shell that seals and opens outside its lock relies on.
 */
class PeerSplitTest {
    static final long S = PeerTest.S;
    static final long T0 = PeerTest.T0;

    final CheckedAead.Factory aead = new CheckedAead.Factory(AeadImplementation.preferred());
    Peer a;
    Peer b;

    @BeforeEach
    void peers() {
        PeerConfig config = new PeerConfig(1420, 0, aead, 2);
        a = new Peer(new FakeHandshaker(11), new CountingIndices(0x1100_0001), PeerTest.NO_JITTER, () -> 1L, config);
        b = new Peer(new FakeHandshaker(22), new CountingIndices(0x2200_0001), PeerTest.NO_JITTER, () -> 2L, config);
        ByteBuffer initiation = PeerTest.only(a.encapsulate(Packets.ipv4(100, 2, 1), T0));
        ByteBuffer response = PeerTest.only(b.decapsulate(initiation, T0));
        ByteBuffer staged = PeerTest.only(a.decapsulate(response, T0));
        assertInstanceOf(Outcome.WriteToTunnel.class, b.decapsulate(staged, T0));
    }

    @Test
    void reservedPacketsSealOutsideAndOpenInAnyOrder() {
        SealBatch seals = new SealBatch(8, 1);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ByteBuffer pkt = Packets.ipv4(60 + i, 2, 10 + i);
            sent.add(Packets.bytes(pkt));
            Outcome.Encapsulated e = a.reserve(pkt, T0 + S, seals, i, "tag" + i);
            assertInstanceOf(Outcome.Reserved.class, e);
            assertTrue(((Outcome.Reserved) e).datagrams().isEmpty());
        }
        Keypair keypair = a.keypairs().current();
        assertEquals(1 + 5, keypair.referencesForTest(), "one reference per reserved packet");
        seals.sealAll();
        assertEquals(1, keypair.referencesForTest());
        // Sealed, then received in reverse order: the window accepts them all.
        OpenBatch opens = new OpenBatch(8);
        for (int k = 4; k >= 0; k--) {
            assertTrue(seals.sealed(k));
            assertEquals("tag" + k, seals.tag(k));
            assertEquals(k, seals.slot(k));
            assertNull(b.admit(Packets.copy(seals.buffer(k)), opens, k));
        }
        seals.clear();
        opens.openAll(T0 + 2 * S);
        for (int k = 0; k < 5; k++) {
            Outcome.WriteToTunnel t = assertInstanceOf(Outcome.WriteToTunnel.class, b.accept(opens, k, T0 + 2 * S));
            assertArrayEquals(sent.get((Integer) opens.tag(k)), Packets.bytes(t.packet()));
        }
        opens.clear();
        assertEquals(1, b.keypairs().current().referencesForTest());
    }

    @Test
    void aKeypairDestroyedWhileReservedStillSealsThenFreesItsCiphers() {
        SealBatch seals = new SealBatch(4, 0);
        a.reserve(Packets.ipv4(80, 2, 3), T0 + S, seals, 0, null);
        Keypair keypair = a.keypairs().current();
        a.keypairs().clear(); // a peer removal or a zeroing of keys between reserve and seal
        assertTrue(keypair.isDestroyed());
        assertEquals(0, aead.destroyed(), "ciphers kept for the packet in flight");
        seals.sealAll();
        assertTrue(seals.sealed(0));
        assertEquals(0, keypair.referencesForTest());
        assertEquals(3, aead.destroyed(), "two sending slots and one receiving, destroyed by the last user");
        seals.clear();
        aead.assertNoMisuse();
    }

    @Test
    void dataOpenedWithAKeypairRotatedOutMeanwhileIsRefused() {
        ByteBuffer datagram = PeerTest.only(a.encapsulate(Packets.ipv4(70, 2, 4), T0 + S));
        OpenBatch opens = new OpenBatch(4);
        assertNull(b.admit(datagram, opens, null));
        Keypair keypair = b.keypairs().current();
        b.keypairs().clear();
        opens.openAll(T0 + S);
        assertEquals(Outcome.Drop.of(DropReason.UNKNOWN_RECEIVER_INDEX), b.accept(opens, 0, T0 + S));
        assertEquals(0, keypair.referencesForTest());
        opens.clear();
        aead.assertNoMisuse();
    }

    @Test
    void forgedDataDoesNotMoveTheReplayWindow() {
        ByteBuffer genuine = PeerTest.only(a.encapsulate(Packets.ipv4(70, 2, 5), T0 + S));
        byte[] copy = Packets.bytes(genuine);
        // A forgery with a counter far ahead: it fails authentication and must not advance the window.
        ByteBuffer forged = ByteBuffer.wrap(copy.clone());
        forged.putLong(8, Long.reverseBytes(1_000_000L));
        OpenBatch opens = new OpenBatch(4);
        assertNull(b.admit(forged, opens, null));
        assertNull(b.admit(genuine, opens, null));
        opens.openAll(T0 + S);
        assertEquals(Outcome.Drop.of(DropReason.AUTHENTICATION_FAILED), b.accept(opens, 0, T0 + S));
        assertInstanceOf(Outcome.WriteToTunnel.class, b.accept(opens, 1, T0 + S));
        opens.clear();
        assertEquals(Outcome.Drop.of(DropReason.REPLAYED_COUNTER), b.decapsulate(ByteBuffer.wrap(copy), T0 + S));
    }

    @Test
    void unknownIndexAndFullBatchesAreRefusedWithoutChanges() {
        ByteBuffer datagram = PeerTest.only(a.encapsulate(Packets.ipv4(70, 2, 6), T0 + S));
        datagram.putInt(datagram.position() + 4, 12345);
        OpenBatch opens = new OpenBatch(1);
        assertEquals(DropReason.UNKNOWN_RECEIVER_INDEX, b.admit(datagram, opens, null));
        assertTrue(opens.isEmpty());
        SealBatch full = new SealBatch(1, 0);
        a.reserve(Packets.ipv4(70, 2, 7), T0 + S, full, 0, null);
        long next = a.keypairs().current().sendNonce();
        assertThrows(IllegalArgumentException.class, () -> a.reserve(Packets.ipv4(70, 2, 8), T0 + S, full, 1, null));
        assertEquals(next, a.keypairs().current().sendNonce(), "no counter taken");
        full.clear();
        assertEquals(1, a.keypairs().current().referencesForTest(), "clear releases unsealed entries");
    }

    @Test
    void withoutASessionReserveQueuesAsEncapsulateDoes() {
        a.keypairs().clear();
        SealBatch seals = new SealBatch(2, 0);
        Outcome.Encapsulated e = a.reserve(Packets.ipv4(70, 2, 9), T0 + 10 * S, seals, 0, null);
        assertInstanceOf(Outcome.Queued.class, e);
        assertEquals(0, seals.size());
        assertEquals(1, a.stagedPackets());
    }

    @Test
    void keypairReferencesNeverResurrect() {
        Keypair keypair = a.keypairs().current();
        assertTrue(keypair.acquire());
        a.keypairs().clear();
        assertFalse(keypair.acquire(), "no reference after destroy");
        keypair.release();
        assertEquals(0, keypair.referencesForTest());
        assertThrows(IllegalStateException.class, keypair::release);
        assertSame(null, a.keypairs().current());
    }
}
