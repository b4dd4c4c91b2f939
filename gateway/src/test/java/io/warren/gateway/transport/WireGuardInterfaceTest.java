package io.warren.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.DeviceState;
import io.warren.gateway.uapi.PeerEndpoint;
import io.warren.gateway.uapi.PeerState;
import io.warren.gateway.uapi.UapiKey;
import io.warren.tun.testing.MemoryTunDevice;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two whole interfaces, in-memory TUN devices, real UDP on loopback. */
class WireGuardInterfaceTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Transports transports;
    private MemoryTunDevice tunA;
    private MemoryTunDevice tunB;
    private WireGuardInterface a;
    private WireGuardInterface b;
    private NoisePrivateKey keyA;
    private NoisePrivateKey keyB;

    @BeforeEach
    void setUp() throws Exception {
        transports = Transports.create(1);
        tunA = new MemoryTunDevice("wa");
        tunB = new MemoryTunDevice("wb");
        a = new WireGuardInterface("wa", tunA, 1420, transports);
        b = new WireGuardInterface("wb", tunB, 1420, transports);
        keyA = NoisePrivateKey.generate(RANDOM);
        keyB = NoisePrivateKey.generate(RANDOM);
        b.reconcile(state(keyB, 0, peer(keyA, null, "10.0.0.1/32", "fd00::1/128")));
        a.reconcile(state(keyA, 0, peer(keyB, PeerEndpoint.of(InetAddress.getLoopbackAddress().getAddress(), b.listenPort()),
                "10.0.0.2/32", "fd00::2/128")));
        a.start();
        b.start();
    }

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
        transports.close();
    }

    /**
     * Gives {@code a} (10.0.0.1) and {@code b} (10.0.0.2) fresh keys, makes each the other's peer
     * (A knows B's loopback endpoint) and starts both.
     */
    static void connect(WireGuardInterface a, WireGuardInterface b) throws Exception {
        NoisePrivateKey keyA = NoisePrivateKey.generate(RANDOM);
        NoisePrivateKey keyB = NoisePrivateKey.generate(RANDOM);
        b.reconcile(state(keyB, 0, peer(keyA, null, "10.0.0.1/32")));
        a.reconcile(state(keyA, 0, peer(keyB, PeerEndpoint.of(InetAddress.getLoopbackAddress().getAddress(), b.listenPort()),
                "10.0.0.2/32")));
        a.start();
        b.start();
    }

    static DeviceState state(NoisePrivateKey key, int port, PeerState... peers) {
        return new DeviceState(Optional.of(UapiKey.of(key.bytes())), port, 0, List.of(peers));
    }

    static PeerState peer(NoisePrivateKey key, PeerEndpoint endpoint, String... allowed) {
        List<AllowedIp> ips = java.util.Arrays.stream(allowed).map(s -> AllowedIp.parse(s).orElseThrow()).toList();
        return new PeerState(UapiKey.of(key.publicKey().bytes()), UapiKey.ZERO, Optional.ofNullable(endpoint),
                0, 0, 0, 0, 0, ips);
    }

    /** A minimal IPv4/UDP packet src -> dst with a payload (checksums are not checked by the core). */
    static byte[] ipv4(String src, String dst, int payloadBytes) throws Exception {
        byte[] p = new byte[28 + payloadBytes];
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 17;
        System.arraycopy(InetAddress.getByName(src).getAddress(), 0, p, 12, 4);
        System.arraycopy(InetAddress.getByName(dst).getAddress(), 0, p, 16, 4);
        p[21] = 99;
        p[23] = 100;
        p[25] = (byte) (8 + payloadBytes);
        for (int i = 28; i < p.length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    static byte[] ipv6(String src, String dst, int payloadBytes) throws Exception {
        byte[] p = new byte[40 + payloadBytes];
        p[0] = 0x60;
        p[4] = (byte) (payloadBytes >>> 8);
        p[5] = (byte) payloadBytes;
        p[6] = 59;
        p[7] = 64;
        System.arraycopy(InetAddress.getByName(src).getAddress(), 0, p, 8, 16);
        System.arraycopy(InetAddress.getByName(dst).getAddress(), 0, p, 24, 16);
        for (int i = 40; i < p.length; i++) {
            p[i] = (byte) (i * 7);
        }
        return p;
    }

    @Test
    void packetsCrossBothWaysAfterTheHandshake() throws Exception {
        byte[] first = ipv4("10.0.0.1", "10.0.0.2", 100);
        tunA.inject(first);
        assertArrayEquals(first, tunB.takeWritten(Duration.ofSeconds(10)), "the staged packet is delivered");
        // B learned A's endpoint from the handshake and can answer.
        byte[] back = ipv6("fd00::2", "fd00::1", 1000);
        tunB.inject(back);
        assertArrayEquals(back, tunA.takeWritten(Duration.ofSeconds(10)));
        for (int i = 0; i < 200; i++) {
            byte[] p = ipv4("10.0.0.1", "10.0.0.2", i);
            tunA.inject(p);
            assertArrayEquals(p, tunB.takeWritten(Duration.ofSeconds(10)), "packet " + i);
        }
        DeviceState sa = a.snapshot();
        PeerState pb = sa.peers().get(0);
        assertTrue(pb.txBytes() > 0 && pb.rxBytes() > 0, pb.toString());
        assertTrue(pb.lastHandshakeEpochSeconds() > 1_700_000_000L);
        assertNotNull(b.snapshot().peers().get(0).endpoint().orElse(null), "roaming set B's endpoint for A");
    }

    @Test
    void aSpoofedInnerSourceIsDropped() throws Exception {
        tunA.inject(ipv4("10.0.0.1", "10.0.0.2", 10));
        assertNotNull(tunB.takeWritten(Duration.ofSeconds(10)));
        tunA.inject(ipv4("10.9.9.9", "10.0.0.2", 10));
        tunA.inject(ipv4("10.0.0.1", "10.0.0.2", 11));
        byte[] got = tunB.takeWritten(Duration.ofSeconds(10));
        assertEquals(28 + 11, got.length, "the spoofed packet never reached B's TUN");
        assertEquals(1, b.counters().get(ShellCounters.Reason.INBOUND_SOURCE_NOT_ALLOWED));
    }

    /**
     * The inner tap is offered every decrypted packet but told of delivery only for packets that
     * passed cryptokey routing: a spoofed source never reaches {@code delivered} (a hub's relayed
     * flows are noted there).
     */
    @Test
    void theInnerTapSeesDeliveryOnlyOfPacketsWithAnAllowedSource() throws Exception {
        List<String> offered = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
        b.setInnerTap(new InnerTap() {
            @Override
            public boolean offer(io.warren.crypto.primitives.NoisePublicKey from, java.nio.ByteBuffer packet) {
                offered.add(source(packet));
                return false;
            }

            @Override
            public void delivered(io.warren.crypto.primitives.NoisePublicKey from, java.nio.ByteBuffer packet) {
                assertEquals(keyA.publicKey(), from);
                delivered.add(source(packet));
            }
        });
        tunA.inject(ipv4("10.0.0.1", "10.0.0.2", 10));
        assertNotNull(tunB.takeWritten(Duration.ofSeconds(10)));
        tunA.inject(ipv4("10.9.9.9", "10.0.0.2", 10));
        tunA.inject(ipv4("10.0.0.1", "10.0.0.2", 11));
        assertNotNull(tunB.takeWritten(Duration.ofSeconds(10)));
        assertEquals(List.of("10.0.0.1", "10.9.9.9", "10.0.0.1"), offered);
        assertEquals(List.of("10.0.0.1", "10.0.0.1"), delivered);
        assertEquals(1, b.counters().get(ShellCounters.Reason.INBOUND_SOURCE_NOT_ALLOWED));
    }

    /** Removing a tap that was replaced since (an old coordination agent closing late) keeps the new one. */
    @Test
    void removingAReplacedInnerTapKeepsTheNewOne() throws Exception {
        List<String> oldSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> newSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        InnerTap oldTap = (from, packet) -> oldSeen.add(source(packet)) && false;
        InnerTap newTap = (from, packet) -> newSeen.add(source(packet)) && false;
        b.setInnerTap(oldTap);
        b.setInnerTap(newTap);
        b.removeInnerTap(oldTap);
        tunA.inject(ipv4("10.0.0.1", "10.0.0.2", 10));
        assertNotNull(tunB.takeWritten(Duration.ofSeconds(10)));
        assertEquals(List.of("10.0.0.1"), newSeen);
        assertTrue(oldSeen.isEmpty());
        b.removeInnerTap(newTap);
        tunA.inject(ipv4("10.0.0.1", "10.0.0.2", 11));
        assertNotNull(tunB.takeWritten(Duration.ofSeconds(10)));
        assertEquals(1, newSeen.size(), "removed");
    }

    private static String source(java.nio.ByteBuffer packet) {
        int p = packet.position();
        return (packet.get(p + 12) & 0xff) + "." + (packet.get(p + 13) & 0xff) + "." + (packet.get(p + 14) & 0xff)
                + "." + (packet.get(p + 15) & 0xff);
    }

    @Test
    void noPeerForTheDestinationIsCounted() throws Exception {
        tunA.inject(ipv4("10.0.0.1", "10.7.7.7", 10));
        tunA.inject(ipv4("10.0.0.1", "10.0.0.2", 10));
        assertNotNull(tunB.takeWritten(Duration.ofSeconds(10)));
        assertEquals(1, a.counters().get(ShellCounters.Reason.OUTBOUND_NO_PEER));
        assertNull(tunB.pollWritten());
    }

    @Test
    void reconcileKeepsUntouchedPeersAndRemovesDropped() throws Exception {
        tunA.inject(ipv4("10.0.0.1", "10.0.0.2", 10));
        assertNotNull(tunB.takeWritten(Duration.ofSeconds(10)));
        long handshake = a.snapshot().peers().get(0).lastHandshakeEpochSeconds();
        NoisePrivateKey other = NoisePrivateKey.generate(RANDOM);
        // Add a second peer to A; the first keeps its session (no new handshake needed).
        DeviceState now = a.snapshot();
        a.reconcile(new DeviceState(now.privateKey(), now.listenPort(), 0,
                List.of(now.peers().get(0), peer(other, null, "10.0.0.3/32"))));
        tunA.inject(ipv4("10.0.0.1", "10.0.0.2", 12));
        assertEquals(28 + 12, tunB.takeWritten(Duration.ofSeconds(10)).length);
        assertEquals(handshake, a.snapshot().peers().get(0).lastHandshakeEpochSeconds());
        assertEquals(2, a.peers().size());
        // Remove B from A: its prefixes no longer route.
        a.reconcile(new DeviceState(now.privateKey(), now.listenPort(), 0, List.of(peer(other, null, "10.0.0.3/32"))));
        tunA.inject(ipv4("10.0.0.1", "10.0.0.2", 13));
        assertEquals(1, a.peers().size());
        assertNull(tunB.takeWritten(Duration.ofMillis(300)));
        assertEquals(1, a.counters().get(ShellCounters.Reason.OUTBOUND_NO_PEER));
    }
}
