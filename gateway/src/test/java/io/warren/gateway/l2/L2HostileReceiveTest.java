package io.warren.gateway.l2;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole receive path of a tunnel shell (decapsulation, switch, VLAN tag insertion, TAP writer
 * with its TCP coalescer) fed valid and randomly mutated datagrams of every encapsulation: nothing
 * throws, and every datagram is accounted for, either written to the TAP or counted as a drop.
 */
class L2HostileReceiveTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.7", 4789);
    private static final byte[] COOKIE_A = {1, 2, 3, 4, 5, 6, 7, 8};
    private static final byte[] COOKIE_B = {9, 10, 11, 12};

    /** (sender, receiver) encapsulation of one kind, both fresh. */
    private static Encapsulation[] pair(String kind) {
        return switch (kind) {
            case "vxlan" -> new Encapsulation[] {new VxlanEncapsulation(4242, ReservedBits.IGNORE),
                new VxlanEncapsulation(4242, ReservedBits.IGNORE)};
            case "vxlan-strict" -> new Encapsulation[] {new VxlanEncapsulation(4242, ReservedBits.IGNORE),
                new VxlanEncapsulation(4242, ReservedBits.STRICT)};
            case "l2tpv3-udp" -> new Encapsulation[] {
                new L2tpv3Encapsulation(new L2tpv3Session(0x2000, 0x1000, COOKIE_A, COOKIE_B,
                        L2SpecificSublayer.DEFAULT, true, true), L2tpv3Encap.UDP),
                new L2tpv3Encapsulation(new L2tpv3Session(0x1000, 0x2000, COOKIE_B, COOKIE_A,
                        L2SpecificSublayer.DEFAULT, true, true), L2tpv3Encap.UDP)};
            case "l2tpv3-ip" -> new Encapsulation[] {
                new L2tpv3Encapsulation(new L2tpv3Session(0x2000, 0x1000, COOKIE_B, null,
                        L2SpecificSublayer.NONE, false, false), L2tpv3Encap.IP),
                new L2tpv3Encapsulation(new L2tpv3Session(0x1000, 0x2000, null, COOKIE_B,
                        L2SpecificSublayer.NONE, false, false), L2tpv3Encap.IP)};
            case "gretap-full" -> new Encapsulation[] {new GretapEncapsulation(OptionalLong.of(77), true, true),
                new GretapEncapsulation(OptionalLong.of(77), true, true)};
            case "gretap" -> new Encapsulation[] {new GretapEncapsulation(OptionalLong.empty(), false, false),
                new GretapEncapsulation(OptionalLong.empty(), false, false)};
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** A TCP/IPv4 frame with valid checksums (so the coalescer takes it), or another random frame. */
    private static byte[] frame(SplittableRandom random, int seq) {
        long dst = random.nextInt(4) == 0 ? Frames.BROADCAST : Frames.HOST_A;
        long src = random.nextInt(8) == 0 ? random.nextLong() & 0xffff_ffff_ffffL : Frames.HOST_B;
        if (random.nextBoolean()) {
            byte[] vnet = SuperFrames.read(dst, src, 0, SuperFrames.payload(random.nextInt(1, 1400), seq), 0);
            byte[] f = java.util.Arrays.copyOfRange(vnet, 10, vnet.length);
            // Finish the partial TCP checksum as the kernel would (NEEDS_CSUM: field holds the pseudo sum).
            ByteBuffer b = ByteBuffer.wrap(f);
            int tcp = 14 + 20;
            b.putShort(tcp + 16, (short) 0x0000);
            long sum = 0;
            for (int i = 14 + 12; i < 14 + 20; i += 2) {
                sum += b.getShort(i) & 0xffff;
            }
            sum += 6 + (f.length - tcp);
            for (int i = tcp; i < f.length; i += 2) {
                sum += ((f[i] & 0xff) << 8) | (i + 1 < f.length ? f[i + 1] & 0xff : 0);
            }
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xffff) + (sum >>> 16);
            }
            b.putShort(tcp + 16, (short) ~sum);
            b.putInt(tcp + 4, seq * 1000);
            return f;
        }
        ByteBuffer f = Frames.frame(dst, src, random.nextInt(0, 1500), 0);
        if (random.nextInt(5) == 0) {
            f.putShort(12, (short) 0x8100); // an inner tag of its own: delivered as it is
        }
        return Frames.bytes(f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"vxlan", "vxlan-strict", "l2tpv3-udp", "l2tpv3-ip", "gretap-full", "gretap"})
    void mutatedDatagramsAreDeliveredOrCountedNeverThrown(String kind) {
        for (boolean vnet : new boolean[] {false, true}) {
            run(kind, vnet, new SplittableRandom(kind.hashCode() + (vnet ? 1 : 0)));
        }
    }

    private static void run(String kind, boolean vnet, SplittableRandom random) {
        Encapsulation[] e = pair(kind);
        L2Counters counters = new L2Counters();
        L2Segment seg = new L2Segment(1, 10, 1450, List.of(PEER), true, 16, 4, 300_000_000_000L, counters);
        MemoryTunDevice tap = new MemoryTunDevice("tapx", TunMode.TAP, vnet, 1450, 1 << 20, false);
        L2Tunnel t = new L2Tunnel("x", tap, new L2Switch(List.of(seg), counters), Map.of(seg, e[1]),
                new RecordingSink(null), new FlowHash(1), counters, () -> { });
        Supplier<InetSocketAddress> from = () -> random.nextInt(10) == 0
                ? new InetSocketAddress("198.51.100." + random.nextInt(1, 20), 4789) : PEER;
        int n = 20_000;
        try {
            for (int i = 0; i < n; i++) {
                byte[] f = frame(random, i);
                ByteBuf d = Unpooled.buffer(64 + f.length);
                d.writerIndex(64).writeBytes(f).readerIndex(64);
                e[0].prepend(d);
                byte[] datagram = new byte[d.readableBytes()];
                d.getBytes(d.readerIndex(), datagram);
                int mutation = random.nextInt(4);
                if (mutation == 1) {
                    for (int m = random.nextInt(1, 4); m > 0; m--) {
                        datagram[random.nextInt(Math.min(datagram.length, 40))] = (byte) random.nextInt(256);
                    }
                } else if (mutation == 2) {
                    datagram = java.util.Arrays.copyOf(datagram, random.nextInt(0, datagram.length + 8));
                } else if (mutation == 3) {
                    datagram[random.nextInt(datagram.length)] ^= (byte) (1 << random.nextInt(8));
                }
                t.receive(seg, Unpooled.wrappedBuffer(datagram), from.get());
                if (random.nextInt(8) == 0) {
                    InboundBurst.end();
                }
            }
            InboundBurst.end();
        } finally {
            t.close();
        }
        long drops = 0;
        for (Map.Entry<String, Long> c : counters.snapshot().entrySet()) {
            if (c.getKey().startsWith("drop_")) {
                drops += c.getValue();
            }
        }
        long delivered = counters.get(L2Counters.LOCAL_TX_FRAMES);
        assertEquals(n, drops + delivered, kind + " vnet=" + vnet + ": " + counters.snapshot());
        assertTrue(delivered > n / 5, kind + " vnet=" + vnet + ": " + counters.snapshot());
    }
}
