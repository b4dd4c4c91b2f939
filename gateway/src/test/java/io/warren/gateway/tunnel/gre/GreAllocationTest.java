package io.warren.gateway.tunnel.gre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.warren.gateway.testing.AllocationMeter;
import io.warren.gateway.transport.MeteredTunDevice;
import io.warren.routing.RouteTable;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * "No allocation per packet in steady state" (issue #9) for L3 GRE and GRE-in-UDP: the sans-I/O
 * core both ways with every header option, bad input, and the shell ({@link GreTunnel}: TUN reader,
 * segmentation, underlay hand-off; underlay receive, TUN writer with TCP coalescing) on
 * {@link MeteredTunDevice}s and an underlay that only counts. Bytes allocated per packet must stay
 * below {@value #BOUND} in each direction after a warm-up (room for a lazily made object, nothing
 * per packet).
 */
class GreAllocationTest {
    private static final double BOUND = 4.0;
    private static final int WARM_UP = 60_000;
    private static final int MEASURED = 60_000;
    private static final int SITE_B_HOST = 0x0a020009;
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(true, true);

    private ResourceLeakDetector.Level leakLevel;

    @BeforeEach
    void quiet() {
        leakLevel = AllocationMeter.quietLeakDetection();
    }

    @AfterEach
    void restore() {
        ResourceLeakDetector.setLevel(leakLevel);
    }

    private static GreTunnelSettings settings(String name, boolean key, boolean seq, boolean csum, int mtu,
                                              String local, String remote) throws Exception {
        return new GreTunnelSettings(name, false, key ? OptionalLong.of(0xCAFEF00DL) : OptionalLong.empty(), seq, csum,
                mtu, true, 0, InetAddress.getByName(local), InetAddress.getByName(remote));
    }

    private static GreTunnelCore core(GreTunnelSettings s) {
        return new GreTunnelCore(s, ALLOC, new RouteTable());
    }

    private static void check(AllocationMeter out, AllocationMeter in, String what) {
        System.out.printf("GRE %s: outbound %.2f B, inbound %.2f B allocated per packet%n", what,
                out.perPacket(), in.perPacket());
        assertTrue(out.perPacket() <= BOUND, what + ": outbound allocates " + out.perPacket() + " B per packet");
        assertTrue(in.perPacket() <= BOUND, what + ": inbound allocates " + in.perPacket() + " B per packet");
    }

    @ParameterizedTest(name = "key={0} sequence={1} checksum={2} ipv6={3}")
    @CsvSource({"false,false,false,false", "true,true,true,false", "false,false,false,true", "true,true,false,true"})
    void theCoreAllocatesNothingPerPacket(boolean key, boolean seq, boolean csum, boolean v6) throws Exception {
        GreTunnelCore a = core(settings("ga", key, seq, csum, 1476, "192.0.2.1", "192.0.2.2"));
        GreTunnelCore b = core(settings("gb", key, seq, csum, 1476, "192.0.2.2", "192.0.2.1"));
        ByteBuf pkt = copyToLongLived(v6 ? TestPackets.ipv6(1400, 64) : TestPackets.ipv4(SITE_B_HOST, 1400, 64, true));
        AllocationMeter out = new AllocationMeter();
        AllocationMeter in = new AllocationMeter();
        roundTrips(a, b, pkt, out, in, WARM_UP);
        out.reset();
        in.reset();
        roundTrips(a, b, pkt, out, in, MEASURED);
        check(out, in, "core (key " + key + ", sequence " + seq + ", checksum " + csum + ", IPv" + (v6 ? 6 : 4) + ")");
        assertEquals(WARM_UP + MEASURED, b.counters().get(GreCounters.Traffic.RX_PACKETS));
        pkt.release();
    }

    private static void roundTrips(GreTunnelCore a, GreTunnelCore b, ByteBuf pkt, AllocationMeter out,
                                   AllocationMeter in, int n) {
        int start = pkt.readerIndex();
        int end = pkt.writerIndex();
        for (int i = 0; i < n; i++) {
            pkt.setIndex(start, end);
            out.start();
            GreResult sent = a.outbound(pkt, i);
            out.stop();
            if (!(sent instanceof GreResult.Send)) {
                fail("outbound: " + sent);
            }
            in.start();
            GreResult got = b.inbound(pkt);
            in.stop();
            if (!(got instanceof GreResult.Deliver)) {
                fail("inbound: " + got);
            }
        }
    }

    /** A copy in a buffer without leak tracking, with the test packets' headroom. */
    private static ByteBuf copyToLongLived(ByteBuf p) {
        ByteBuf b = ALLOC.directBuffer(TestPackets.HEADROOM + p.readableBytes());
        b.writerIndex(TestPackets.HEADROOM).readerIndex(TestPackets.HEADROOM);
        b.writeBytes(p, p.readerIndex(), p.readableBytes());
        p.release();
        return b;
    }

    @Test
    void badInputIsDroppedCountedAndAllocatesNothing() throws Exception {
        GreTunnelCore b = core(settings("gb", true, true, false, 1476, "192.0.2.2", "192.0.2.1"));
        GreTunnelCore other = core(settings("gx", false, false, false, 1476, "192.0.2.1", "192.0.2.2"));
        ByteBuf inner = copyToLongLived(TestPackets.ipv4(SITE_B_HOST, 200, 64, true));
        ByteBuf noKey = ALLOC.directBuffer(512);
        other.outbound(inner, 0);
        noKey.writeBytes(inner, inner.readerIndex(), inner.readableBytes());
        byte[][] hostile = {
            {0, 1, 8, 0, 0x45},            // version 1
            {0x40, 0, 8, 0, 0x45},         // reserved bit
            {0x20, 0},                     // truncated
            {0x30, 0, 8, 0, 0, 0, 0, 1},   // key and sequence announced, sequence missing
            {0, 0, (byte) 0x88, (byte) 0xbe, 1, 2, 3, 4}, // unknown protocol type
        };
        ByteBuf bad = ALLOC.directBuffer(512);
        AllocationMeter meter = new AllocationMeter();
        for (int round = 0; round < 2; round++) {
            meter.reset();
            for (int i = 0; i < MEASURED; i++) {
                byte[] h = hostile[i % hostile.length];
                bad.clear().writeBytes(h);
                meter.start();
                GreResult r = b.inbound(bad);
                r = b.inbound(noKey.setIndex(0, noKey.writerIndex()));
                meter.stop(2);
                if (!(r instanceof GreResult.Drop)) {
                    fail("not dropped: " + r);
                }
            }
        }
        System.out.printf("GRE bad input: %.2f B allocated per dropped packet%n", meter.perPacket());
        assertTrue(meter.perPacket() <= BOUND, "dropping allocates " + meter.perPacket() + " B per packet");
        assertEquals(2L * MEASURED, b.counters().dropped(GreDrop.KEY_MISMATCH));
        assertTrue(b.counters().dropped(GreDrop.GRE_BAD_VERSION) > 0);
        assertTrue(b.counters().dropped(GreDrop.GRE_TRUNCATED) > 0);
        assertEquals(0, b.counters().get(GreCounters.Traffic.RX_PACKETS));
        inner.release();
        noKey.release();
        bad.release();
    }

    // ---- the shell ------------------------------------------------------------------------------

    /**
     * An underlay that allocates nothing: sends are counted and the first {@link #CAPTURE} GRE
     * packets copied out (to replay into the peer's receiver); runs are counted per packet.
     */
    static final class CountingUnderlay implements GreUnderlay {
        static final int CAPTURE = 64;
        final ByteBuf[] captured = new ByteBuf[CAPTURE];
        volatile int capturedCount;
        volatile long sent;
        volatile Receiver receiver;

        CountingUnderlay() {
            for (int i = 0; i < CAPTURE; i++) {
                captured[i] = ALLOC.directBuffer(2048);
            }
        }

        @Override
        public void start(Receiver r) {
            receiver = r;
        }

        @Override
        public void send(ByteBuf gre) {
            capture(gre, gre.readerIndex(), gre.readableBytes());
            sent++;
        }

        @Override
        public void sendRun(ByteBuf buf, int offset, int length, int stride, int flowHash) {
            for (int at = offset; at < offset + length; at += stride) {
                capture(buf, at, Math.min(stride, offset + length - at));
                sent++;
            }
        }

        private void capture(ByteBuf from, int index, int length) {
            int n = capturedCount;
            if (n < CAPTURE) {
                captured[n].clear().writeBytes(from, index, length);
                capturedCount = n + 1;
            }
        }

        @Override
        public void close() {
            for (ByteBuf b : captured) {
                b.release();
            }
        }
    }

    @Test
    void theShellAllocatesNothingPerPacket() throws Exception {
        byte[] template = bytes(TestPackets.ipv4(SITE_B_HOST, 1400, 64, true));
        shell(new MeteredTunDevice("gsa", false, template), new MeteredTunDevice("gsb", false, null), 1476, 1, 1, "plain TUN");
    }

    @Test
    void theShellWithOffloadsAllocatesNothingPerPacket() throws Exception {
        int segments = 16;
        byte[] template = GreTunnelOffloadTest.superPacket(40000, segments * 1000);
        shell(new MeteredTunDevice("gva", true, template), new MeteredTunDevice("gvb", true, null), 1100, segments,
                segments, "TSO super-packets, coalesced TUN writes");
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        b.release();
        return out;
    }

    /**
     * A's TUN reader sends {@code perRead} packets per read through a counting underlay; B's receiver
     * gets A's captured packets from this thread, {@code burst} per receive burst, and writes to its
     * TUN device.
     */
    private void shell(MeteredTunDevice tunA, MeteredTunDevice tunB, int mtu, int perRead, int burst, String what)
            throws Exception {
        CountingUnderlay ulA = new CountingUnderlay();
        CountingUnderlay ulB = new CountingUnderlay();
        try (GreTunnel a = new GreTunnel(core(settings(tunA.name(), false, false, false, mtu, "192.0.2.1", "192.0.2.2")),
                tunA, ulA, mtu, System::nanoTime).start();
             GreTunnel b = new GreTunnel(core(settings(tunB.name(), false, false, false, mtu, "192.0.2.2", "192.0.2.1")),
                     tunB, ulB, mtu, System::nanoTime).start()) {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long reader = threadId("warren-" + tunA.name() + "-tun");
            pump(tunA, ulA, WARM_UP / perRead, perRead);
            long before = mx.getThreadAllocatedBytes(reader);
            long sentBefore = ulA.sent;
            pump(tunA, ulA, MEASURED / perRead, perRead);
            long packets = ulA.sent - sentBefore;
            assertTrue(packets >= MEASURED / 2, "only " + packets + " sent");
            double outbound = (double) (mx.getThreadAllocatedBytes(reader) - before) / packets;

            assertTrue(ulA.capturedCount >= burst, "captured " + ulA.capturedCount);
            GreUnderlay.Receiver r = ulB.receiver;
            ByteBuf slot = ALLOC.directBuffer(2048);
            AllocationMeter in = new AllocationMeter();
            for (int round = 0; round < 2; round++) {
                in.reset();
                for (int i = 0; i < MEASURED / burst; i++) {
                    in.start();
                    for (int k = 0; k < burst; k++) {
                        ByteBuf gre = ulA.captured[k];
                        slot.clear().writerIndex(20).readerIndex(20);
                        slot.writeBytes(gre, 0, gre.writerIndex());
                        r.received(slot);
                    }
                    r.burstDone();
                    in.stop(burst);
                }
            }
            slot.release();
            assertEquals(0, b.core().counters().droppedTotal(), b.counters().toString());
            assertTrue(tunB.written() > 0);
            System.out.printf("GRE shell, %s: TUN reader %.2f B, receiver %.2f B allocated per packet%n", what,
                    outbound, in.perPacket());
            assertTrue(outbound <= BOUND, what + ": the TUN reader allocates " + outbound + " B per packet");
            assertTrue(in.perPacket() <= BOUND, what + ": receiving allocates " + in.perPacket() + " B per packet");
        }
    }

    @Test
    void greInUdpOverLoopbackAllocatesNothingPerPacket() throws Exception {
        byte[] template = bytes(TestPackets.ipv4(SITE_B_HOST, 1400, 64, true));
        MeteredTunDevice tunA = new MeteredTunDevice("gua", false, template);
        MeteredTunDevice tunB = new MeteredTunDevice("gub", false, null);
        int port = 20000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(20000);
        InetAddress la = InetAddress.getByName("127.0.0.1");
        InetAddress lb = InetAddress.getByName("127.0.0.2");
        GreTunnelSettings sa = new GreTunnelSettings("gua", true, OptionalLong.empty(), false, false, 1476, true, 0, la, lb);
        GreTunnelSettings sb = new GreTunnelSettings("gub", true, OptionalLong.empty(), false, false, 1476, true, 0, lb, la);
        try (GreTunnel a = new GreTunnel(core(sa), tunA, new UdpGreUnderlay(la, lb, port), 1476, System::nanoTime).start();
             GreTunnel b = new GreTunnel(core(sb), tunB, new UdpGreUnderlay(lb, la, port), 1476, System::nanoTime).start()) {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long[] threads = {threadId("warren-gua-tun"), receiveThread(port, 2)};
            pumpTo(tunA, tunB, WARM_UP);
            long[] before = mx.getThreadAllocatedBytes(threads);
            long delivered = tunB.written();
            pumpTo(tunA, tunB, MEASURED);
            long[] after = mx.getThreadAllocatedBytes(threads);
            long packets = tunB.written() - delivered;
            assertTrue(packets >= MEASURED / 2, "only " + packets + " arrived");
            double out = (double) (after[0] - before[0]) / packets;
            double in = (double) (after[1] - before[1]) / packets;
            System.out.printf("GRE-in-UDP over loopback: TUN reader %.2f B, UDP receive thread %.2f B allocated per packet%n",
                    out, in);
            assertTrue(out <= BOUND, "the TUN reader allocates " + out + " B per packet");
            assertTrue(in <= BOUND, "the receive thread allocates " + in + " B per packet");
        }
    }

    /** The second side's receive thread: both are named after the port; B's started last. */
    private static long receiveThread(int port, int expected) {
        long id = -1;
        int seen = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("warren-gre-udp-" + port)) {
                seen++;
                id = Math.max(id, t.getId());
            }
        }
        assertEquals(expected, seen, "receive threads");
        return id;
    }

    /** Releases {@code reads} reads in small bursts, each waited for at B (UDP may drop: stalls end it). */
    private static void pumpTo(MeteredTunDevice tunA, MeteredTunDevice tunB, int reads) {
        int burst = 4;
        for (int done = 0; done < reads; done += burst) {
            long target = tunB.written() + burst;
            tunA.release(burst);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (tunB.written() < target && System.nanoTime() < deadline) {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /** Releases {@code reads} reads in bursts, waiting for each to be sent. */
    private static void pump(MeteredTunDevice tun, CountingUnderlay ul, int reads, int perRead) {
        int burst = 8;
        for (int done = 0; done < reads; done += burst) {
            long target = ul.sent + (long) burst * perRead;
            tun.release(burst);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (ul.sent < target && System.nanoTime() < deadline) {
                LockSupport.parkNanos(50_000);
            }
        }
    }

    private static long threadId(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t.getId();
            }
        }
        throw new AssertionError("no thread " + name);
    }
}
