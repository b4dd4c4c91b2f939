package io.warren.gateway.tunnel.gre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.warren.gateway.encap.gre.GreCodec;
import io.warren.gateway.encap.gre.GreDecodeResult;
import io.warren.gateway.encap.gre.GreHeader;
import io.warren.gateway.packet.Ipv4Header;
import io.warren.routing.IpPrefix;
import io.warren.routing.Route;
import io.warren.routing.RouteTable;
import io.warren.routing.RouteTarget;
import java.net.InetAddress;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The sans-I/O tunnel core: encapsulation fields per settings, two cores talking to each other,
 * every inbound drop reason with the tunnel still working after it, MTU handling (ICMP, rate
 * limit, fragmentation), MSS clamp, loops and blackhole routes.
 */
class GreTunnelCoreTest {
    private static final int SITE_B_HOST = 0x0a020009; // 10.2.0.9
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(true);

    private static GreTunnelSettings settings(OptionalLong key, boolean seq, boolean csum, int mtu) throws Exception {
        return new GreTunnelSettings("gre1", false, key, seq, csum, mtu, true,
                InetAddress.getByName("192.0.2.1"), InetAddress.getByName("192.0.2.2"));
    }

    private static GreTunnelCore core(GreTunnelSettings s) {
        return new GreTunnelCore(s, ALLOC, new RouteTable());
    }

    @Test
    void mtuArithmeticMatchesTheHeaderSizes() {
        assertEquals(1476, 1500 - GreTunnelSettings.overhead(false, false, false, false, false));
        assertEquals(1464, 1500 - GreTunnelSettings.overhead(false, false, true, true, true));
        assertEquals(1448, 1500 - GreTunnelSettings.overhead(true, false, true, true, false));
        assertEquals(1464, 1500 - GreTunnelSettings.overhead(false, true, true, false, false));
        assertEquals(1256, 1280 - GreTunnelSettings.overhead(false, false, false, false, false));
    }

    @Test
    void outboundWritesKeySequenceAndChecksumAsConfigured() throws Exception {
        GreTunnelCore c = core(settings(OptionalLong.of(0xCAFEF00DL), true, true, 1464));
        for (int i = 0; i < 3; i++) {
            ByteBuf pkt = TestPackets.ipv4(SITE_B_HOST, 100, 63, true);
            GreResult r = c.outbound(pkt, 0);
            ByteBuf gre = assertInstanceOf(GreResult.Send.class, r).gre();
            assertEquals(TestPackets.HEADROOM - 16, gre.readerIndex(), "header written into the headroom");
            GreHeader h = ((GreDecodeResult.Decoded) GreCodec.decode(gre)).header();
            assertEquals(0xCAFEF00D, h.key());
            assertEquals(i, h.sequence());
            assertTrue(h.checksumPresent());
            assertEquals(0x0800, h.protocolType());
            assertEquals(63, Ipv4Header.ttl(gre, gre.readerIndex()), "inner TTL untouched");
            pkt.release();
        }
        assertEquals(3, c.counters().get(GreCounters.Traffic.TX_PACKETS));
    }

    @Test
    void twoCoresCarryIpv4AndIpv6BothWays() throws Exception {
        GreTunnelCore a = core(settings(OptionalLong.of(7), true, false, 1468));
        GreTunnelCore b = core(settings(OptionalLong.of(7), true, false, 1468));
        for (ByteBuf pkt : new ByteBuf[] {TestPackets.ipv4(SITE_B_HOST, 1468, 64, true), TestPackets.ipv6(1000, 5)}) {
            byte[] original = ByteBufUtil.getBytes(pkt);
            ByteBuf gre = assertInstanceOf(GreResult.Send.class, a.outbound(pkt, 0)).gre();
            ByteBuf inner = assertInstanceOf(GreResult.Deliver.class, b.inbound(gre)).inner();
            assertEquals(Unpooled.wrappedBuffer(original), inner);
            pkt.release();
        }
        assertEquals(2, b.counters().get(GreCounters.Traffic.RX_PACKETS));
        assertEquals(0, b.counters().droppedTotal());
    }

    /** Each bad packet is dropped with its reason; a good one after it is still delivered. */
    @Test
    void badInboundPacketsAreDroppedAndCountedAndTheTunnelKeepsWorking() throws Exception {
        GreTunnelCore rx = core(settings(OptionalLong.of(42), true, false, 1468));
        Object[][] cases = {
                {"00 00", GreDrop.GRE_TRUNCATED},
                {"20 00 08 00 00 00", GreDrop.GRE_TRUNCATED},
                {"00 01 08 00", GreDrop.GRE_BAD_VERSION},
                {"40 00 08 00", GreDrop.GRE_RESERVED_BITS},
                {"30 00 88 47 00 00 00 2a 00 00 00 01", GreDrop.GRE_UNKNOWN_PROTOCOL},
                {"30 00 65 58 00 00 00 2a 00 00 00 01", GreDrop.GRE_UNKNOWN_PROTOCOL},
                {"30 00 08 00 00 00 00 2b 00 00 00 01", GreDrop.KEY_MISMATCH},
                {"10 00 08 00 00 00 00 01", GreDrop.KEY_MISMATCH},
                {"20 00 08 00 00 00 00 2a", GreDrop.SEQUENCE_MISSING},
                {"b0 00 08 00 12 34 00 00 00 00 00 2a 00 00 00 01", GreDrop.GRE_BAD_CHECKSUM},
                {"30 00 08 00 00 00 00 2a 00 00 00 01 45 00 00 10", GreDrop.INNER_MALFORMED},
                {"30 00 86 dd 00 00 00 2a 00 00 00 01 45 00 00 14 00 00 00 00 40 11 00 00 0a 00 00 01 0a 00 00 02",
                        GreDrop.INNER_MALFORMED},
        };
        int seq = 100;
        for (Object[] c : cases) {
            ByteBuf bad = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(((String) c[0]).replace(" ", "")));
            GreResult r = rx.inbound(bad);
            assertEquals(new GreResult.Drop((GreDrop) c[1]), r, (String) c[0]);
            assertTrue(rx.counters().dropped((GreDrop) c[1]) >= 1);
            assertInstanceOf(GreResult.Deliver.class, rx.inbound(good(42, seq++)), "after " + c[0]);
        }
        // Sequencing: a replayed and an old packet are dropped.
        assertEquals(new GreResult.Drop(GreDrop.SEQUENCE_OLD), rx.inbound(good(42, seq - 1)));
        assertEquals(new GreResult.Drop(GreDrop.SEQUENCE_OLD), rx.inbound(good(42, seq - 5)));
        assertEquals(new GreResult.Drop(GreDrop.SEQUENCE_TOO_FAR), rx.inbound(good(42, seq + 1_000_000)));
        assertInstanceOf(GreResult.Deliver.class, rx.inbound(good(42, seq)));
    }

    private static ByteBuf good(int key, int seq) {
        ByteBuf inner = TestPackets.ipv4(0x0a010009, 60, 64, true);
        ByteBuf out = Unpooled.buffer();
        GreCodec.encode(GreHeader.of(0x0800).withKey(key).withSequence(seq), inner, out);
        inner.release();
        return out;
    }

    @Test
    void dfPacketAboveTheTunnelMtuGetsRateLimitedFragNeededIntoTheTun() throws Exception {
        GreTunnelCore c = core(settings(OptionalLong.empty(), false, false, 1256));
        ByteBuf big = TestPackets.ipv4(SITE_B_HOST, 1400, 64, true);
        GreResult r = c.outbound(big, 0);
        ByteBuf icmp = assertInstanceOf(GreResult.ReplyToTun.class, r).packet();
        int at = icmp.readerIndex();
        assertEquals(1, Ipv4Header.protocol(icmp, at));
        assertEquals(0x0a010005, Ipv4Header.destination(icmp, at), "back to the sender");
        assertEquals(0xc0000201, Ipv4Header.source(icmp, at), "from the local endpoint");
        assertEquals(3, icmp.getUnsignedByte(at + 20));
        assertEquals(4, icmp.getUnsignedByte(at + 21));
        assertEquals(1256, icmp.getUnsignedShort(at + 26), "next-hop MTU = tunnel MTU");
        icmp.release();
        // The burst is limited: at one instant, at most ICMP_BURST errors.
        int sent = 1;
        for (int i = 0; i < 100; i++) {
            GreResult again = c.outbound(big.setIndex(TestPackets.HEADROOM, TestPackets.HEADROOM + 1400), 0);
            if (again instanceof GreResult.ReplyToTun t) {
                sent++;
                t.packet().release();
            }
        }
        assertEquals(GreTunnelCore.ICMP_BURST, sent);
        assertEquals(101 - GreTunnelCore.ICMP_BURST, c.counters().dropped(GreDrop.TOO_BIG_NO_ICMP));
        big.release();
    }

    @Test
    void ipv6AboveTheTunnelMtuGetsPacketTooBig() throws Exception {
        GreTunnelCore c = core(settings(OptionalLong.empty(), false, false, 1280));
        ByteBuf big = TestPackets.ipv6(1400, 64);
        ByteBuf icmp = assertInstanceOf(GreResult.ReplyToTun.class, c.outbound(big, 0)).packet();
        int at = icmp.readerIndex();
        assertEquals(58, icmp.getUnsignedByte(at + 6));
        assertEquals(2, icmp.getUnsignedByte(at + 40), "Packet Too Big");
        assertEquals(1280, icmp.getInt(at + 44));
        assertTrue(TestPackets.v6Valid(icmp));
        icmp.release();
        big.release();
    }

    @Test
    void noPacketTooBigFromAMulticastUnspecifiedOrLoopbackSource() throws Exception {
        // The local endpoint is IPv4, so an IPv6 error's source would be the inner destination:
        // for these destinations there is no address to send it from (RFC 4443 §2.2).
        GreTunnelCore c = core(settings(OptionalLong.empty(), false, false, 1280));
        long[][] destinations = {{0xff02_0000_0000_0000L, 1}, {0, 0}, {0, 1}};
        for (long[] d : destinations) {
            ByteBuf big = TestPackets.ipv6(1400, 64);
            big.setLong(big.readerIndex() + 24, d[0]).setLong(big.readerIndex() + 32, d[1]);
            assertInstanceOf(GreResult.Drop.class, c.outbound(big, 0), Long.toHexString(d[0]) + "/" + d[1]);
            big.release();
        }
        assertEquals(3, c.counters().dropped(GreDrop.TOO_BIG_NO_ICMP));
        assertEquals(0, c.counters().get(GreCounters.Traffic.ICMP_TOO_BIG_SENT));
    }

    @Test
    void ipv4WithoutDfIsFragmentedThenEncapsulated() throws Exception {
        GreTunnelCore c = core(settings(OptionalLong.of(1), false, false, 1000));
        ByteBuf big = TestPackets.ipv4(SITE_B_HOST, 1400, 64, false);
        GreResult.SendAll all = assertInstanceOf(GreResult.SendAll.class, c.outbound(big, 0));
        assertEquals(2, all.gre().size());
        int payload = 0;
        for (ByteBuf g : all.gre()) {
            GreHeader h = ((GreDecodeResult.Decoded) GreCodec.decode(g)).header();
            assertEquals(1, h.key());
            assertTrue(g.readableBytes() <= 1000);
            payload += g.readableBytes() - 20;
            g.release();
        }
        assertEquals(1380, payload);
        assertEquals(1, c.counters().get(GreCounters.Traffic.FRAGMENTED));
        big.release();
    }

    @Test
    void synMssIsClampedToTheTunnelMtu() throws Exception {
        GreTunnelCore c = core(settings(OptionalLong.empty(), false, false, 1256));
        ByteBuf syn = TestPackets.tcpSyn(SITE_B_HOST, 1460);
        ByteBuf gre = assertInstanceOf(GreResult.Send.class, c.outbound(syn, 0)).gre();
        GreCodec.decode(gre);
        assertEquals(1216, TestPackets.mssOf(gre));
        assertEquals(1, c.counters().get(GreCounters.Traffic.MSS_CLAMPED));
        syn.release();
    }

    @Test
    void loopsTtlZeroAndBlackholesNeverEnterTheTunnel() throws Exception {
        RouteTable routes = new RouteTable();
        routes.add(new Route(IpPrefix.of("10.2.0.128/25"), RouteTarget.BLACKHOLE, 1));
        routes.add(new Route(IpPrefix.of("10.2.0.0/16"), new RouteTarget.Tunnel("gre1"), 1));
        GreTunnelCore c = new GreTunnelCore(settings(OptionalLong.empty(), false, false, 1476), ALLOC, routes);
        assertEquals(new GreResult.Drop(GreDrop.OUTBOUND_LOOP), c.outbound(TestPackets.ipv4(0xc0000202, 100, 64, true), 0));
        assertEquals(new GreResult.Drop(GreDrop.OUTBOUND_TTL_EXPIRED), c.outbound(TestPackets.ipv4(SITE_B_HOST, 100, 0, true), 0));
        assertEquals(new GreResult.Drop(GreDrop.BLACKHOLE), c.outbound(TestPackets.ipv4(0x0a020081, 100, 64, true), 0));
        assertEquals(new GreResult.Drop(GreDrop.OUTBOUND_MALFORMED), c.outbound(Unpooled.wrappedBuffer(new byte[] {0x45, 0}), 0));
        assertInstanceOf(GreResult.Send.class, c.outbound(TestPackets.ipv4(SITE_B_HOST, 100, 1, true), 0));
        ByteBuf looped = Unpooled.buffer();
        GreCodec.encode(GreHeader.of(0x0800), TestPackets.ipv4(0xc0000202, 60, 64, true), looped);
        assertEquals(new GreResult.Drop(GreDrop.INNER_LOOP), c.inbound(looped));
    }
}
