package io.warren.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.ResourceLeakDetector;
import io.warren.tun.VirtioNetHeader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "The steady-state data path allocates nothing per packet" (issue #3): two whole interfaces on
 * {@link MeteredTunDevice}s and real UDP on loopback move packets after a warm-up, and the bytes
 * allocated by the data-path threads (the sender's TUN reader: lookup, seal, UDP send; the
 * receiver's receive thread: recvmmsg, open, TUN write; com.sun.management.ThreadMXBean) are
 * divided by the packets delivered. Both must stay below {@value #BOUND} bytes per packet averaged
 * over {@value #MEASURED} packets after {@value #WARM_UP} of warm-up: room for a lazily made object
 * or two, nothing per packet. (Timers run on the event loop, which is not measured.)
 */
class SteadyStateAllocationTest {
    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 30_000;
    /** Bytes per packet tolerated on either side, spread over the run. */
    private static final double BOUND = 4.0;

    private Transports transports;
    private WireGuardInterface a;
    private WireGuardInterface b;

    private ResourceLeakDetector.Level leakLevel;

    private void start(MeteredTunDevice tunA, MeteredTunDevice tunB) throws Exception {
        // The build runs tests with paranoid leak detection, which records a stack per buffer.
        leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        transports = Transports.create(1);
        a = new WireGuardInterface(tunA.name(), tunA, 1420, transports);
        b = new WireGuardInterface(tunB.name(), tunB, 1420, transports);
        WireGuardInterfaceTest.connect(a, b);
    }

    @AfterEach
    void tearDown() {
        if (a != null) {
            a.close();
            b.close();
            transports.close();
            ResourceLeakDetector.setLevel(leakLevel);
        }
    }

    @Test
    void fullSizedPacketsAllocateNothingPerPacket() throws Exception {
        byte[] packet = WireGuardInterfaceTest.ipv4("10.0.0.1", "10.0.0.2", 1420 - 28);
        MeteredTunDevice tunA = new MeteredTunDevice("sa", false, packet);
        MeteredTunDevice tunB = new MeteredTunDevice("sb", false, null);
        start(tunA, tunB);
        check(measure(tunA, tunB, 1), "1420-byte packets");
    }

    @Test
    void tcpSuperPacketsWithOffloadsAllocateNothingPerPacket() throws Exception {
        int mss = 1368;
        int segments = 16;
        byte[] tcp = tcp(mss * segments);
        ByteBuffer read = ByteBuffer.allocate(VirtioNetHeader.SIZE + tcp.length);
        new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 52, mss, 20, 16).encode(read);
        read.put(tcp);
        MeteredTunDevice tunA = new MeteredTunDevice("va", true, read.array());
        MeteredTunDevice tunB = new MeteredTunDevice("vb", true, null);
        start(tunA, tunB);
        check(measure(tunA, tunB, segments), "TSO super-packets of " + segments + " segments");
    }

    private static void check(double[] perPacket, String what) {
        System.out.printf("steady state, %s: sender (TUN reader) %.2f B, receiver (receive thread) %.2f B allocated per packet%n",
                what, perPacket[0], perPacket[1]);
        assertTrue(perPacket[0] <= BOUND, "sending allocates " + perPacket[0] + " B per packet");
        assertTrue(perPacket[1] <= BOUND, "receiving allocates " + perPacket[1] + " B per packet");
    }

    /**
     * Bytes the sender's TUN reader and the receiver's receive thread allocate per inner packet delivered
     * (super-packets count their segments).
     */
    private double[] measure(MeteredTunDevice tunA, MeteredTunDevice tunB, int segmentsPerRead) throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        tunA.release(1);
        awaitBytes(tunB, 1, TimeUnit.SECONDS.toNanos(10));
        long[] threads = {threadId("warren-" + a.name() + "-tun"), threadId("warren-" + b.name() + "-udp")};
        pump(tunA, tunB, WARM_UP / segmentsPerRead);
        long[] before = mx.getThreadAllocatedBytes(threads);
        long bytesBefore = tunB.writtenBytes();
        pump(tunA, tunB, MEASURED / segmentsPerRead);
        long[] after = mx.getThreadAllocatedBytes(threads);
        long innerBytes = tunB.writtenBytes() - bytesBefore;
        long packets = Math.max(1, innerBytes / 1400);
        assertTrue(packets >= MEASURED / 2, "only " + packets + " packets arrived");
        return new double[] {(double) (after[0] - before[0]) / packets, (double) (after[1] - before[1]) / packets};
    }

    /** Releases {@code reads} reads in small bursts, each waited for (or given up after a stall: UDP may drop). */
    private static void pump(MeteredTunDevice tunA, MeteredTunDevice tunB, int reads) {
        int burst = 4;
        for (int done = 0; done < reads; done += burst) {
            long target = tunB.writtenBytes() + 1;
            tunA.release(burst);
            awaitBytes(tunB, target, TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    private static void awaitBytes(MeteredTunDevice tun, long atLeast, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        long last = -1;
        while (System.nanoTime() < deadline) {
            long now = tun.writtenBytes();
            if (now >= atLeast && now == last) {
                return; // arrived and settled
            }
            last = now;
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
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

    /** IPv4/TCP 10.0.0.1:40000 -> 10.0.0.2:5201 with 12 bytes of options (52-byte headers). */
    private static byte[] tcp(int payload) {
        byte[] p = new byte[52 + payload];
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[8] = 64;
        p[9] = 6;
        p[12] = 10; p[15] = 1;
        p[16] = 10; p[19] = 2;
        p[20] = (byte) (40000 >>> 8); p[21] = (byte) 40000;
        p[22] = (byte) (5201 >>> 8); p[23] = (byte) 5201;
        p[32] = (byte) 0x80; // data offset 8 words
        p[33] = 0x18;
        p[34] = 0x01; // window
        for (int i = 52; i < p.length; i++) {
            p[i] = (byte) (i * 13);
        }
        return p;
    }
}
