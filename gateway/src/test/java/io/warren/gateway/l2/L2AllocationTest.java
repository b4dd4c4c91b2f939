package io.warren.gateway.l2;

import static io.warren.gateway.l2.Frames.BROADCAST;
import static io.warren.gateway.l2.Frames.HOST_A;
import static io.warren.gateway.l2.Frames.HOST_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.warren.gateway.encap.l2tpv3.L2SpecificSublayer;
import io.warren.gateway.encap.l2tpv3.L2tpv3Encap;
import io.warren.gateway.encap.l2tpv3.L2tpv3Session;
import io.warren.gateway.encap.vxlan.FlowHash;
import io.warren.gateway.encap.vxlan.ReservedBits;
import io.warren.gateway.testing.AllocationMeter;
import io.warren.gateway.transport.MeteredTunDevice;
import io.warren.tun.TunMode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "No allocation per packet in steady state" (issue #9) for the L2 overlays: two {@link L2Tunnel}
 * shells on {@link MeteredTunDevice} TAPs and sinks that only copy, driven from the test thread the
 * way their threads drive them ({@link TapReader#pumpOnce()} outbound: read, VLAN, switch with MAC
 * learning refresh, header, send; {@link L2Tunnel#receive} and {@link InboundBurst#end()} inbound:
 * decapsulate, learn, switch, TAP write), for VXLAN (with a VLAN, with floods), L2TPv3 over UDP and
 * IP (cookies and sequence numbers) and gretap (key, sequence, checksum), plain and with offloads
 * (super-frames cut into GSO runs, TCP segments merged into one TAP write). Bytes allocated per
 * frame must stay below {@value #BOUND} each way after a warm-up; bad input is dropped, counted and
 * allocates nothing either.
 */
class L2AllocationTest {
    private static final double BOUND = 4.0;
    private static final int WARM_UP = 40_000;
    private static final int MEASURED = 40_000;
    private static final InetSocketAddress SITE_A = new InetSocketAddress("198.51.100.1", 4789);
    private static final InetSocketAddress SITE_B = new InetSocketAddress("198.51.100.2", 4789);
    private static final int MTU = 1450;
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(true, true);

    private ResourceLeakDetector.Level leakLevel;
    private L2Tunnel a;
    private L2Tunnel b;

    @BeforeEach
    void quiet() {
        leakLevel = AllocationMeter.quietLeakDetection();
    }

    @AfterEach
    void close() {
        InboundBurst.end();
        if (a != null) {
            a.close();
            b.close();
        }
        ResourceLeakDetector.setLevel(leakLevel);
    }

    /** A sink that allocates nothing: it copies the datagrams of the latest send calls out, for replay. */
    static final class CopyingSink implements DatagramSink {
        static final int SLOTS = 64;
        static final int HEADROOM = 16;
        final ByteBuf[] copies = new ByteBuf[SLOTS];
        int count;
        long sent;

        CopyingSink() {
            for (int i = 0; i < SLOTS; i++) {
                copies[i] = ALLOC.directBuffer(2048);
            }
        }

        @Override
        public boolean send(ByteBuffer datagram, InetSocketAddress to, int flowHash) {
            copy(datagram, datagram.position(), datagram.limit());
            return true;
        }

        @Override
        public int sendSegmented(ByteBuffer run, int segmentSize, InetSocketAddress to, int flowHash) {
            int position = run.position();
            int limit = run.limit();
            int n = 0;
            for (int at = position; at < limit; at += segmentSize, n++) {
                copy(run, at, Math.min(limit, at + segmentSize));
            }
            run.limit(limit).position(position);
            return n;
        }

        private void copy(ByteBuffer from, int start, int end) {
            int position = from.position();
            int limit = from.limit();
            ByteBuf c = copies[count++ % SLOTS];
            from.limit(end).position(start);
            c.setBytes(HEADROOM, from);
            c.setIndex(HEADROOM, HEADROOM + end - start);
            from.limit(limit).position(position);
            sent++;
        }

        void release() {
            for (ByteBuf c : copies) {
                c.release();
            }
        }
    }

    /** One side: its tunnel, TAP, reader and sink. */
    private record Side(L2Tunnel tunnel, L2Segment segment, MeteredTunDevice tap, TapReader reader, CopyingSink sink,
                        L2Counters counters) {
    }

    private static Side side(String name, Encapsulation e, int vlan, InetSocketAddress remote, boolean vnet,
                             byte[] template) {
        L2Counters c = new L2Counters();
        L2Segment seg = L2Segment.of(42, vlan, MTU, List.of(remote), true, c);
        MeteredTunDevice tap = new MeteredTunDevice(name, TunMode.TAP, vnet, template);
        CopyingSink sink = new CopyingSink();
        L2Tunnel t = new L2Tunnel(name, tap, new L2Switch(List.of(seg), c), Map.of(seg, e), sink, new FlowHash(7), c,
                sink::release);
        return new Side(t, seg, tap, new TapReader(t, tap, MTU), sink, c);
    }

    private static Encapsulation encapsulation(String kind, boolean forA) {
        switch (kind) {
            case "vxlan":
            case "vxlan-vlan":
            case "vxlan-flood":
                return new VxlanEncapsulation(4242, ReservedBits.STRICT);
            case "l2tpv3-udp":
            case "l2tpv3-ip": {
                byte[] c1 = HexFormat.of().parseHex("0a0b0c0d");
                byte[] c2 = HexFormat.of().parseHex("0102030405060708");
                L2tpv3Session s = forA
                        ? new L2tpv3Session(0x1001, 0x2002, c1, c2, L2SpecificSublayer.DEFAULT, true, true)
                        : new L2tpv3Session(0x2002, 0x1001, c2, c1, L2SpecificSublayer.DEFAULT, true, true);
                return new L2tpv3Encapsulation(s, kind.endsWith("udp") ? L2tpv3Encap.UDP : L2tpv3Encap.IP);
            }
            case "gretap":
                return new GretapEncapsulation(OptionalLong.of(0xCAFEL), true, true);
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        return Frames.bytes(b);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vxlan", "vxlan-vlan", "vxlan-flood", "l2tpv3-udp", "l2tpv3-ip", "gretap"})
    void framesBothWaysAllocateNothing(String kind) throws IOException {
        int vlan = kind.equals("vxlan-vlan") ? 10 : 0;
        byte[] fromA = bytes(vlan != 0 ? Frames.tagged(HOST_B, HOST_A, vlan, 1400)
                : Frames.frame(kind.equals("vxlan-flood") ? BROADCAST : HOST_B, HOST_A, 1400, 0));
        byte[] fromB = bytes(vlan != 0 ? Frames.tagged(HOST_A, HOST_B, vlan, 1400) : Frames.frame(HOST_A, HOST_B, 1400, 0));
        Side sa = side("l2a", encapsulation(kind, true), vlan, SITE_B, false, fromA);
        Side sb = side("l2b", encapsulation(kind, false), vlan, SITE_A, false, fromB);
        a = sa.tunnel();
        b = sb.tunnel();
        AllocationMeter out = new AllocationMeter();
        AllocationMeter in = new AllocationMeter();
        exchange(sa, sb, out, in, WARM_UP);
        out.reset();
        in.reset();
        exchange(sa, sb, out, in, MEASURED);
        System.out.printf("L2 %s: outbound %.2f B, inbound %.2f B allocated per frame%n", kind, out.perPacket(),
                in.perPacket());
        assertEquals(WARM_UP + MEASURED, sb.counters().get(L2Counters.LOCAL_TX_FRAMES), sb.counters().snapshot().toString());
        assertEquals(WARM_UP + MEASURED, sa.counters().get(L2Counters.LOCAL_TX_FRAMES), sa.counters().snapshot().toString());
        assertTrue(out.perPacket() <= BOUND, kind + ": outbound allocates " + out.perPacket() + " B per frame");
        assertTrue(in.perPacket() <= BOUND, kind + ": inbound allocates " + in.perPacket() + " B per frame");

        // Bad input: dropped, counted, nothing allocated.
        ByteBuf bad = ALLOC.directBuffer(2048);
        long rxBefore = sb.counters().get(L2Counters.TUNNEL_RX_PACKETS);
        long dropsBefore = drops(sb.counters());
        AllocationMeter hostile = new AllocationMeter();
        for (int round = 0; round < 2; round++) {
            hostile.reset();
            for (int i = 0; i < MEASURED; i++) {
                bad.clear().writerIndex(16).readerIndex(16);
                bad.writeZero(i % 2 == 0 ? 64 : 3);
                hostile.start();
                b.receive(sb.segment(), bad, SITE_A);
                InboundBurst.end();
                hostile.stop();
            }
        }
        bad.release();
        System.out.printf("L2 %s bad input: %.2f B allocated per dropped datagram%n", kind, hostile.perPacket());
        assertEquals(rxBefore, sb.counters().get(L2Counters.TUNNEL_RX_PACKETS));
        assertEquals(dropsBefore + 2L * MEASURED, drops(sb.counters()), sb.counters().snapshot().toString());
        assertTrue(hostile.perPacket() <= BOUND, kind + ": dropping allocates " + hostile.perPacket() + " B");
    }

    private static long drops(L2Counters c) {
        return c.snapshot().entrySet().stream().filter(e -> e.getKey().startsWith("drop_"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** {@code n} rounds: A's TAP read and send, B's receive; B's TAP read and send, A's receive. */
    private static void exchange(Side sa, Side sb, AllocationMeter out, AllocationMeter in, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            oneWay(sa, sb, out, in, 1);
            oneWay(sb, sa, out, in, 1);
        }
    }

    /** One TAP read on {@code from} (expected to send {@code datagrams}), replayed into {@code to}. */
    private static void oneWay(Side from, Side to, AllocationMeter out, AllocationMeter in, int datagrams)
            throws IOException {
        from.sink().count = 0;
        from.tap().release(1);
        out.start();
        from.reader().pumpOnce();
        out.stop(datagrams);
        int sent = from.sink().count;
        if (sent != datagrams) {
            throw new AssertionError("sent " + sent + " datagrams, expected " + datagrams + ": "
                    + from.counters().snapshot());
        }
        InetSocketAddress source = to.segment().remotes().get(0); // the sender, as the receiver knows it
        in.start();
        for (int k = 0; k < sent; k++) {
            to.tunnel().receive(to.segment(), from.sink().copies[k], source);
        }
        InboundBurst.end();
        in.stop(sent);
    }

    @Test
    void superFramesAndMergedTcpSegmentsAllocateNothing() throws IOException {
        int segments = 16;
        int mss = 1000;
        byte[] superA = SuperFrames.read(HOST_B, HOST_A, 0, SuperFrames.payload(segments * mss, 1), mss);
        byte[] superB = SuperFrames.read(HOST_A, HOST_B, 0, SuperFrames.payload(segments * mss, 2), mss);
        Side sa = side("l2va", encapsulation("vxlan", true), 0, SITE_B, true, superA);
        Side sb = side("l2vb", encapsulation("vxlan", false), 0, SITE_A, true, superB);
        a = sa.tunnel();
        b = sb.tunnel();
        AllocationMeter out = new AllocationMeter();
        AllocationMeter in = new AllocationMeter();
        for (int round = 0; round < 2; round++) {
            out.reset();
            in.reset();
            for (int i = 0; i < MEASURED / segments; i++) {
                oneWay(sa, sb, out, in, segments);
                oneWay(sb, sa, out, in, segments);
            }
        }
        System.out.printf("L2 vxlan offloads: outbound %.2f B, inbound %.2f B allocated per frame (TAP writes: %d for %d"
                + " frames)%n", out.perPacket(), in.perPacket(), sb.tap().written(), sb.counters().get(L2Counters.LOCAL_TX_FRAMES));
        assertTrue(sb.tap().written() * 4 < sb.counters().get(L2Counters.LOCAL_TX_FRAMES), "segments were merged");
        assertTrue(out.perPacket() <= BOUND, "outbound allocates " + out.perPacket() + " B per frame");
        assertTrue(in.perPacket() <= BOUND, "inbound allocates " + in.perPacket() + " B per frame");
    }
}
