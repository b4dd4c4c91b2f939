package io.warren.gateway.tunnel.gre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.warren.gateway.encap.gre.GreCodec;
import io.warren.gateway.encap.gre.GreHeader;
import io.warren.routing.RouteTable;
import java.net.InetAddress;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The L3 GRE core's inbound side under hostile input: inner packets whose IP length disagrees with
 * the GRE payload, an inner family that contradicts the protocol type, and random mutations of
 * valid packets. Nothing throws; every packet is delivered or counted.
 */
class GreTunnelCoreHostileTest {
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(true);

    private static GreTunnelCore core(OptionalLong key, boolean seq, boolean csum) throws Exception {
        return new GreTunnelCore(new GreTunnelSettings("gre1", false, key, seq, csum, 1464, true,
                InetAddress.getByName("192.0.2.1"), InetAddress.getByName("192.0.2.2")), ALLOC, new RouteTable());
    }

    private static ByteBuf gre(int protocol, ByteBuf inner, int extra) {
        ByteBuf payload = Unpooled.buffer().writeBytes(inner, inner.readerIndex(), inner.readableBytes());
        payload.writeZero(extra);
        ByteBuf out = Unpooled.buffer();
        GreCodec.encode(GreHeader.of(protocol), payload, out);
        return out;
    }

    @Test
    void innerLengthLongerThanThePayloadIsMalformedShorterIsTrimmed() throws Exception {
        GreTunnelCore c = core(OptionalLong.empty(), false, false);
        ByteBuf v4 = TestPackets.ipv4(0x0a010009, 100, 64, true);
        byte[] original = ByteBufUtil.getBytes(v4);
        // Ethernet-style padding after the packet: delivered without it.
        ByteBuf inner = assertInstanceOf(GreResult.Deliver.class, c.inbound(gre(0x0800, v4, 7))).inner();
        assertEquals(Unpooled.wrappedBuffer(original), inner);
        // The GRE payload cut short of the IPv4 Total Length.
        ByteBuf cut = gre(0x0800, v4.copy(v4.readerIndex(), 99), 0);
        assertEquals(new GreResult.Drop(GreDrop.INNER_MALFORMED), c.inbound(cut));
        // IPv6: Payload Length beyond the buffer; and padding trimmed.
        ByteBuf v6 = TestPackets.ipv6(120, 9);
        byte[] original6 = ByteBufUtil.getBytes(v6);
        assertEquals(Unpooled.wrappedBuffer(original6),
                assertInstanceOf(GreResult.Deliver.class, c.inbound(gre(0x86DD, v6, 3))).inner());
        assertEquals(new GreResult.Drop(GreDrop.INNER_MALFORMED), c.inbound(gre(0x86DD, v6.copy(v6.readerIndex(), 119), 0)));
        // The family contradicts the protocol type, both ways.
        assertEquals(new GreResult.Drop(GreDrop.INNER_MALFORMED), c.inbound(gre(0x86DD, v4, 0)));
        assertEquals(new GreResult.Drop(GreDrop.INNER_MALFORMED), c.inbound(gre(0x0800, v6, 0)));
        // Transparent Ethernet bridging belongs to an L2 tunnel.
        assertEquals(new GreResult.Drop(GreDrop.GRE_UNKNOWN_PROTOCOL), c.inbound(gre(0x6558, v4, 0)));
        v4.release();
        v6.release();
    }

    @Test
    void randomMutationsAreDeliveredOrCountedNeverThrown() throws Exception {
        SplittableRandom random = new SplittableRandom(2784);
        for (int config = 0; config < 8; config++) {
            OptionalLong key = (config & 1) != 0 ? OptionalLong.of(42) : OptionalLong.empty();
            boolean seq = (config & 2) != 0;
            boolean csum = (config & 4) != 0;
            GreTunnelCore tx = core(key, seq, csum);
            GreTunnelCore rx = core(key, seq, csum);
            int n = 5000;
            for (int i = 0; i < n; i++) {
                ByteBuf inner = random.nextBoolean() ? TestPackets.ipv4(0x0a010009, random.nextInt(28, 1400), 64, true)
                        : TestPackets.ipv6(random.nextInt(48, 1400), 9);
                ByteBuf sent = assertInstanceOf(GreResult.Send.class, tx.outbound(inner, 0)).gre();
                byte[] p = ByteBufUtil.getBytes(sent);
                inner.release();
                switch (random.nextInt(4)) {
                    case 1 -> p[random.nextInt(Math.min(p.length, 60))] = (byte) random.nextInt(256);
                    case 2 -> p = java.util.Arrays.copyOf(p, random.nextInt(0, p.length + 8));
                    case 3 -> p[random.nextInt(p.length)] ^= (byte) (1 << random.nextInt(8));
                    default -> { }
                }
                ByteBuf in = Unpooled.buffer(16 + p.length).writerIndex(16).writeBytes(p).readerIndex(16);
                GreResult r = rx.inbound(in);
                assertTrue(r instanceof GreResult.Deliver || r instanceof GreResult.Drop, r.toString());
            }
            long drops = 0;
            for (GreDrop d : GreDrop.values()) {
                drops += rx.counters().dropped(d);
            }
            assertEquals(n, rx.counters().get(GreCounters.Traffic.RX_PACKETS) + drops, "config " + config);
        }
    }

    /**
     * RFC 2890 §2.2 ("unreliable but in-order delivery"): a sequenced L3 tunnel keeps delivering
     * after its peer's numbers jump by more than the window (a long loss) or restart from 0.
     */
    @Test
    void aSequencedTunnelSurvivesALongLossAndAPeerRestart() throws Exception {
        GreTunnelCore rx = core(OptionalLong.of(42), true, false);
        int[] stream = {0, 1, 2, 200_000, 200_001, 200_002, 200_003, 200_004, 200_005, 0, 1, 2, 3, 4, 5};
        GreDrop[] expected = {null, null, null, GreDrop.SEQUENCE_TOO_FAR, GreDrop.SEQUENCE_TOO_FAR,
            GreDrop.SEQUENCE_TOO_FAR, GreDrop.SEQUENCE_TOO_FAR, null, null,
            GreDrop.SEQUENCE_OLD, GreDrop.SEQUENCE_OLD, GreDrop.SEQUENCE_OLD, GreDrop.SEQUENCE_OLD, null, null};
        for (int i = 0; i < stream.length; i++) {
            ByteBuf inner = TestPackets.ipv4(0x0a010009, 60, 64, true);
            ByteBuf out = Unpooled.buffer();
            GreCodec.encode(GreHeader.of(0x0800).withKey(42).withSequence(stream[i]), inner, out);
            inner.release();
            GreResult r = rx.inbound(out);
            if (expected[i] == null) {
                assertInstanceOf(GreResult.Deliver.class, r, "packet " + i + " (sequence " + stream[i] + ")");
            } else {
                assertEquals(new GreResult.Drop(expected[i]), r, "packet " + i + " (sequence " + stream[i] + ")");
            }
        }
    }
}
