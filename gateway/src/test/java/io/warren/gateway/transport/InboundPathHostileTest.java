package io.warren.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.noise.StaticIdentity;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.primitives.PresharedKey;
import io.warren.crypto.session.Device;
import io.warren.crypto.session.DropReason;
import io.warren.crypto.session.Outcome;
import io.warren.crypto.session.Peer;
import io.warren.crypto.session.PeerConfig;
import io.warren.crypto.session.ProtocolTimers;
import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.PeerState;
import io.warren.gateway.uapi.UapiKey;
import io.warren.tun.testing.MemoryTunDevice;
import io.warren.tun.udp.UdpSource;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile bursts through the shell's {@link InboundPath} (as one {@code recvmmsg} burst, and as
 * one GRO run sharing a buffer): every bad datagram is dropped and counted, the good ones around
 * it reach the TUN in order, and nothing that failed to authenticate moves the peer's endpoint.
 * The peer A is a sans-I/O {@link Device}; B is a whole interface whose receive path is driven
 * directly, with A's side of the UDP exchange on a loopback socket of the test.
 */
class InboundPathHostileTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long S = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * S);
    private Transports transports;
    private MemoryTunDevice tunB;
    private WireGuardInterface b;
    private DatagramSocket socketA;
    private UdpSource fromA;
    private Device deviceA;
    private Peer bAtA;
    private NoisePrivateKey keyA;
    private NoisePrivateKey keyB;
    /** A's first initiation, as an eavesdropper would have captured it. */
    private ByteBuffer capturedInitiation;

    @BeforeEach
    void setUp() throws Exception {
        transports = Transports.create(1);
        tunB = new MemoryTunDevice("hwgb");
        b = new WireGuardInterface("hwgb", tunB, 1420, transports, now::get);
        keyA = NoisePrivateKey.generate(RANDOM);
        keyB = NoisePrivateKey.generate(RANDOM);
        b.reconcile(WireGuardInterfaceTest.state(keyB, 0,
                WireGuardInterfaceTest.peer(keyA, null, "10.0.0.1/32", "fd00::1/128")));
        socketA = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socketA.setSoTimeout(30_000); // only expected datagrams are awaited: generous for a loaded CI box
        fromA = UdpSource.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), socketA.getLocalPort()));
        // A's TAI64N clock moves 1 s per initiation: timestamps are whitened to ~16.7 ms (§5.4.2), so two
        // initiations from the real clock within that window were the same and B dropped the second as replayed.
        AtomicLong wall = new AtomicLong(1_700_000_000_000_000_000L);
        deviceA = new Device(new StaticIdentity(keyA), RANDOM, () -> wall.addAndGet(1_000_000_000L));
        bAtA = deviceA.addPeer(keyB.publicKey(), PresharedKey.NONE, PeerConfig.defaults());
        handshake();
    }

    @AfterEach
    void tearDown() {
        b.close();
        transports.close();
        socketA.close();
    }

    private ByteBuffer receivedByA() throws Exception {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socketA.receive(p);
        return ByteBuffer.wrap(Arrays.copyOf(buf, p.getLength()));
    }

    private static ByteBuffer only(List<ByteBuffer> datagrams) {
        assertEquals(1, datagrams.size());
        return copy(datagrams.get(0));
    }

    private static ByteBuffer copy(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return ByteBuffer.wrap(out);
    }

    /** A to B: initiation, B's response over UDP, A's staged packet; B delivers it. */
    private void handshake() throws Exception {
        byte[] first = WireGuardInterfaceTest.ipv4("10.0.0.1", "10.0.0.2", 40);
        Outcome.Queued q = assertInstanceOf(Outcome.Queued.class, bAtA.encapsulate(ByteBuffer.wrap(first), now.get()));
        capturedInitiation = only(q.datagrams());
        b.inbound().datagram(copy(capturedInitiation), fromA);
        ByteBuffer response = receivedByA();
        Device.Routed r = assertInstanceOf(Device.Routed.class,
                deviceA.receive(response, new InetSocketAddress(InetAddress.getLoopbackAddress(), b.listenPort()), now.get(), false));
        ByteBuffer staged = only(assertInstanceOf(Outcome.WriteToNetwork.class, r.outcome()).datagrams());
        b.inbound().datagram(staged, fromA);
        assertArrayEquals(first, tunB.pollWritten());
    }

    /** A's data message carrying {@code inner}. */
    private ByteBuffer sealed(byte[] inner) {
        Outcome.Encapsulated e = bAtA.encapsulate(ByteBuffer.wrap(inner.clone()), now.get());
        return only(assertInstanceOf(Outcome.WriteToNetwork.class, e).datagrams());
    }

    private long core(DropReason r) {
        return b.counters().get(r);
    }

    private long shell(ShellCounters.Reason r) {
        return b.counters().get(r);
    }

    @Test
    void aBurstOfGoodAndHostileDatagramsDeliversTheGoodOnesInOrderAndCountsTheRest() throws Exception {
        List<byte[]> expected = new ArrayList<>();
        List<ByteBuffer> burst = new ArrayList<>();
        byte[] good1 = WireGuardInterfaceTest.ipv4("10.0.0.1", "10.0.0.2", 60);
        ByteBuffer d1 = sealed(good1);
        burst.add(d1);
        expected.add(good1);
        burst.add(copy(d1)); // replay inside the burst
        burst.add(sealed(WireGuardInterfaceTest.ipv4("10.0.0.99", "10.0.0.2", 60))); // not an allowed source
        burst.add(sealed(WireGuardInterfaceTest.ipv6("fd00::99", "fd00::2", 30)));    // nor this one
        ByteBuffer forged = sealed(WireGuardInterfaceTest.ipv4("10.0.0.1", "10.0.0.2", 60));
        forged.put(30, (byte) (forged.get(30) ^ 1));
        burst.add(forged);
        burst.add(ByteBuffer.wrap(new byte[] {4, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
        ByteBuffer unknownIndex = sealed(WireGuardInterfaceTest.ipv4("10.0.0.1", "10.0.0.2", 60));
        unknownIndex.order(ByteOrder.LITTLE_ENDIAN).putInt(4, unknownIndex.getInt(4) ^ 0x5a5a);
        burst.add(unknownIndex);
        byte[] tooLong = WireGuardInterfaceTest.ipv4("10.0.0.1", "10.0.0.2", 60);
        tooLong[2] = 0x05; // total length 0x0558 > what was sealed
        burst.add(sealed(tooLong));
        byte[] good6 = WireGuardInterfaceTest.ipv6("fd00::1", "fd00::2", 30);
        burst.add(sealed(good6));
        expected.add(good6);
        burst.add(ByteBuffer.wrap(new byte[] {9, 0, 0, 0, 1, 2, 3, 4}));
        burst.add(ByteBuffer.wrap(new byte[] {(byte) 0x84, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
            13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28}));
        for (int i = 0; i < 70; i++) { // more than PENDING_TUN_WRITES: the batch is written in parts
            byte[] inner = WireGuardInterfaceTest.ipv4("10.0.0.1", "10.0.0.2", 20 + i);
            burst.add(sealed(inner));
            expected.add(inner);
            if (i == 40) {
                burst.add(copy(burst.get(0))); // a replay of the first, long after
            }
        }
        b.inbound().batchStart();
        for (ByteBuffer d : burst) {
            b.inbound().datagram(d, fromA);
        }
        b.inbound().burstDone(false);

        for (byte[] e : expected) {
            assertArrayEquals(e, tunB.pollWritten());
        }
        assertNull(tunB.pollWritten());
        assertEquals(2, core(DropReason.REPLAYED_COUNTER));
        assertEquals(2, shell(ShellCounters.Reason.INBOUND_SOURCE_NOT_ALLOWED));
        assertEquals(1, core(DropReason.AUTHENTICATION_FAILED));
        assertEquals(1, core(DropReason.MESSAGE_TRUNCATED));
        assertEquals(1, core(DropReason.UNKNOWN_RECEIVER_INDEX));
        assertEquals(1, core(DropReason.INNER_PACKET_INVALID_LENGTH));
        assertEquals(2, core(DropReason.UNKNOWN_MESSAGE_TYPE));
    }

    /** The datagrams of one GRO run share a buffer whose position and limit move per segment. */
    @Test
    void aGroRunWithHostileSegmentsKeepsEachSegmentsBounds() throws Exception {
        List<byte[]> inners = new ArrayList<>();
        List<ByteBuffer> segments = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] inner = WireGuardInterfaceTest.ipv4("10.0.0.1", "10.0.0.2", 52); // equal sizes, as GRO
            inner[28] = (byte) i;
            inners.add(inner);
            segments.add(sealed(inner));
        }
        segments.set(2, copy(segments.get(1))); // a replay in the run
        segments.get(4).put(40, (byte) 0x77);    // forged
        int size = segments.get(0).remaining();
        ByteBuffer run = ByteBuffer.allocateDirect(size * segments.size());
        for (ByteBuffer s : segments) {
            run.put(s.duplicate());
        }
        b.inbound().batchStart();
        for (int i = 0; i < segments.size(); i++) {
            run.limit(size * (i + 1)).position(size * i);
            b.inbound().datagram(run, fromA);
        }
        b.inbound().burstDone(false);
        for (int i : new int[] {0, 1, 3, 5}) {
            assertArrayEquals(inners.get(i), tunB.pollWritten(), "segment " + i);
        }
        assertNull(tunB.pollWritten());
        assertEquals(1, core(DropReason.REPLAYED_COUNTER));
        assertEquals(1, core(DropReason.AUTHENTICATION_FAILED));
    }

    /** Only what authenticated (and was not a replay) may move the endpoint (roaming, §2.1). */
    @Test
    void replayedOrForgedDataFromAnotherSourceDoesNotMoveTheEndpoint() throws Exception {
        ByteBuffer d = sealed(WireGuardInterfaceTest.ipv4("10.0.0.1", "10.0.0.2", 60));
        b.inbound().datagram(copy(d), fromA);
        tunB.pollWritten();
        UdpSource attacker = UdpSource.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9));
        b.inbound().datagram(copy(d), attacker);
        ByteBuffer forged = copy(d);
        forged.put(20, (byte) (forged.get(20) ^ 4));
        b.inbound().datagram(forged, attacker);
        assertTrue(fromA.matches(b.peers().get(0).endpoint));
        assertNull(tunB.pollWritten());
    }

    /**
     * A malformed inner packet that confirms B's new keypair (and so flushes B's staged packets)
     * is dropped and counted by the shell too, not only inside the core.
     */
    @Test
    void aMalformedConfirmingPacketIsCountedWhileTheStagedPacketsGo() throws Exception {
        now.addAndGet(ProtocolTimers.REJECT_AFTER_TIME + S); // both keypairs expired
        byte[] fromB = WireGuardInterfaceTest.ipv4("10.0.0.2", "10.0.0.1", 30);
        b.sendInner(keyA.publicKey(), ByteBuffer.wrap(fromB)); // staged at B, B initiates
        byte[] bad = WireGuardInterfaceTest.ipv4("10.0.0.1", "10.0.0.2", 40);
        bad[0] = 0x55;
        Outcome.Queued q = assertInstanceOf(Outcome.Queued.class, bAtA.encapsulate(ByteBuffer.wrap(bad), now.get()));
        b.inbound().datagram(only(q.datagrams()), fromA);
        ByteBuffer response;
        do {
            response = receivedByA(); // skip B's own initiation
        } while (response.get(0) != 2);
        Device.Routed r = assertInstanceOf(Device.Routed.class,
                deviceA.receive(response, new InetSocketAddress(InetAddress.getLoopbackAddress(), b.listenPort()), now.get(), false));
        ByteBuffer staged = only(assertInstanceOf(Outcome.WriteToNetwork.class, r.outcome()).datagrams());
        b.inbound().datagram(staged, fromA);
        assertEquals(1, core(DropReason.INNER_PACKET_INVALID_VERSION));
        assertNull(tunB.pollWritten());
        ByteBuffer flushed;
        do {
            flushed = receivedByA();
        } while (flushed.get(0) != 4);
        Device.Routed got = assertInstanceOf(Device.Routed.class, deviceA.receive(flushed,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), b.listenPort()), now.get(), false));
        assertArrayEquals(fromB, bytes(assertInstanceOf(Outcome.WriteToTunnel.class, got.outcome()).packet()));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /**
     * A changed preshared key makes the shell recreate the core peer; the TAI64N replay history
     * must survive it (§5.4.2, as in the kernel and wireguard-go, which keep the peer), or a
     * captured initiation replayed from anywhere is answered and moves the peer's endpoint.
     */
    @Test
    void aCapturedInitiationReplayedAfterAPskChangeIsRejected() throws Exception {
        UapiKey psk = UapiKey.of(Arrays.copyOf(new byte[] {7}, 32));
        PeerState withPsk = new PeerState(UapiKey.of(keyA.publicKey().bytes()), psk, Optional.empty(), 0, 0, 0, 0, 0,
                List.of(AllowedIp.parse("10.0.0.1/32").orElseThrow()));
        b.reconcile(WireGuardInterfaceTest.state(keyB, b.listenPort(), withPsk));
        now.addAndGet(S);
        UdpSource replayer = UdpSource.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9));
        b.inbound().datagram(copy(capturedInitiation), replayer);
        assertEquals(1, core(DropReason.HANDSHAKE_REJECTED));
        assertTrue(!replayer.matches(b.peers().get(0).endpoint), "the replayer did not become the endpoint");
    }
}
