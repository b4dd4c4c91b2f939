package io.warren.gateway.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.DeviceState;
import io.warren.gateway.uapi.PeerEndpoint;
import io.warren.gateway.uapi.PeerState;
import io.warren.gateway.uapi.UapiKey;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Coordination codec, hub and spoke state machines (fake clock), and the path overlay. */
class CoordinationTest {
    private static final long S = 1_000_000_000L;
    private static final UapiKey SELF = key(1);
    private static final UapiKey HUB = key(2);
    private static final UapiKey B = key(3);
    private static final UapiKey C = key(4);
    private static final InetSocketAddress B_EP = new InetSocketAddress("198.51.100.3", 40003);
    private static final List<AllowedIp> B_NETS = List.of(AllowedIp.parse("10.99.0.3/32").orElseThrow(),
            AllowedIp.parse("10.3.0.0/24").orElseThrow());
    private static final SpokeCoordinator.Timing T = new SpokeCoordinator.Timing(2 * S, 5 * S, 3 * S, 10 * S, 30 * S);

    private static UapiKey key(int n) {
        byte[] b = new byte[32];
        b[0] = (byte) n;
        b[31] = (byte) (0x80 | n);
        return UapiKey.of(b);
    }

    private static Inet4Address v4(String a) throws Exception {
        return (Inet4Address) InetAddress.getByName(a);
    }

    @Test
    void messagesRoundTripInsideAnIpv4UdpPacket() throws Exception {
        CoordMessage intro = new CoordMessage.Introduce(0x0102030405060708L, B, B_EP, B_NETS);
        ByteBuffer packet = CoordCodec.encode(intro, v4("10.99.0.1"), v4("10.99.0.2"));
        assertEquals(4, (packet.get(0) & 0xff) >>> 4);
        assertEquals(packet.remaining(), packet.getShort(2) & 0xffff);
        assertTrue(CoordCodec.isCoordination(packet));
        assertEquals(new CoordDecodeResult.Decoded(intro), CoordCodec.decode(packet));
        CoordMessage v6 = new CoordMessage.Introduce(9, B, new InetSocketAddress("2001:db8::7", 51820),
                List.of(AllowedIp.parse("fd00:1::/64").orElseThrow()));
        assertEquals(new CoordDecodeResult.Decoded(v6), CoordCodec.decode(CoordCodec.encode(v6, v4("10.99.0.1"), v4("10.99.0.2"))));
        CoordMessage hello = new CoordMessage.Hello(77);
        assertEquals(new CoordDecodeResult.Decoded(hello), CoordCodec.decode(CoordCodec.encode(hello, v4("10.99.0.2"), v4("10.99.0.1"))));
    }

    @Test
    void ordinaryPacketsAreNotCoordinationAndBrokenOnesAreMalformed() throws Exception {
        ByteBuffer packet = CoordCodec.encode(new CoordMessage.Introduce(5, B, B_EP, B_NETS), v4("10.99.0.1"), v4("10.99.0.2"));
        ByteBuffer otherPort = ByteBuffer.allocate(packet.remaining()).put(packet.duplicate()).flip();
        otherPort.putShort(22, (short) 53);
        assertInstanceOf(CoordDecodeResult.NotCoordination.class, CoordCodec.decode(otherPort));
        ByteBuffer badMagic = ByteBuffer.allocate(packet.remaining()).put(packet.duplicate()).flip();
        badMagic.put(28, (byte) 0);
        assertInstanceOf(CoordDecodeResult.Malformed.class, CoordCodec.decode(badMagic));
        Random r = new Random(51821);
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer m = ByteBuffer.allocate(packet.remaining()).put(packet.duplicate()).flip();
            int cut = r.nextInt(packet.remaining() + 1);
            for (int k = 0; k < 3; k++) {
                m.put(28 + r.nextInt(m.remaining() - 28), (byte) r.nextInt());
            }
            m.limit(Math.max(cut, 0));
            CoordDecodeResult res = CoordCodec.decode(m); // never throws
            assertTrue(res != null);
        }
    }

    @Test
    void hubIntroducesWarrenSpokesThatTalkThroughItAndIgnoresReplayedHellos() {
        CoordCounters c = new CoordCounters();
        HubCoordinator hub = new HubCoordinator(1000, new HubCoordinator.Pacing(2 * S, 30 * S,
                new TokenBucket.Rate(S, 4), new TokenBucket.Rate(S / 100, 100), 1000), 30 * S, c);
        assertEquals(Optional.empty(), hub.receive(SELF, new CoordMessage.Hello(10), 0));
        assertEquals(Optional.empty(), hub.receive(B, new CoordMessage.Hello(10, MappingBehaviour.ENDPOINT_DEPENDENT), 0));
        assertEquals(Optional.of(CoordDropReason.REPLAYED), hub.receive(B, new CoordMessage.Hello(10), 0));
        assertEquals(Optional.of(CoordDropReason.UNEXPECTED),
                hub.receive(B, new CoordMessage.Introduce(11, C, B_EP, List.of()), 0));
        assertEquals(MappingBehaviour.ENDPOINT_DEPENDENT, hub.mapping(B), "the replayed HELLO changed nothing");
        List<HubCoordinator.Spoke> spokes = List.of(
                new HubCoordinator.Spoke(SELF, Optional.of(new InetSocketAddress("198.51.100.1", 51820)), List.of()),
                new HubCoordinator.Spoke(B, Optional.of(B_EP), B_NETS),
                new HubCoordinator.Spoke(C, Optional.of(new InetSocketAddress("198.51.100.4", 1)), List.of())); // stock
        assertTrue(hub.tick(S, spokes).isEmpty(), "no traffic through the hub: nobody is introduced");
        hub.relayed(SELF, C, S); // C is a stock spoke: never introduced
        hub.relayed(SELF, B, S);
        List<HubCoordinator.Outgoing> out = hub.tick(S, spokes);
        assertEquals(2, out.size());
        HubCoordinator.Outgoing toSelf = out.stream().filter(o -> o.to().equals(SELF)).findFirst().orElseThrow();
        CoordMessage.Introduce intro = (CoordMessage.Introduce) toSelf.message();
        assertEquals(B, intro.peer());
        assertEquals(B_EP, intro.endpoint());
        assertEquals(B_NETS, intro.prefixes());
        assertEquals(MappingBehaviour.ENDPOINT_DEPENDENT, intro.mapping(), "B's mapping from its HELLO");
        assertTrue(out.get(1).message().sequence() > out.get(0).message().sequence());
        assertTrue(hub.tick(2 * S, spokes).isEmpty(), "repeated 2 s later");
        assertEquals(2, hub.tick(3 * S, spokes).size());
        assertEquals(0, hub.tick(40 * S, spokes).size(), "spokes that stopped saying hello are not introduced");
    }

    @Test
    void spokeLearnsOnlyFromItsHubAndIgnoresReplays() {
        CoordCounters c = new CoordCounters();
        SpokeCoordinator spoke = new SpokeCoordinator(SELF, Set.of(HUB), 0, T, c);
        assertEquals(Optional.of(CoordDropReason.NOT_FROM_HUB),
                spoke.receive(C, new CoordMessage.Introduce(100, B, B_EP, B_NETS), 0), "forged by another peer");
        assertTrue(spoke.remotes().isEmpty());
        assertEquals(Optional.empty(), spoke.receive(HUB, new CoordMessage.Introduce(100, B, B_EP, B_NETS), 0));
        InetSocketAddress elsewhere = new InetSocketAddress("203.0.113.9", 9);
        assertEquals(Optional.of(CoordDropReason.REPLAYED),
                spoke.receive(HUB, new CoordMessage.Introduce(100, B, elsewhere, B_NETS), 0));
        assertEquals(Optional.of(CoordDropReason.REPLAYED),
                spoke.receive(HUB, new CoordMessage.Introduce(99, B, elsewhere, B_NETS), 0));
        assertEquals(Optional.of(CoordDropReason.ABOUT_SELF_OR_HUB),
                spoke.receive(HUB, new CoordMessage.Introduce(101, SELF, elsewhere, B_NETS), 0));
        assertEquals(B_EP, spoke.remotes().get(0).endpoint());
        assertEquals(1, c.dropped(CoordDropReason.NOT_FROM_HUB));
        assertEquals(2, c.dropped(CoordDropReason.REPLAYED));
        assertEquals(1, spoke.hello(0).size());
        assertTrue(spoke.hello(S).isEmpty());
        assertTrue(spoke.hello(2 * S).get(0).sequence() > 1);
    }

    @Test
    void pathGoesDirectOnHandshakeFallsBackWhenQuietAndProbesAgainLater() {
        SpokeCoordinator spoke = new SpokeCoordinator(SELF, Set.of(HUB), 0, T, new CoordCounters());
        spoke.receive(HUB, new CoordMessage.Introduce(1, B, B_EP, B_NETS), 0);
        assertTrue(spoke.tick(0, Map.of()));
        assertEquals(PeerPath.PROBING, spoke.remotes().get(0).path());
        spoke.tick(S, Map.of(B, new SpokeCoordinator.Observation(false, 0, 0)));
        assertEquals(PeerPath.PROBING, spoke.remotes().get(0).path());
        assertTrue(spoke.tick(2 * S, Map.of(B, new SpokeCoordinator.Observation(true, 2 * S, 148))));
        assertEquals(PeerPath.DIRECT, spoke.remotes().get(0).path());
        long rx = 148;
        for (long t = 3; t <= 8; t++) { // keepalives arrive every second
            spoke.receive(HUB, new CoordMessage.Introduce(1 + t, B, B_EP, B_NETS), t * S);
            rx += 32;
            assertFalse(spoke.tick(t * S, Map.of(B, new SpokeCoordinator.Observation(true, 2 * S, rx))));
        }
        // the direct path is cut: nothing more arrives
        for (long t = 9; t <= 11; t++) {
            spoke.tick(t * S, Map.of(B, new SpokeCoordinator.Observation(true, 2 * S, rx)));
            assertEquals(PeerPath.DIRECT, spoke.remotes().get(0).path(), "at " + t);
        }
        assertTrue(spoke.tick(12 * S, Map.of(B, new SpokeCoordinator.Observation(true, 2 * S, rx))));
        assertEquals(PeerPath.VIA_HUB, spoke.remotes().get(0).path(), "more than 3 s without receiving");
        spoke.receive(HUB, new CoordMessage.Introduce(20, B, B_EP, B_NETS), 20 * S);
        spoke.tick(21 * S, Map.of());
        assertEquals(PeerPath.VIA_HUB, spoke.remotes().get(0).path());
        spoke.tick(22 * S, Map.of());
        assertEquals(PeerPath.PROBING, spoke.remotes().get(0).path(), "probed again 10 s after falling back");
        spoke.tick(28 * S, Map.of(B, new SpokeCoordinator.Observation(true, 2 * S, rx)));
        assertEquals(PeerPath.VIA_HUB, spoke.remotes().get(0).path(), "no new handshake within 5 s: via the hub");
        spoke.tick(60 * S, Map.of());
        assertTrue(spoke.remotes().isEmpty(), "no introduction for 30 s: forgotten");
    }

    @Test
    void overlayMovesPrefixesFromTheHubToADirectSpokeAndBack() {
        AllowedIp overlay = AllowedIp.parse("10.99.0.0/24").orElseThrow();
        AllowedIp bLan = AllowedIp.parse("10.3.0.0/24").orElseThrow();
        PeerState hubPeer = new PeerState(HUB, UapiKey.ZERO,
                Optional.of(PeerEndpoint.of(new byte[] {(byte) 192, 0, 2, 1}, 51820)), 0, 0, 0, 0, 25,
                List.of(overlay, bLan));
        DeviceState base = new DeviceState(Optional.of(SELF), 51820, 0, List.of(hubPeer));
        SpokeCoordinator.Remote probing = new SpokeCoordinator.Remote(B, B_EP, B_NETS, PeerPath.PROBING);
        DeviceState p = PathOverlay.apply(base, Set.of(HUB), List.of(probing));
        assertEquals(List.of(overlay, bLan), p.peer(HUB).orElseThrow().allowedIps());
        assertEquals(List.of(), p.peer(B).orElseThrow().allowedIps());
        assertEquals(PathOverlay.KEEPALIVE_SECONDS, p.peer(B).orElseThrow().persistentKeepaliveInterval());

        DeviceState d = PathOverlay.apply(base, Set.of(HUB), List.of(new SpokeCoordinator.Remote(B, B_EP, B_NETS, PeerPath.DIRECT)));
        assertEquals(List.of(overlay), d.peer(HUB).orElseThrow().allowedIps(), "10.3.0.0/24 moved");
        assertEquals(B_NETS, d.peer(B).orElseThrow().allowedIps());
        assertEquals(B_EP, d.peer(B).orElseThrow().endpoint().orElseThrow().toSocketAddress());

        assertEquals(base, PathOverlay.apply(base, Set.of(HUB), List.of(new SpokeCoordinator.Remote(B, B_EP, B_NETS, PeerPath.VIA_HUB))));
    }
}
