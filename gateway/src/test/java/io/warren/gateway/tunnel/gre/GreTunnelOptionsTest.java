package io.warren.gateway.tunnel.gre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.warren.gateway.config.Forwarding;
import io.warren.gateway.config.TunnelConfig;
import io.warren.gateway.config.TunnelParams;
import io.warren.gateway.config.TunnelType;
import io.warren.gateway.encap.gre.GreCodec;
import io.warren.gateway.encap.gre.GreDecodeResult;
import io.warren.gateway.encap.gre.GreHeader;
import io.warren.routing.RouteTable;
import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The per-tunnel options reach the data path: GRE-in-UDP with sequence numbers and checksum
 * (RFC 2890 §2.2, RFC 2784 §2.5) writes and checks them like plain GRE; {@code mss-clamp} off leaves
 * SYNs alone, a ceiling clamps below the MTU-derived MSS, the default follows the factory flag.
 */
class GreTunnelOptionsTest {
    private static final int SITE_B_HOST = 0x0a020009;
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(true);

    private static TunnelConfig config(TunnelParams p) {
        TunnelType type = p instanceof TunnelParams.GreUdp ? TunnelType.GRE_UDP : TunnelType.GRE;
        return new TunnelConfig("t1", type, false, Optional.empty(), "192.0.2.2", p, Optional.empty(),
                OptionalInt.empty(), Optional.empty(), OptionalInt.empty(), Forwarding.OFF);
    }

    private static GreTunnelSettings settings(TunnelParams p, boolean factoryClamp) throws Exception {
        return GreTunnelSettings.from(config(p), InetAddress.getByName("192.0.2.1"), InetAddress.getByName("192.0.2.2"),
                1500, factoryClamp);
    }

    @Test
    void greInUdpCarriesSequenceAndChecksumFromTheConfig() throws Exception {
        GreTunnelSettings s = settings(new TunnelParams.GreUdp(OptionalLong.of(7), 4754, true, true,
                TunnelParams.MssClamp.AUTO), true);
        assertTrue(s.overUdp() && s.sequence() && s.checksum());
        assertEquals(1500 - 20 - 8 - 16, s.tunnelMtu(), "IPv4 + UDP + GRE with key, sequence and checksum");
        GreTunnelCore tx = new GreTunnelCore(s, ALLOC, new RouteTable());
        GreTunnelCore rx = new GreTunnelCore(s, ALLOC, new RouteTable());
        ByteBuf[] sent = new ByteBuf[3];
        for (int i = 0; i < 3; i++) {
            ByteBuf gre = assertInstanceOf(GreResult.Send.class, tx.outbound(TestPackets.ipv4(SITE_B_HOST, 100, 64, true), 0)).gre();
            GreHeader h = ((GreDecodeResult.Decoded) GreCodec.decode(gre.duplicate())).header();
            assertTrue(h.checksumPresent(), "checksum sent");
            assertEquals(i, h.sequence());
            sent[i] = gre;
        }
        assertInstanceOf(GreResult.Deliver.class, rx.inbound(sent[1]));
        assertEquals(new GreResult.Drop(GreDrop.SEQUENCE_OLD), rx.inbound(sent[0]), "in-order only");
        assertInstanceOf(GreResult.Deliver.class, rx.inbound(sent[2]));
        for (ByteBuf b : sent) {
            b.release();
        }
    }

    @Test
    void greInUdpWithSequenceRequiresSequenceNumbers() throws Exception {
        GreTunnelCore tx = new GreTunnelCore(settings(new TunnelParams.GreUdp(OptionalLong.empty(), 4754), true),
                ALLOC, new RouteTable());
        GreTunnelCore rx = new GreTunnelCore(settings(new TunnelParams.GreUdp(OptionalLong.empty(), 4754, true, false,
                TunnelParams.MssClamp.AUTO), true), ALLOC, new RouteTable());
        ByteBuf gre = assertInstanceOf(GreResult.Send.class, tx.outbound(TestPackets.ipv4(SITE_B_HOST, 100, 64, true), 0)).gre();
        assertEquals(new GreResult.Drop(GreDrop.SEQUENCE_MISSING), rx.inbound(gre));
        gre.release();
    }

    private static int clampedMss(GreTunnelSettings s, int mss) {
        GreTunnelCore c = new GreTunnelCore(s, ALLOC, new RouteTable());
        ByteBuf syn = TestPackets.tcpSyn(SITE_B_HOST, mss);
        ByteBuf gre = assertInstanceOf(GreResult.Send.class, c.outbound(syn, 0)).gre();
        GreCodec.decode(gre);
        int out = TestPackets.mssOf(gre);
        syn.release();
        return out;
    }

    @Test
    void mssClampOffCeilingAndDefault() throws Exception {
        OptionalLong none = OptionalLong.empty();
        GreTunnelSettings auto = settings(new TunnelParams.Gre(none, false, false), true);
        assertEquals(1476 - 40, clampedMss(auto, 1460), "default: what fits the tunnel MTU");
        GreTunnelSettings off = settings(new TunnelParams.Gre(none, false, false, TunnelParams.MssClamp.OFF), true);
        assertFalse(off.mssClamp());
        assertEquals(1460, clampedMss(off, 1460), "mss-clamp = false leaves SYNs alone");
        GreTunnelSettings ceiling = settings(new TunnelParams.Gre(none, false, false,
                TunnelParams.MssClamp.atMost(1300)), true);
        assertEquals(1300, clampedMss(ceiling, 1460), "mss-clamp = 1300");
        assertEquals(1200, clampedMss(ceiling, 1200), "a smaller MSS is never raised");
        assertEquals(1436, settings(new TunnelParams.Gre(none, false, false, TunnelParams.MssClamp.atMost(1500)), true)
                .maxMss(false), "a ceiling above what fits changes nothing");
        assertFalse(settings(new TunnelParams.Gre(none, false, false), false).mssClamp(),
                "default follows the factory flag");
        assertTrue(settings(new TunnelParams.Gre(none, false, false, TunnelParams.MssClamp.atMost(1300)), false)
                .mssClamp(), "an explicit ceiling wins over the factory flag");
    }
}
