package io.warren.crypto.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.session.Outcome.Decapsulated;
import io.warren.crypto.session.Outcome.Encapsulated;
import io.warren.crypto.session.Outcome.TimerAction;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two in-memory peers on a fake monotonic clock: handshake, data, rotation, timers. */
class PeerTest {
    static final long S = 1_000_000_000L;
    /** Jitter source that always yields 0 ms, so timer deadlines are exact. */
    static final RandomGenerator NO_JITTER = () -> 0L;
    static final long T0 = 7_000 * S; // non-zero start; arithmetic is wrap-safe anyway

    CountingIndices indicesA = new CountingIndices(0x1100_0001);
    CountingIndices indicesB = new CountingIndices(0x2200_0001);
    FakeHandshaker hsA = new FakeHandshaker(11);
    FakeHandshaker hsB = new FakeHandshaker(22);
    Peer a;
    Peer b;

    @BeforeEach
    void peers() {
        PeerConfig config = new PeerConfig(1420, 0, AeadImplementation.preferred());
        a = new Peer(hsA, indicesA, NO_JITTER, () -> 1_700_000_000_123_456_789L, config);
        b = new Peer(hsB, indicesB, NO_JITTER, () -> 1_700_000_000_987_654_321L, config);
    }

    static List<ByteBuffer> sends(Object outcome) {
        if (outcome instanceof Outcome.WriteToNetwork w) {
            return w.datagrams();
        }
        if (outcome instanceof Outcome.Queued q) {
            return q.datagrams();
        }
        if (outcome instanceof Outcome.WriteToTunnel t) {
            return t.datagrams();
        }
        throw new AssertionError("no datagrams in " + outcome);
    }

    static ByteBuffer only(Object outcome) {
        List<ByteBuffer> d = sends(outcome);
        assertEquals(1, d.size(), "datagrams in " + outcome);
        return d.get(0);
    }

    static int type(ByteBuffer datagram) {
        return TransportData.messageType(datagram);
    }

    /** A sends a first packet at {@code now}; the handshake completes; B receives the packet. */
    Outcome.WriteToTunnel handshake(long now) {
        ByteBuffer first = Packets.ipv4(100, 2, 0x0a01);
        byte[] sent = Packets.bytes(first);
        Encapsulated queued = a.encapsulate(first, now);
        assertInstanceOf(Outcome.Queued.class, queued);
        ByteBuffer initiation = only(queued);
        assertEquals(Constants.MESSAGE_HANDSHAKE_INITIATION, type(initiation));
        ByteBuffer response = only(b.decapsulate(initiation, now));
        assertEquals(Constants.MESSAGE_HANDSHAKE_RESPONSE, type(response));
        assertNotNull(b.keypairs().next(), "responder waits in next");
        assertNull(b.keypairs().current());
        ByteBuffer staged = only(a.decapsulate(response, now)); // staged packet, no extra keepalive
        assertEquals(Constants.MESSAGE_DATA, type(staged));
        assertNotNull(a.keypairs().current());
        Outcome.WriteToTunnel delivered = assertInstanceOf(Outcome.WriteToTunnel.class, b.decapsulate(staged, now));
        assertArrayEquals(sent, Packets.bytes(delivered.packet()));
        assertNotNull(b.keypairs().current(), "first data confirmed next");
        assertNull(b.keypairs().next());
        return delivered;
    }

    @Test
    void handshakeThenDataBothWaysWithSourceAndPaddingStripped() throws Exception {
        Outcome.WriteToTunnel first = handshake(T0);
        assertEquals(InetAddress.getByName("10.7.0.2"), first.source());
        ByteBuffer v6 = Packets.ipv6(13, 9);
        byte[] sent = Packets.bytes(v6);
        ByteBuffer datagram = only(b.encapsulate(v6, T0 + S));
        assertEquals(16 + 64 + 16, datagram.remaining(), "53 bytes padded to 64");
        Outcome.WriteToTunnel got = assertInstanceOf(Outcome.WriteToTunnel.class, a.decapsulate(Packets.copy(datagram), T0 + S));
        assertArrayEquals(sent, Packets.bytes(got.packet()));
        assertEquals(InetAddress.getByName("fd00::9"), got.source());
        assertEquals(T0, a.lastHandshake());
        assertEquals(T0, b.lastHandshake());
    }

    @Test
    void reorderingAndLossWithinTheWindowAndReplayDropped() {
        handshake(T0);
        List<ByteBuffer> wire = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            wire.add(Packets.copy(only(a.encapsulate(Packets.ipv4(60 + i % 50, 2, i + 1), T0 + S))));
        }
        Collections.shuffle(wire, new Random(42));
        List<ByteBuffer> delivered = wire.subList(0, 450); // 10% lost
        List<byte[]> copies = new ArrayList<>();
        for (ByteBuffer d : delivered) {
            copies.add(Packets.bytes(d));
            assertInstanceOf(Outcome.WriteToTunnel.class, b.decapsulate(d, T0 + 2 * S));
        }
        for (byte[] again : copies.subList(0, 20)) {
            Decapsulated replay = b.decapsulate(ByteBuffer.wrap(again), T0 + 3 * S);
            assertEquals(new Outcome.Drop(DropReason.REPLAYED_COUNTER), replay);
        }
        assertEquals(20, b.drops(DropReason.REPLAYED_COUNTER));
    }

    @Test
    void rekeyAfterRekeyAfterTimeKeepsInFlightPacketsDecryptable() {
        handshake(T0);
        Keypair firstA = a.keypairs().current();
        long t = T0 + ProtocolTimers.REKEY_AFTER_TIME + 1;
        // B sends on the old keypair; it is still in flight while A rotates.
        ByteBuffer fromBOld = Packets.copy(only(b.encapsulate(Packets.ipv4(80, 1, 0x0b01), t)));
        Encapsulated sent = a.encapsulate(Packets.ipv4(90, 2, 0x0a02), t);
        List<ByteBuffer> d = sends(sent);
        assertEquals(2, d.size(), "data on the old keypair plus an initiation");
        ByteBuffer oldData = Packets.copy(d.get(0));
        ByteBuffer initiation = d.get(1);
        assertEquals(Constants.MESSAGE_HANDSHAKE_INITIATION, type(initiation));
        ByteBuffer response = only(b.decapsulate(initiation, t));
        ByteBuffer keepalive = only(a.decapsulate(response, t));
        assertEquals(Constants.MESSAGE_DATA_MIN_LENGTH, keepalive.remaining());
        assertSame(firstA, a.keypairs().previous());
        // old-keypair packets still open on both sides
        assertInstanceOf(Outcome.WriteToTunnel.class, b.decapsulate(oldData, t));
        assertInstanceOf(Outcome.WriteToTunnel.class, a.decapsulate(fromBOld, t));
        // the keepalive confirms B's next keypair; then new data flows on it
        assertSame(Outcome.DONE, b.decapsulate(keepalive, t));
        assertNull(b.keypairs().next());
        ByteBuffer fresh = only(a.encapsulate(Packets.ipv4(70, 2, 0x0a03), t + S));
        assertEquals(a.keypairs().current().remoteIndex(), TransportData.receiverIndex(fresh));
        assertInstanceOf(Outcome.WriteToTunnel.class, b.decapsulate(fresh, t + S));
        assertEquals(0, a.drops(DropReason.AUTHENTICATION_FAILED) + b.drops(DropReason.AUTHENTICATION_FAILED));
    }

    @Test
    void keypairRejectedAfterRejectAfterTime() {
        handshake(T0);
        ByteBuffer late = Packets.copy(only(a.encapsulate(Packets.ipv4(64, 2, 5), T0 + S)));
        long expired = T0 + ProtocolTimers.REJECT_AFTER_TIME + 1;
        assertEquals(new Outcome.Drop(DropReason.KEYPAIR_EXPIRED), b.decapsulate(late, expired));
        Encapsulated again = a.encapsulate(Packets.ipv4(64, 2, 6), expired);
        Outcome.Queued queued = assertInstanceOf(Outcome.Queued.class, again);
        assertEquals(Constants.MESSAGE_HANDSHAKE_INITIATION, type(only(queued)));
        assertEquals(1, a.stagedPackets());
    }

    @Test
    void passiveKeepaliveFiresExactlyAfterKeepaliveTimeout() {
        handshake(T0); // B received data at T0
        assertTrue(b.updateTimers(T0 + ProtocolTimers.KEEPALIVE_TIMEOUT - 1).isEmpty());
        List<TimerAction> actions = b.updateTimers(T0 + ProtocolTimers.KEEPALIVE_TIMEOUT);
        assertEquals(1, actions.size());
        Outcome.Send send = assertInstanceOf(Outcome.Send.class, actions.get(0));
        assertEquals(Outcome.SendKind.KEEPALIVE, send.kind());
        assertTrue(b.updateTimers(T0 + 100 * S).isEmpty(), "one keepalive, no repeats without new data");
        // A receiving the keepalive cancels its new-handshake timer
        assertSame(Outcome.DONE, a.decapsulate(send.datagram(), T0 + ProtocolTimers.KEEPALIVE_TIMEOUT));
        assertTrue(a.updateTimers(T0 + 60 * S).isEmpty());
    }

    @Test
    void sendingKeepaliveCancelsPassiveKeepalive() {
        handshake(T0);
        only(b.encapsulate(Packets.ipv4(40, 1, 3), T0 + S)); // B answers with data: no keepalive needed
        List<TimerAction> actions = b.updateTimers(T0 + ProtocolTimers.KEEPALIVE_TIMEOUT + S);
        assertTrue(actions.stream().noneMatch(x -> x instanceof Outcome.Send s && s.kind() == Outcome.SendKind.KEEPALIVE));
    }

    @Test
    void newHandshakeAfterKeepalivePlusRekeyTimeoutWithoutReply() {
        handshake(T0); // A sent data at T0 and hears nothing back
        long deadline = T0 + ProtocolTimers.KEEPALIVE_TIMEOUT + ProtocolTimers.REKEY_TIMEOUT;
        assertTrue(a.updateTimers(deadline - 1).isEmpty());
        List<TimerAction> actions = a.updateTimers(deadline);
        assertEquals(1, actions.size());
        Outcome.Send send = assertInstanceOf(Outcome.Send.class, actions.get(0));
        assertEquals(Outcome.SendKind.INITIATION, send.kind());
    }

    @Test
    void retriesStopAfterRekeyAttemptTime() {
        Encapsulated first = a.encapsulate(Packets.ipv4(50, 2, 1), T0);
        only(first);
        int initiations = 1;
        Outcome.GaveUp gaveUp = null;
        long gaveUpAt = 0;
        for (long t = T0 + S / 10; t <= T0 + 200 * S; t += S / 10) {
            for (TimerAction action : a.updateTimers(t)) {
                if (action instanceof Outcome.Send s) {
                    assertEquals(Outcome.SendKind.INITIATION, s.kind());
                    assertNull(gaveUp, "no initiation after giving up");
                    initiations++;
                } else if (action instanceof Outcome.GaveUp g) {
                    gaveUp = g;
                    gaveUpAt = t;
                }
            }
        }
        assertEquals(ProtocolTimers.MAX_TIMER_HANDSHAKES + 2, initiations, "first + 19 retries");
        assertNotNull(gaveUp);
        assertEquals(T0 + 100 * S, gaveUpAt, "20 REKEY_TIMEOUTs after the first");
        assertTrue(gaveUpAt - T0 > ProtocolTimers.REKEY_ATTEMPT_TIME);
        assertEquals(1, gaveUp.stagedDropped());
        assertEquals(0, a.stagedPackets());
        assertEquals(1, indicesA.live.size(), "only the last initiation's index is held");
        List<TimerAction> zero = a.updateTimers(gaveUpAt + 3 * ProtocolTimers.REJECT_AFTER_TIME);
        assertEquals(List.of(new Outcome.KeysZeroed()), zero);
        assertTrue(indicesA.live.isEmpty());
    }

    @Test
    void initiationsRateLimitedToOnePerRekeyTimeout() {
        assertEquals(1, sends(a.encapsulate(Packets.ipv4(50, 2, 1), T0)).size());
        assertEquals(0, sends(a.encapsulate(Packets.ipv4(50, 2, 2), T0 + S)).size());
        assertEquals(2, a.stagedPackets());
        assertEquals(1, hsA.initiationsCreated);
    }

    @Test
    void keysZeroedAfterThreeRejectAfterTimes() {
        handshake(T0);
        only(b.encapsulate(Packets.ipv4(40, 1, 3), T0)); // avoid passive keepalive noise
        long t = T0 + 3 * ProtocolTimers.REJECT_AFTER_TIME;
        List<TimerAction> before = a.updateTimers(t - 1);
        assertTrue(before.stream().noneMatch(x -> x instanceof Outcome.KeysZeroed));
        assertTrue(a.updateTimers(t).contains(new Outcome.KeysZeroed()));
        assertNull(a.keypairs().current());
        assertTrue(indicesA.live.isEmpty(), "all indices released");
        assertEquals(1, hsA.cleared);
    }

    @Test
    void persistentKeepaliveEveryInterval() {
        PeerConfig config = new PeerConfig(1420, 25 * S, AeadImplementation.preferred());
        a = new Peer(hsA, indicesA, NO_JITTER, () -> 1L, config);
        handshake(T0);
        only(b.encapsulate(Packets.ipv4(40, 1, 3), T0)); // B replied: no passive keepalive or rekey noise
        assertInstanceOf(Outcome.WriteToTunnel.class, a.decapsulate(only(b.encapsulate(Packets.ipv4(40, 1, 4), T0)), T0));
        List<Long> keepalives = new ArrayList<>();
        for (long t = T0 + S; t <= T0 + 80 * S; t += S) {
            for (TimerAction action : a.updateTimers(t)) {
                Outcome.Send send = assertInstanceOf(Outcome.Send.class, action);
                assertEquals(Outcome.SendKind.KEEPALIVE, send.kind());
                keepalives.add((t - T0) / S);
            }
        }
        // passive keepalive 10 s after B's data, then every 25 s after the last packet sent
        assertEquals(List.of(10L, 35L, 60L), keepalives);
    }

    @Test
    void cookieReplyIsConsumedQuietly() {
        ByteBuffer cookie = ByteBuffer.allocate(64);
        cookie.put(0, (byte) Constants.MESSAGE_HANDSHAKE_COOKIE);
        assertSame(Outcome.DONE, a.decapsulate(cookie, T0));
    }

    @Test
    void unexpectedResponseRejected() {
        handshake(T0);
        ByteBuffer bogus = ByteBuffer.allocate(20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bogus.putInt(2).putInt(0x3300_0001).putInt(0x1100_0999).putLong(77).flip();
        assertEquals(new Outcome.Drop(DropReason.HANDSHAKE_REJECTED), a.decapsulate(bogus, T0));
        ByteBuffer shortInit = ByteBuffer.allocate(8);
        shortInit.put(0, (byte) 1);
        assertEquals(new Outcome.Drop(DropReason.HANDSHAKE_REJECTED), b.decapsulate(shortInit, T0));
        assertEquals(1, indicesB.live.size(), "only the keypair's index: the rejected initiation's was released");
    }

    @Test
    void rekeyAfterMessagesAndRejectAfterMessages() {
        handshake(T0);
        a.keypairs().current().setSendNonceForTest(Constants.REKEY_AFTER_MESSAGES + 1);
        // (one REKEY_TIMEOUT after the first initiation, so the rate limit does not apply)
        List<ByteBuffer> d = sends(a.encapsulate(Packets.ipv4(40, 2, 1), T0 + ProtocolTimers.REKEY_TIMEOUT));
        assertEquals(2, d.size(), "data plus an initiation after REKEY_AFTER_MESSAGES");
        assertEquals(Constants.MESSAGE_HANDSHAKE_INITIATION, type(d.get(1)));
        assertEquals(Constants.REKEY_AFTER_MESSAGES + 1, TransportData.counter(d.get(0)));

        a.keypairs().current().setSendNonceForTest(Constants.REJECT_AFTER_MESSAGES);
        Encapsulated refused = a.encapsulate(Packets.ipv4(40, 2, 2), T0 + ProtocolTimers.REKEY_TIMEOUT + S);
        assertInstanceOf(Outcome.Queued.class, refused);
        assertEquals(1, a.stagedPackets());
        // B never accepts a counter at or above REJECT_AFTER_MESSAGES either (replay window limit)
        assertTrue(!b.keypairs().current().replayWindow().validate(Constants.REJECT_AFTER_MESSAGES));
    }

    @Test
    void stagedQueueIsBoundedOldestDropped() {
        int reported = 0;
        for (int i = 0; i < Constants.MAX_STAGED_PACKETS + 5; i++) {
            Outcome.Queued q = assertInstanceOf(Outcome.Queued.class, a.encapsulate(Packets.ipv4(40, 2, i + 1), T0));
            if (q.dropped() != null) {
                assertEquals(DropReason.STAGED_QUEUE_FULL, q.dropped());
                reported++;
            }
        }
        assertEquals(5, reported, "each eviction is reported to the shell in the outcome");
        assertEquals(Constants.MAX_STAGED_PACKETS, a.stagedPackets());
        assertEquals(5, a.drops(DropReason.STAGED_QUEUE_FULL));
    }
}
