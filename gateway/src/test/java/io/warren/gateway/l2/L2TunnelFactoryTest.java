package io.warren.gateway.l2;

import static io.warren.gateway.l2.Frames.BROADCAST;
import static io.warren.gateway.l2.Frames.HOST_A;
import static io.warren.gateway.l2.Frames.HOST_B;
import static io.warren.gateway.l2.Frames.HOST_C;
import static io.warren.gateway.l2.Frames.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.gateway.config.StaticMac;
import io.warren.gateway.config.TunnelConfig;
import io.warren.gateway.config.TunnelParams;
import io.warren.gateway.config.TunnelType;
import io.warren.gateway.encap.l2tpv3.L2SpecificSublayer;
import io.warren.gateway.transport.Transports;
import io.warren.gateway.tunnel.TunnelContext;
import io.warren.gateway.tunnel.TunnelFactory;
import io.warren.routing.Mac;
import io.warren.routing.MacTable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The factory reads every L2 key of {@code [tunnel.NAME]} into the tunnel it opens, checked on an
 * in-memory host ({@link FakeL2Host}): the remote list is the flood list, static MACs pin
 * destinations and are never re-learned, the L2TPv3 sublayer, cookies and session IDs are on the wire,
 * the TAP gets its MTU, bridge and link state. Floods of source MACs or remote VTEPs stay bounded.
 */
class L2TunnelFactoryTest {
    private static final String R1 = "198.51.100.1";
    private static final String R2 = "198.51.100.2";
    private static final long HOST_D = 0x02_00_00_00_00_0dL;

    private final FakeL2Host host = new FakeL2Host();
    private final L2TunnelFactory factory = new L2TunnelFactory(host);
    private Transports transports;
    private L2Tunnel tunnel;

    @BeforeEach
    void transports() {
        transports = Transports.create(1);
    }

    @AfterEach
    void close() {
        if (tunnel != null) {
            tunnel.close();
        }
        transports.close();
    }

    private L2Tunnel open(TunnelConfig c) throws Exception {
        tunnel = (L2Tunnel) factory.open(c, new TunnelContext(transports));
        return tunnel;
    }

    private static TunnelConfig vxlan(List<String> remotes, List<StaticMac> macs) {
        return new TunnelConfig("vx0", TunnelType.VXLAN, true, Optional.empty(), remotes,
                new TunnelParams.Vxlan(4242, 4789), Optional.empty(), OptionalInt.empty(), Optional.of("br-lan"),
                OptionalInt.empty(), macs);
    }

    private static TunnelConfig l2tpv3(boolean overUdp, L2SpecificSublayer sublayer, List<StaticMac> macs) {
        return new TunnelConfig("pw0", TunnelType.L2TPV3, true, Optional.empty(), List.of(R1),
                new TunnelParams.L2tpv3(0x1001, 0x2002, new TunnelParams.Cookie(0x01020304L, 4),
                        new TunnelParams.Cookie(0x0a0b0c0d0e0f1011L, 8), overUdp, 1701, false, sublayer),
                Optional.empty(), OptionalInt.empty(), Optional.empty(), OptionalInt.empty(), macs);
    }

    private static InetSocketAddress at(String address, int port) {
        return new InetSocketAddress(L2Lab.addr(address), port);
    }

    /** Hands one frame to the tunnel as the TAP reader does (direct buffer with headroom, and its view). */
    private static void outbound(L2Tunnel t, ByteBuffer frame) {
        ByteBuffer slot = ByteBuffer.allocateDirect(L2Tunnel.HEADROOM + frame.remaining());
        slot.position(L2Tunnel.HEADROOM);
        slot.put(frame.duplicate()).flip().position(L2Tunnel.HEADROOM);
        t.outbound(new ByteBuffer[] {slot}, new ByteBuf[] {L2Tunnel.view(slot)}, 1);
    }

    /** A VXLAN datagram of VNI 4242 carrying a frame {@code src -> dst}, received from {@code from}. */
    private void receiveVxlan(long dst, long src, InetSocketAddress from) {
        byte[] inner = Frames.bytes(frame(dst, src, 46, 0));
        ByteBuf d = Unpooled.buffer().writeBytes(HexFormat.of().parseHex("0800000000109200")).writeBytes(inner);
        host.receivers.get(4242L).receive(d, from);
        d.release();
    }

    private List<InetSocketAddress> sentTo(int from) {
        return host.sink.sent.subList(from, host.sink.sent.size()).stream().map(RecordingSink.Sent::to).toList();
    }

    @Test
    void vxlanRemoteListIsTheFloodListAndStaticMacsPinDestinations() throws Exception {
        host.underlayMtus.put(L2Lab.addr(R2), 1400);
        L2Tunnel t = open(vxlan(List.of(R1, R2), List.of(StaticMac.behind(new Mac(HOST_B), R2),
                StaticMac.local(new Mac(HOST_C)))));
        // 1400 (the smaller underlay) - 20 IPv4 - 8 UDP - 8 VXLAN - 14 Ethernet.
        assertEquals(1350, host.link.link("vx0").mtu());
        assertTrue(host.link.link("vx0").isUp());
        assertEquals(List.of("br-lan " + host.link.link("vx0").index()), host.bridgePorts);
        assertEquals(List.of("VXLAN 4789"), host.endpoints);

        outbound(t, frame(BROADCAST, HOST_A, 28, 0));
        assertEquals(List.of(at(R1, 4789), at(R2, 4789)), sentTo(0), "head-end replication to every remote");
        outbound(t, frame(HOST_B, HOST_A, 28, 0));
        assertEquals(List.of(at(R2, 4789)), sentTo(2), "static MAC: unicast to its remote, no flood");
        outbound(t, frame(HOST_D, HOST_A, 28, 0));
        assertEquals(List.of(at(R1, 4789), at(R2, 4789)), sentTo(3), "unknown unicast floods");

        // R1 claims HOST_C (pinned local) and HOST_B (pinned behind R2): static entries never move.
        receiveVxlan(HOST_A, HOST_C, at(R1, 4789));
        receiveVxlan(HOST_A, HOST_B, at(R1, 4789));
        assertTrue(host.taps.get("vx0").pollWritten() != null && host.taps.get("vx0").pollWritten() != null,
                "both delivered to the TAP");
        int before = host.sink.sent.size();
        outbound(t, frame(HOST_C, HOST_A, 28, 0));
        assertEquals(List.of(), sentTo(before), "HOST_C stays local: a hairpin, not sent to R1");
        assertEquals(1, t.l2Counters().dropped(L2Drop.HAIRPIN));
        outbound(t, frame(HOST_B, HOST_A, 28, 0));
        assertEquals(List.of(at(R2, 4789)), sentTo(before), "HOST_B stays behind R2");

        t.close();
        assertEquals(0, host.references, "socket reference dropped");
        assertTrue(host.receivers.isEmpty(), "VNI unregistered");
        assertTrue(host.link.isClosed());
    }

    @Test
    void l2tpv3WithoutSublayerPutsSessionAndCookieOnTheWireAndFrameRightAfter() throws Exception {
        L2Tunnel t = open(l2tpv3(true, L2SpecificSublayer.NONE, List.of(StaticMac.local(new Mac(HOST_C)))));
        assertEquals(List.of("L2TPV3_UDP 1701"), host.endpoints);
        // 1500 - 20 IPv4 - 8 UDP - 16 (flags, reserved, session, 8-byte cookie; no sublayer) - 14.
        assertEquals(1442, host.link.link("pw0").mtu());
        ByteBuffer f = frame(BROADCAST, HOST_A, 46, 0);
        outbound(t, f);
        byte[] sent = host.sink.sent.get(0).bytes();
        assertEquals("00030000" + "00002002" + "0a0b0c0d0e0f1011", HexFormat.of().formatHex(sent, 0, 16));
        assertArrayEquals(Frames.bytes(f), java.util.Arrays.copyOfRange(sent, 16, sent.length), "no sublayer");
        assertEquals(at(R1, 1701), host.sink.sent.get(0).to());

        byte[] in = Frames.bytes(frame(HOST_A, HOST_C, 46, 0));
        ByteBuf d = Unpooled.buffer().writeBytes(HexFormat.of().parseHex("00030000" + "00001001" + "01020304"))
                .writeBytes(in);
        host.receivers.get(0x1001L).receive(d, at(R1, 40000));
        d.release();
        assertArrayEquals(in, host.taps.get("pw0").pollWritten(), "accepted with our session and cookie");
        outbound(t, frame(HOST_C, HOST_A, 46, 0));
        assertEquals(1, host.sink.sent.size(), "static local MAC: not learned behind the remote");
    }

    @Test
    void l2tpv3DefaultSublayerOverIpUsesTheRawSocket() throws Exception {
        L2Tunnel t = open(l2tpv3(false, L2SpecificSublayer.DEFAULT, List.of()));
        assertEquals(List.of("raw " + R1), host.endpoints);
        // 1500 - 20 IPv4 - 16 (session, 8-byte cookie, default sublayer) - 14.
        assertEquals(1450, host.link.link("pw0").mtu());
        outbound(t, frame(BROADCAST, HOST_A, 46, 0));
        assertEquals("00002002" + "0a0b0c0d0e0f1011" + "00000000",
                HexFormat.of().formatHex(host.sink.sent.get(0).bytes(), 0, 16));
    }

    @Test
    void aMacFloodFromARemoteStaysBoundedAndStaticEntriesSurvive() throws Exception {
        L2Tunnel t = open(vxlan(List.of(R1, R2), List.of(StaticMac.behind(new Mac(HOST_B), R2))));
        outbound(t, frame(BROADCAST, HOST_A, 28, 0)); // HOST_A learned on the local side
        SplittableRandom random = new SplittableRandom(7);
        long[] flood = new long[3 * L2Segment.DEFAULT_MAX_MACS];
        for (int i = 0; i < flood.length; i++) {
            flood[i] = random.nextLong() & Mac.MASK & ~Mac.GROUP_BIT;
            receiveVxlan(HOST_A, flood[i], at(R1, 4789));
        }
        int before = host.sink.sent.size();
        outbound(t, frame(flood[0], HOST_A, 28, 0));
        assertEquals(List.of(at(R1, 4789)), sentTo(before), "learned before the table filled");
        outbound(t, frame(flood[flood.length - 1], HOST_A, 28, 0));
        assertEquals(List.of(at(R1, 4789), at(R2, 4789)), sentTo(before + 1), "not learned: the table is full");
        outbound(t, frame(HOST_B, HOST_A, 28, 0));
        assertEquals(List.of(at(R2, 4789)), sentTo(before + 3), "the static entry survives the flood");
        receiveVxlan(HOST_A, HOST_D, at(R2, 4789));
        assertEquals(flood.length + 1, t.counters().get(L2Counters.TUNNEL_RX_PACKETS), "every frame counted");

        // The same flood straight into a segment built by the factory: the table holds at most the bound.
        MacTable<L2Port> table = flooded(flood, flood.length);
        assertEquals(L2Segment.DEFAULT_MAX_MACS, table.dynamicCount());
        assertEquals(1, table.staticCount());
        assertEquals(flooded(flood, L2Segment.DEFAULT_MAX_MACS).memoryBytes(), table.memoryBytes(),
                "sources beyond the bound cost no memory");
    }

    private static MacTable<L2Port> flooded(long[] sources, int count) {
        L2Segment seg = L2TunnelFactory.segment(vxlan(List.of(R1), List.of(StaticMac.local(new Mac(HOST_C)))), 4242,
                1450, Map.of(R1, L2Lab.addr(R1)), 4789, true, new L2Counters());
        for (int i = 0; i < count; i++) {
            seg.fromRemote(at(R1, 4789), HOST_A, sources[i], 0);
        }
        return seg.macTable();
    }

    @Test
    void aFloodOfRemoteVtepsStaysBounded() throws Exception {
        L2Tunnel t = open(vxlan(List.of(R1, R2), List.of()));
        for (int i = 0; i < 1000; i++) {
            InetSocketAddress vtep = new InetSocketAddress(InetAddress.getByAddress(
                    new byte[] {(byte) 203, 0, (byte) (113 + i / 250), (byte) (i % 250 + 1)}), 4789);
            receiveVxlan(HOST_A, 0x02_00_00_01_00_00L + i, vtep);
        }
        int before = host.sink.sent.size();
        outbound(t, frame(BROADCAST, HOST_A, 28, 0));
        Set<InetSocketAddress> flooded = sentTo(before).stream().collect(Collectors.toSet());
        assertEquals(2 + L2Segment.DEFAULT_MAX_REMOTES, flooded.size(), "static remotes plus the learned bound");
        assertTrue(flooded.containsAll(List.of(at(R1, 4789), at(R2, 4789))));
        assertTrue(t.counters().getOrDefault("remote_table_full", 0L) > 0, t.counters().toString());
    }

    private static TunnelConfig gretap(boolean overUdp, OptionalInt mtu, List<StaticMac> macs) {
        java.util.OptionalLong key = java.util.OptionalLong.of(42);
        TunnelParams p = overUdp ? new TunnelParams.GreUdp(key, 4754, false, false, TunnelParams.MssClamp.AUTO)
                : new TunnelParams.Gre(key, true, false);
        return new TunnelConfig("gt0", overUdp ? TunnelType.GRE_UDP : TunnelType.GRE, true, Optional.empty(),
                List.of(R1), p, Optional.empty(), mtu, Optional.empty(), OptionalInt.empty(), macs);
    }

    @Test
    void gretapPutsTebKeyAndSequenceBeforeTheFrameAndSizesTheTap() throws Exception {
        L2Tunnel t = open(gretap(false, OptionalInt.empty(), List.of(StaticMac.behind(new Mac(HOST_B), R1))));
        assertEquals(List.of("GRE " + R1), host.endpoints);
        // 1500 - 20 IPv4 - 12 GRE (base, key, sequence) - 14 Ethernet.
        assertEquals(1454, host.link.link("gt0").mtu());
        ByteBuffer f = frame(BROADCAST, HOST_A, 46, 0);
        outbound(t, f);
        outbound(t, frame(HOST_B, HOST_A, 46, 0));
        byte[] first = host.sink.sent.get(0).bytes();
        assertEquals("30006558" + "0000002a" + "00000000", HexFormat.of().formatHex(first, 0, 12));
        assertArrayEquals(Frames.bytes(f), java.util.Arrays.copyOfRange(first, 12, first.length));
        assertEquals("30006558" + "0000002a" + "00000001", HexFormat.of().formatHex(host.sink.sent.get(1).bytes(), 0, 12));
        assertEquals(List.of(at(R1, 0), at(R1, 0)), sentTo(0));

        byte[] in = Frames.bytes(frame(HOST_A, HOST_C, 46, 0));
        SharedUdpPort.Receiver r = host.receivers.get(42L);
        r.receive(gre("30006558" + "0000002a" + "00000009", in), at(R1, 0));
        assertArrayEquals(in, host.taps.get("gt0").pollWritten(), "TEB frame with our key delivered to the TAP");
        // Forged and foreign packets: each dropped and counted, nothing written.
        r.receive(gre("30000800" + "0000002a" + "0000000a", in), at(R1, 0));
        r.receive(gre("30006558" + "0000002b" + "0000000b", in), at(R1, 0));
        r.receive(gre("30006558" + "0000002a" + "00000009", in), at(R1, 0));
        r.receive(gre("3000", new byte[0]), at(R1, 0));
        r.receive(gre("30006558" + "0000002a" + "0000000c", new byte[6]), at(R1, 0));
        assertNull(host.taps.get("gt0").pollWritten());
        L2Counters c = t.l2Counters();
        assertEquals(1, c.dropped("gre_not_ethernet"));
        assertEquals(1, c.dropped("gre_key_mismatch"));
        assertEquals(1, c.dropped("gre_sequence_old"));
        assertEquals(1, c.dropped("gre_truncated"));
        assertEquals(1, c.dropped(L2Drop.RUNT), "a GRE header with less than an Ethernet header behind it");
        assertEquals(2, c.get(L2Counters.TUNNEL_RX_PACKETS));

        t.close();
        assertEquals(0, host.references, "underlay released");
    }

    private static ByteBuf gre(String headerHex, byte[] frame) {
        return Unpooled.buffer().writeBytes(HexFormat.of().parseHex(headerHex)).writeBytes(frame);
    }

    @Test
    void gretapOverUdpSubtractsUdpAndKeepsTheOverlayPort() throws Exception {
        L2Tunnel t = open(gretap(true, OptionalInt.empty(), List.of()));
        assertEquals(List.of("GRE-in-UDP " + R1 + " 4754"), host.endpoints);
        // 1500 - 20 IPv4 - 8 UDP - 8 GRE (base, key) - 14 Ethernet.
        assertEquals(1450, host.link.link("gt0").mtu());
        outbound(t, frame(BROADCAST, HOST_A, 46, 0));
        assertEquals("20006558" + "0000002a", HexFormat.of().formatHex(host.sink.sent.get(0).bytes(), 0, 8));
        assertEquals(at(R1, 4754), host.sink.sent.get(0).to());
    }

    @Test
    void gretapMtuAboveWhatTheUnderlayCarriesOpensNothing() {
        host.underlayMtus.put(L2Lab.addr(R1), 1400);
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> open(gretap(false, OptionalInt.of(1400), List.of())));
        assertEquals("gt0: mtu 1400 does not fit the underlay toward " + R1
                + " (1400 - 46 bytes of outer IP, GRE and Ethernet headers = 1354)", e.getMessage());
        assertTrue(host.endpoints.isEmpty() && host.taps.isEmpty(), "nothing opened");
    }

    @Test
    void gretapConfiguredMtuThatFitsIsTheTapMtu() throws Exception {
        open(gretap(false, OptionalInt.of(1400), List.of()));
        assertEquals(1400, host.link.link("gt0").mtu());
    }

    private static TunnelConfig withMtu(TunnelConfig c, int mtu) {
        return new TunnelConfig(c.name(), c.type(), c.layer2(), c.local(), c.remotes(), c.params(), c.encryptedVia(),
                OptionalInt.of(mtu), c.bridge(), c.vlan(), c.staticMacs());
    }

    private void assertRefused(TunnelConfig c, String message) {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> open(c));
        assertEquals(message, e.getMessage());
        assertTrue(host.endpoints.isEmpty() && host.taps.isEmpty(), "nothing opened");
    }

    @Test
    void vxlanMtuAboveWhatTheUnderlayCarriesOpensNothing() {
        assertRefused(withMtu(vxlan(List.of(R1), List.of()), 1451), "vx0: mtu 1451 does not fit the underlay toward "
                + R1 + " (1500 - 50 bytes of outer IP, UDP, VXLAN and Ethernet headers = 1450)");
    }

    @Test
    void vxlanMtuIsCheckedAgainstTheSmallestUnderlayOfAllRemotes() {
        host.underlayMtus.put(L2Lab.addr(R2), 1400);
        assertRefused(withMtu(vxlan(List.of(R1, R2), List.of()), 1400), "vx0: mtu 1400 does not fit the underlay toward "
                + R2 + " (1400 - 50 bytes of outer IP, UDP, VXLAN and Ethernet headers = 1350)");
    }

    @Test
    void checkRefusesBeforeOpeningWhatOpenWouldRefuse() {
        host.underlayMtus.put(L2Lab.addr(R2), 1400);
        host.absentInterfaces.add("br-lan");
        assertEquals(List.of(new TunnelFactory.Refusal("mtu", "mtu 1400 does not fit the underlay toward " + R2
                        + " (1400 - 50 bytes of outer IP, UDP, VXLAN and Ethernet headers = 1350)"),
                new TunnelFactory.Refusal("bridge", "no interface \"br-lan\" to join")),
                factory.check(withMtu(vxlan(List.of(R1, R2), List.of()), 1400)));
        assertEquals("remote", factory.check(vxlan(List.of(R1, "no-such-host.invalid"), List.of())).get(0).key());
        assertTrue(host.endpoints.isEmpty() && host.taps.isEmpty(), "nothing opened");

        host.absentInterfaces.clear();
        assertEquals(List.of(), factory.check(withMtu(vxlan(List.of(R1, R2), List.of()), 1350)));
        TunnelConfig inside = withMtu(vxlan(List.of(R1), List.of()), 1451);
        inside = new TunnelConfig(inside.name(), inside.type(), true, inside.local(), inside.remotes(), inside.params(),
                Optional.of("wg0"), inside.mtu(), inside.bridge(), inside.vlan(), inside.staticMacs());
        assertEquals(List.of(), factory.check(inside), "inside WireGuard, warren check compares with the interface");
    }

    @Test
    void vxlanConfiguredMtuThatFitsIsTheTapMtu() throws Exception {
        open(withMtu(vxlan(List.of(R1), List.of()), 1450));
        assertEquals(1450, host.link.link("vx0").mtu());
    }

    @Test
    void l2tpv3MtuAboveWhatTheUnderlayCarriesOpensNothing() {
        // Sent cookie 8 bytes: over UDP 4 + 4 + 8 (no sublayer), over IP 4 + 8 + 4 (default sublayer).
        assertRefused(withMtu(l2tpv3(true, L2SpecificSublayer.NONE, List.of()), 1443), "pw0: mtu 1443 does not fit"
                + " the underlay toward " + R1 + " (1500 - 58 bytes of outer IP, UDP, L2TPv3 and Ethernet headers = 1442)");
        assertRefused(withMtu(l2tpv3(false, L2SpecificSublayer.DEFAULT, List.of()), 1451), "pw0: mtu 1451 does not fit"
                + " the underlay toward " + R1 + " (1500 - 50 bytes of outer IP, L2TPv3 and Ethernet headers = 1450)");
    }

    @Test
    void l2tpv3ConfiguredMtuThatFitsIsTheTapMtu() throws Exception {
        open(withMtu(l2tpv3(false, L2SpecificSublayer.DEFAULT, List.of()), 1450));
        assertEquals(1450, host.link.link("pw0").mtu());
    }

    @Test
    void anUnresolvableRemoteOpensNothing() {
        org.junit.jupiter.api.Assertions.assertThrows(java.net.UnknownHostException.class,
                () -> open(vxlan(List.of(R1, "no-such-host.invalid"), List.of())));
        assertTrue(host.endpoints.isEmpty() && host.taps.isEmpty(), "nothing opened");
        assertNull(tunnel);
    }
}
