package io.warren.gateway.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.UapiKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Hostile coordination input: packets a peer only forwarded (not originated), fragments, broken
 * IPv4 framing, forged introductions and replays. A coordination message must never be believed
 * unless the authenticated peer itself sent it, and ordinary traffic must never be swallowed.
 */
class CoordHostileTest {
    private static final long S = 1_000_000_000L;
    private static final UapiKey SELF = key(1);
    private static final UapiKey HUB = key(2);
    private static final UapiKey B = key(3);
    private static final UapiKey MALLORY = key(9);
    private static final InetSocketAddress B_EP = new InetSocketAddress("198.51.100.3", 40003);
    private static final InetSocketAddress EVIL = new InetSocketAddress("203.0.113.66", 51820);
    private static final SpokeCoordinator.Timing T = new SpokeCoordinator.Timing(2 * S, 5 * S, 3 * S, 10 * S, 30 * S);
    private static final CoordMessage.Introduce INTRO = new CoordMessage.Introduce(5, B, B_EP,
            List.of(AllowedIp.parse("10.3.0.0/24").orElseThrow()));

    private static UapiKey key(int n) {
        byte[] b = new byte[32];
        b[0] = (byte) n;
        b[31] = (byte) (0x40 | n);
        return UapiKey.of(b);
    }

    private static InetAddress ip(String a) throws Exception {
        return InetAddress.getByName(a);
    }

    private static ByteBuffer v4(CoordMessage m) throws Exception {
        return CoordCodec.encode(m, ip("10.99.0.1"), ip("10.99.0.1"));
    }

    private static ByteBuffer v6(CoordMessage m) throws Exception {
        return CoordCodec.encode(m, ip("fd00:99::1"), ip("fd00:99::1"));
    }

    private static ByteBuffer edit(ByteBuffer p, Consumer<ByteBuffer> e) {
        ByteBuffer copy = ByteBuffer.allocate(p.remaining()).put(p.duplicate()).flip();
        e.accept(copy);
        return copy;
    }

    /** The IPv4 header checksum recomputed after an edit (a forwarder keeps it valid). */
    private static void v4Checksum(ByteBuffer b) {
        b.putShort(10, (short) 0);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += b.getShort(i) & 0xffff;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        b.putShort(10, (short) ~sum);
    }

    @Test
    void aPacketAPeerOnlyForwardedIsNotCoordinationAndGoesToTheTun() throws Exception {
        // The hub forwards traffic from its LAN (or the Internet) to spokes; a host there can send
        // UDP to a spoke's tunnel address, port 51821. Arriving from the hub's session it looked
        // authenticated. RFC 5082 (GTSM): Warren originates with TTL / hop limit 255 and a
        // forwarded packet has at most 254, so it is ordinary traffic, not a message.
        ByteBuffer p4 = v4(INTRO);
        ByteBuffer p6 = v6(INTRO);
        assertEquals(255, p4.get(8) & 0xff, "originated with TTL 255");
        assertEquals(255, p6.get(7) & 0xff, "originated with hop limit 255");
        assertEquals(new CoordDecodeResult.Decoded(INTRO), CoordCodec.decode(p4));
        assertEquals(new CoordDecodeResult.Decoded(INTRO), CoordCodec.decode(p6));
        for (int ttl : new int[] {254, 64, 1, 0}) {
            ByteBuffer f4 = edit(p4, b -> {
                b.put(8, (byte) ttl);
                v4Checksum(b);
            });
            ByteBuffer f6 = edit(p6, b -> b.put(7, (byte) ttl));
            assertFalse(CoordCodec.isCoordination(f4), "TTL " + ttl);
            assertFalse(CoordCodec.isCoordination(f6), "hop limit " + ttl);
            assertInstanceOf(CoordDecodeResult.NotCoordination.class, CoordCodec.decode(f4));
            assertInstanceOf(CoordDecodeResult.NotCoordination.class, CoordCodec.decode(f6));
        }
    }

    @Test
    void fragmentsAreNeverCoordination() throws Exception {
        ByteBuffer p4 = v4(new CoordMessage.Hello(7));
        // RFC 791 §3.1: only the first fragment holds the UDP header; a later one whose data happens
        // to read 51821 at byte 2 is someone's traffic and must reach the TUN. Ours are never fragmented.
        ByteBuffer later = edit(p4, b -> {
            b.putShort(6, (short) 0x00b9); // fragment offset 185 * 8
            v4Checksum(b);
        });
        ByteBuffer first = edit(p4, b -> {
            b.putShort(6, (short) 0x2000); // MF
            v4Checksum(b);
        });
        ByteBuffer dfOnly = edit(p4, b -> {
            b.putShort(6, (short) 0x4000); // DF: not a fragment
            v4Checksum(b);
        });
        assertInstanceOf(CoordDecodeResult.NotCoordination.class, CoordCodec.decode(later));
        assertInstanceOf(CoordDecodeResult.NotCoordination.class, CoordCodec.decode(first));
        assertEquals(new CoordDecodeResult.Decoded(new CoordMessage.Hello(7)), CoordCodec.decode(dfOnly));
    }

    @Test
    void brokenIpv4FramingNeverThrows() throws Exception {
        ByteBuffer p = v4(INTRO);
        // rows: edit -> NotCoordination or Malformed, never an exception
        List<Consumer<ByteBuffer>> rows = List.of(
                b -> b.put(0, (byte) 0x44), // IHL 4 (< 20 bytes)
                b -> b.put(0, (byte) 0x4f), // IHL 15: 60 bytes of "options"
                b -> b.putShort(2, (short) 0), // total length 0
                b -> b.putShort(2, (short) 27), // total length inside the UDP header
                b -> b.putShort(2, (short) 0xffff), // total length past the buffer
                b -> b.limit(27), // cut in the UDP header
                b -> b.limit(20)); // IP header only
        for (Consumer<ByteBuffer> row : rows) {
            ByteBuffer b = edit(p, row);
            int pos = b.position();
            int lim = b.limit();
            CoordDecodeResult r = CoordCodec.decode(b);
            assertTrue(r != null);
            assertEquals(pos, b.position());
            assertEquals(lim, b.limit());
        }
        assertFalse(CoordCodec.isCoordination(ByteBuffer.allocate(0)));
        assertInstanceOf(CoordDecodeResult.NotCoordination.class, CoordCodec.decode(ByteBuffer.allocate(27)));
    }

    @Test
    void aUdpLengthThatDisagreesWithTheIpLengthIsMalformed() throws Exception {
        // RFC 768: the UDP length covers header and data; a receiver that reads past it (or stops short)
        // sees another message than the kernel would deliver
        for (ByteBuffer p : List.of(v4(INTRO), v6(INTRO))) {
            int udp = (p.get(0) & 0xf0) == 0x40 ? 20 : 40;
            int length = p.getShort(udp + 4) & 0xffff;
            for (int bad : new int[] {0, 8, length - 1, length + 1, 0xffff}) {
                assertInstanceOf(CoordDecodeResult.Malformed.class,
                        CoordCodec.decode(edit(p, b -> b.putShort(udp + 4, (short) bad))), "UDP length " + bad);
            }
            assertInstanceOf(CoordDecodeResult.Decoded.class, CoordCodec.decode(p));
        }
    }

    @Test
    void countsLargerThanThePayloadAreMalformed() throws Exception {
        ByteBuffer p = v4(INTRO);
        int count = 28 + CoordWire.FIXED + 32 + 1 + 2 + 4;
        assertEquals(1, p.get(count));
        for (int n : new int[] {2, 64, 65, 255}) {
            assertInstanceOf(CoordDecodeResult.Malformed.class, CoordCodec.decode(edit(p, b -> b.put(count, (byte) n))),
                    n + " prefixes");
        }
        assertInstanceOf(CoordDecodeResult.Malformed.class, CoordCodec.decode(edit(p, b -> b.put(count + 2, (byte) 33))),
                "a /33");
    }

    @Test
    void anIntroducedEndpointMustBeUnicast() throws Exception {
        for (String bad : List.of("0.0.0.0", "255.255.255.255", "224.0.0.1", "239.255.255.250", "::", "ff02::1")) {
            CoordMessage.Introduce i = new CoordMessage.Introduce(6, B, new InetSocketAddress(ip(bad), 51820), List.of());
            assertInstanceOf(CoordDecodeResult.Malformed.class, CoordCodec.decode(v4(i)), bad);
            assertInstanceOf(CoordDecodeResult.Malformed.class, CoordCodec.decode(v6(i)), bad);
        }
        for (String good : List.of("198.51.100.3", "10.255.255.255", "2001:db8::3")) {
            CoordMessage.Introduce i = new CoordMessage.Introduce(6, B, new InetSocketAddress(ip(good), 51820), List.of());
            assertEquals(new CoordDecodeResult.Decoded(i), CoordCodec.decode(v4(i)), good);
        }
    }

    @Test
    void forgedIntroductionsFromAnyoneButTheHubChangeNothing() {
        CoordCounters counters = new CoordCounters();
        SpokeCoordinator spoke = new SpokeCoordinator(SELF, Set.of(HUB), 100, T, counters);
        // a spoke (authenticated, not our hub) forges with the largest sequence: nothing learnt and
        // the hub's sequence is not poisoned
        assertEquals(Optional.of(CoordDropReason.NOT_FROM_HUB),
                spoke.receive(B, new CoordMessage.Introduce(Long.MAX_VALUE, MALLORY, EVIL, List.of()), 0));
        assertTrue(spoke.remotes().isEmpty());
        assertEquals(Optional.empty(), spoke.receive(HUB, new CoordMessage.Introduce(1_000, B, B_EP, List.of()), S));
        assertEquals(B_EP, spoke.remotes().get(0).endpoint());
        // a replay of an older introduction with another endpoint does not move the peer
        assertEquals(Optional.of(CoordDropReason.REPLAYED),
                spoke.receive(HUB, new CoordMessage.Introduce(999, B, EVIL, List.of()), 2 * S));
        assertEquals(Optional.of(CoordDropReason.REPLAYED),
                spoke.receive(HUB, new CoordMessage.Introduce(1_000, B, EVIL, List.of()), 2 * S));
        assertEquals(B_EP, spoke.remotes().get(0).endpoint());
        // introductions of ourselves or of the hub are refused
        assertEquals(Optional.of(CoordDropReason.ABOUT_SELF_OR_HUB),
                spoke.receive(HUB, new CoordMessage.Introduce(1_001, SELF, EVIL, List.of()), 3 * S));
        assertEquals(Optional.of(CoordDropReason.ABOUT_SELF_OR_HUB),
                spoke.receive(HUB, new CoordMessage.Introduce(1_002, HUB, EVIL, List.of()), 3 * S));
        assertEquals(1, spoke.remotes().size());
        assertEquals(1, counters.dropped(CoordDropReason.NOT_FROM_HUB));
        assertEquals(2, counters.dropped(CoordDropReason.REPLAYED));
        // the hub takes no introductions at all
        HubCoordinator hub = new HubCoordinator(1, HubCoordinator.Pacing.STANDARD, 30 * S, counters);
        assertEquals(Optional.of(CoordDropReason.UNEXPECTED), hub.receive(B, INTRO, 0));
        assertFalse(hub.isWarren(B));
    }

    @Test
    void anIntroducedSpokeTakesOnlyWhatWentToTheHubAndNothingAConfiguredPeerHolds() {
        AllowedIp hubNets = AllowedIp.parse("10.0.0.0/8").orElseThrow();
        AllowedIp cLan = AllowedIp.parse("10.3.0.0/24").orElseThrow();
        AllowedIp bLan = AllowedIp.parse("10.4.0.0/24").orElseThrow();
        AllowedIp local = AllowedIp.parse("192.168.1.0/24").orElseThrow();
        AllowedIp everything = AllowedIp.parse("0.0.0.0/0").orElseThrow();
        AllowedIp v6 = AllowedIp.parse("fd00:4::/64").orElseThrow();
        io.warren.gateway.uapi.PeerState hubPeer = new io.warren.gateway.uapi.PeerState(HUB, UapiKey.ZERO,
                Optional.empty(), 0, 0, 0, 0, 25, List.of(hubNets));
        io.warren.gateway.uapi.PeerState c = new io.warren.gateway.uapi.PeerState(key(4), UapiKey.ZERO,
                Optional.empty(), 0, 0, 0, 0, 0, List.of(cLan));
        io.warren.gateway.uapi.DeviceState base = new io.warren.gateway.uapi.DeviceState(Optional.of(SELF), 51820, 0,
                List.of(hubPeer, c));
        // the hub (or whoever forged it) claims C's LAN, a LAN that never went to the hub, everything,
        // and IPv6 the hub does not carry; only 10.4.0.0/24 went through the hub
        SpokeCoordinator.Remote b = new SpokeCoordinator.Remote(B, B_EP, List.of(cLan, local, everything, v6, bLan),
                PeerPath.DIRECT);
        SpokeCoordinator.Remote m = new SpokeCoordinator.Remote(MALLORY, EVIL, List.of(bLan), PeerPath.DIRECT);
        io.warren.gateway.uapi.DeviceState d = PathOverlay.apply(base, Set.of(HUB), List.of(b, m));
        assertEquals(List.of(bLan), d.peer(B).orElseThrow().allowedIps());
        assertEquals(List.of(cLan), d.peer(key(4)).orElseThrow().allowedIps(), "a configured peer keeps its prefix");
        assertEquals(List.of(), d.peer(MALLORY).orElseThrow().allowedIps(), "a prefix goes to one introduced spoke");
        assertEquals(List.of(hubNets), d.peer(HUB).orElseThrow().allowedIps());
    }

    @Test
    void randomMutationsOfBothFamiliesNeverThrow() throws Exception {
        Random r = new Random(5082);
        List<ByteBuffer> seeds = List.of(v4(INTRO), v6(INTRO), v4(new CoordMessage.Hello(3)), v6(new CoordMessage.Hello(4)));
        for (int i = 0; i < 40_000; i++) {
            ByteBuffer seed = seeds.get(r.nextInt(seeds.size()));
            ByteBuffer m = edit(seed, b -> {
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    b.put(r.nextInt(b.remaining()), (byte) r.nextInt());
                }
            });
            m.limit(r.nextInt(4) == 0 ? r.nextInt(m.limit() + 1) : m.limit());
            CoordDecodeResult res = CoordCodec.decode(m);
            assertTrue(res != null);
            assertEquals(CoordCodec.isCoordination(m), !(res instanceof CoordDecodeResult.NotCoordination));
            assertEquals(0, m.position());
        }
    }
}
