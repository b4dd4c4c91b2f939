package io.warren.gateway.l2;

import static io.warren.gateway.l2.Frames.BROADCAST;
import static io.warren.gateway.l2.Frames.HOST_A;
import static io.warren.gateway.l2.Frames.HOST_B;
import static io.warren.gateway.l2.Frames.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.gateway.encap.l2tpv3.L2SpecificSublayer;
import io.warren.gateway.encap.l2tpv3.L2tpv3Encap;
import io.warren.gateway.encap.l2tpv3.L2tpv3Session;
import io.warren.gateway.encap.vxlan.FlowHash;
import io.warren.gateway.encap.vxlan.ReservedBits;
import io.warren.tun.TunMode;
import io.warren.tun.testing.MemoryTunDevice;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two tunnel shells wired back to back through in-memory TAP devices and fake sockets: frames cross
 * VXLAN and L2TPv3 both ways; malformed datagrams are dropped and counted, never thrown.
 */
class L2TunnelTest {
    private static final InetSocketAddress SITE_A = new InetSocketAddress("198.51.100.1", 4789);
    private static final InetSocketAddress SITE_B = new InetSocketAddress("198.51.100.2", 4789);

    private final MemoryTunDevice tapA = new MemoryTunDevice("tapa", TunMode.TAP, false, 1450, 100, false);
    private final MemoryTunDevice tapB = new MemoryTunDevice("tapb", TunMode.TAP, false, 1450, 100, false);
    private L2Tunnel a;
    private L2Tunnel b;
    private RecordingSink sinkA;
    private L2Segment segA;
    private L2Segment segB;

    @AfterEach
    void close() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    /** Wires A and B with {@code encapA}/{@code encapB}; A's datagrams reach B as from SITE_A and back. */
    private void wire(Encapsulation encapA, Encapsulation encapB, boolean learn) {
        L2Counters ca = new L2Counters();
        L2Counters cb = new L2Counters();
        segA = L2Segment.of(1, 0, 1450, List.of(SITE_B), learn, ca);
        segB = L2Segment.of(2, 0, 1450, List.of(SITE_A), learn, cb);
        L2Tunnel[] peers = new L2Tunnel[2];
        sinkA = new RecordingSink(s -> peers[1].receive(segB, Unpooled.wrappedBuffer(s.bytes()), SITE_A));
        RecordingSink sinkB = new RecordingSink(s -> peers[0].receive(segA, Unpooled.wrappedBuffer(s.bytes()), SITE_B));
        a = new L2Tunnel("a", tapA, new L2Switch(List.of(segA), ca), Map.of(segA, encapA), sinkA, new FlowHash(7), ca, () -> { });
        b = new L2Tunnel("b", tapB, new L2Switch(List.of(segB), cb), Map.of(segB, encapB), sinkB, new FlowHash(7), cb, () -> { });
        peers[0] = a;
        peers[1] = b;
    }

    /** Hands frames to the tunnel as the TAP reader does: direct buffers with headroom, and views. */
    private static void outbound(L2Tunnel t, ByteBuffer... frames) {
        ByteBuffer[] ring = new ByteBuffer[frames.length];
        io.netty.buffer.ByteBuf[] views = new io.netty.buffer.ByteBuf[frames.length];
        for (int i = 0; i < frames.length; i++) {
            ring[i] = ByteBuffer.allocateDirect(L2Tunnel.HEADROOM + frames[i].remaining());
            ring[i].position(L2Tunnel.HEADROOM);
            ring[i].put(frames[i].duplicate()).flip().position(L2Tunnel.HEADROOM);
            views[i] = L2Tunnel.view(ring[i]);
        }
        t.outbound(ring, views, frames.length);
    }

    @Test
    void vxlanCarriesFramesBothWaysAndLearns() throws Exception {
        wire(new VxlanEncapsulation(4242, ReservedBits.IGNORE), new VxlanEncapsulation(4242, ReservedBits.IGNORE), true);
        ByteBuffer arp = frame(BROADCAST, HOST_A, 28, 0);
        outbound(a, arp.duplicate());
        byte[] sent = sinkA.sent.get(0).bytes();
        assertEquals("0800000000109200", HexFormat.of().formatHex(sent, 0, 8), "I flag, VNI 4242");
        int port = FlowHash.sourcePort(sinkA.sent.get(0).flowHash());
        assertTrue(port >= 49152 && port <= 65535);
        assertArrayEquals(Frames.bytes(arp), tapB.takeWritten(Duration.ofSeconds(1)));

        ByteBuffer reply = frame(HOST_A, HOST_B, 28, 0);
        outbound(b, reply.duplicate());
        assertArrayEquals(Frames.bytes(reply), tapA.takeWritten(Duration.ofSeconds(1)));
        assertEquals(SITE_A, ((L2Decision.Unicast) segB.fromLocal(HOST_A, HOST_B, System.nanoTime())).remote());
        assertEquals(1, a.counters().get(L2Counters.LOCAL_TX_FRAMES));
        assertEquals(1, b.counters().get(L2Counters.TUNNEL_RX_PACKETS));
    }

    @Test
    void malformedVxlanIsDroppedAndCounted() {
        wire(new VxlanEncapsulation(4242, ReservedBits.STRICT), new VxlanEncapsulation(4242, ReservedBits.STRICT), true);
        byte[] inner = Frames.bytes(frame(BROADCAST, HOST_A, 28, 0));
        receive(b, segB, concat(hex("0000000000109200"), inner));       // I flag clear
        receive(b, segB, concat(hex("0800000100109200"), inner));       // reserved bits, STRICT
        receive(b, segB, concat(hex("0800000000109300"), inner));       // another VNI
        receive(b, segB, hex("08000000001092"));                        // truncated header
        receive(b, segB, concat(hex("0800000000109200"), new byte[10])); // truncated inner frame
        Map<String, Long> c = b.counters();
        assertEquals(1, c.get("drop_vxlan_i_flag_not_set"));
        assertEquals(1, c.get("drop_vxlan_reserved_nonzero"));
        assertEquals(1, c.get("drop_vxlan_wrong_vni"));
        assertEquals(2, c.get("drop_vxlan_truncated"));
        assertNull(tapB.pollWritten());
    }

    private static L2tpv3Session session(int ours, int theirs, String cookie, String peerCookie,
                                         L2SpecificSublayer sublayer, boolean seq) {
        return new L2tpv3Session(ours, theirs, hex(cookie), hex(peerCookie), sublayer, seq, seq);
    }

    @Test
    void l2tpv3PseudowireWithCookiesAndSequenceNumbers() throws Exception {
        L2tpv3Session sa = session(0x1001, 0x2002, "0a0b0c0d", "01020304", L2SpecificSublayer.DEFAULT, true);
        L2tpv3Session sb = session(0x2002, 0x1001, "01020304", "0a0b0c0d", L2SpecificSublayer.DEFAULT, true);
        wire(new L2tpv3Encapsulation(sa, L2tpv3Encap.UDP), new L2tpv3Encapsulation(sb, L2tpv3Encap.UDP), false);
        ByteBuffer f = frame(BROADCAST, HOST_A, 46, 0);
        outbound(a, f.duplicate(), f.duplicate());
        byte[] first = sinkA.sent.get(0).bytes();
        // T=0 Ver=3 | session 0x2002 | cookie | S=1 seq 0; then seq 1.
        assertEquals("00030000000020020a0b0c0d40000000", HexFormat.of().formatHex(first, 0, 16));
        assertEquals("40000001", HexFormat.of().formatHex(sinkA.sent.get(1).bytes(), 12, 16));
        assertArrayEquals(Frames.bytes(f), tapB.takeWritten(Duration.ofSeconds(1)));
        assertArrayEquals(Frames.bytes(f), tapB.takeWritten(Duration.ofSeconds(1)));

        // A replayed sequence number, a wrong cookie, an unknown session, a control message, truncation.
        receive(b, segB, first);
        byte[] badCookie = first.clone();
        badCookie[8] ^= 1;
        receive(b, segB, badCookie);
        receive(b, segB, concat(hex("0003000000009999"), new byte[40]));
        receive(b, segB, concat(hex("c8030000"), new byte[40]));
        receive(b, segB, hex("000300000000"));
        Map<String, Long> c = b.counters();
        assertEquals(1, c.get("drop_l2tpv3_out_of_sequence"));
        assertEquals(1, c.get("drop_l2tpv3_bad_cookie"));
        assertEquals(1, c.get("drop_l2tpv3_unknown_session"));
        assertEquals(1, c.get("drop_l2tpv3_control_message"));
        assertEquals(1, c.get("drop_l2tpv3_truncated"));
        assertNull(tapB.pollWritten());
    }

    @Test
    void l2tpv3OverIpWithEightByteCookieAndNoSublayer() throws Exception {
        L2tpv3Session sa = session(7, 9, "1112131415161718", "2122232425262728", L2SpecificSublayer.NONE, false);
        L2tpv3Session sb = session(9, 7, "2122232425262728", "1112131415161718", L2SpecificSublayer.NONE, false);
        wire(new L2tpv3Encapsulation(sa, L2tpv3Encap.IP), new L2tpv3Encapsulation(sb, L2tpv3Encap.IP), false);
        ByteBuffer f = frame(BROADCAST, HOST_A, 46, 0);
        outbound(a, f.duplicate());
        assertEquals("000000091112131415161718", HexFormat.of().formatHex(sinkA.sent.get(0).bytes(), 0, 12));
        assertArrayEquals(Frames.bytes(f), tapB.takeWritten(Duration.ofSeconds(1)));
        receive(b, segB, concat(hex("00000000"), new byte[40]));
        assertEquals(1, b.counters().get("drop_l2tpv3_control_message"));
    }

    @Test
    void floodIsReplicatedToEveryRemoteFromOneBuffer() {
        L2Counters c = new L2Counters();
        InetSocketAddress r2 = new InetSocketAddress("198.51.100.3", 4789);
        L2Segment seg = L2Segment.of(5, 0, 1450, List.of(SITE_B, r2), true, c);
        RecordingSink sink = new RecordingSink(null);
        a = new L2Tunnel("a", tapA, new L2Switch(List.of(seg), c), Map.of(seg, new VxlanEncapsulation(5, ReservedBits.IGNORE)),
                sink, new FlowHash(1), c, () -> { });
        outbound(a, frame(BROADCAST, HOST_A, 46, 0));
        assertEquals(2, sink.sent.size());
        assertEquals(SITE_B, sink.sent.get(0).to());
        assertEquals(r2, sink.sent.get(1).to());
        assertArrayEquals(sink.sent.get(0).bytes(), sink.sent.get(1).bytes());
        assertEquals(2, a.counters().get(L2Counters.TUNNEL_TX_PACKETS));
    }

    private static void receive(L2Tunnel t, L2Segment seg, byte[] datagram) {
        ByteBuf buf = Unpooled.wrappedBuffer(datagram);
        try {
            t.receive(seg, buf, t == null ? null : SITE_A);
        } finally {
            buf.release();
        }
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static byte[] concat(byte[] x, byte[] y) {
        byte[] out = new byte[x.length + y.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }
}
