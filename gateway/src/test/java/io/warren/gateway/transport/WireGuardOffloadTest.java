package io.warren.gateway.transport;

import static io.warren.gateway.transport.WireGuardInterfaceTest.peer;
import static io.warren.gateway.transport.WireGuardInterfaceTest.state;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.session.DropReason;
import io.warren.gateway.uapi.PeerEndpoint;
import io.warren.tun.TunMode;
import io.warren.tun.VirtioNetHeader;
import io.warren.tun.offload.GsoSegmenter;
import io.warren.tun.testing.MemoryTunDevice;
import io.warren.tun.udp.UdpSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two interfaces on in-memory TUN devices with virtio-net headers (as with TSO/USO offloads on):
 * a TCP super-packet read on one side is sent as MSS-sized packets and arrives, in order and byte
 * for byte as {@link GsoSegmenter} cut them (itself checked against a reference in tun), either
 * alone or merged again by the receiver into GSO writes.
 */
class WireGuardOffloadTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** What the receiving side writes before each packet: no GSO, checksum already verified. */
    private static final VirtioNetHeader WRITTEN = new VirtioNetHeader(VirtioNetHeader.F_DATA_VALID, 0, 0, 0, 0, 0);

    private Transports transports;
    private MemoryTunDevice tunA;
    private MemoryTunDevice tunB;
    private WireGuardInterface a;
    private WireGuardInterface b;
    private NoisePrivateKey keyA;
    private NoisePrivateKey keyB;

    @BeforeEach
    void setUp() throws Exception {
        transports = Transports.create(1);
        tunA = new MemoryTunDevice("oa", TunMode.TUN, true, 1420, MemoryTunDevice.DEFAULT_CAPACITY, false);
        tunB = new MemoryTunDevice("ob", TunMode.TUN, true, 1420, MemoryTunDevice.DEFAULT_CAPACITY, false);
        a = new WireGuardInterface("oa", tunA, 1420, transports);
        b = new WireGuardInterface("ob", tunB, 1420, transports);
        keyA = NoisePrivateKey.generate(RANDOM);
        keyB = NoisePrivateKey.generate(RANDOM);
        b.reconcile(state(keyB, 0, peer(keyA, null, "10.0.0.1/32")));
        a.reconcile(state(keyA, 0, peer(keyB, PeerEndpoint.of(InetAddress.getLoopbackAddress().getAddress(), b.listenPort()),
                "10.0.0.2/32")));
        a.start();
        b.start();
    }

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
        transports.close();
    }

    @Test
    void aSuperPacketArrivesAsSegmentsWithZeroHeaders() throws Exception {
        tunnelUp();

        int mss = 1000;
        byte[] big = tcp(10_500, 0x19);
        tunA.inject(withHeader(new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 52, mss, 20, 16), big));
        ByteBuffer[] want = buffers(16);
        int n = GsoSegmenter.segment(ByteBuffer.wrap(big), VirtioNetHeader.GSO_TCPV4, mss, want);
        assertEquals(11, n);
        java.util.List<byte[]> got = new java.util.ArrayList<>();
        while (got.size() < n) {
            got.addAll(expand(tunB.takeWritten(Duration.ofSeconds(10))));
        }
        assertEquals(n, got.size());
        for (int i = 0; i < n; i++) {
            byte[] expected = Arrays.copyOf(want[i].array(), want[i].limit());
            assertArrayEquals(expected, got.get(i), "segment " + i);
        }
        assertEquals(n + 1, b.peers().get(0).rxPackets.sum());
    }

    /**
     * UDP GRO: two runs of 40 datagrams in one receive burst, more than the interface records for
     * the TUN per lock hold. The writes made when the record fills move the shared run buffer's
     * bounds; the datagram being received then must still be read whole (it was dropped as an
     * unknown message type: ~1% of a TCP stream when whole GSO runs reached a GRO socket).
     */
    @Test
    void runsLongerThanTheRecordedWritesOfABurstAllArrive() throws Exception {
        tunnelUp();
        int mss = 1000;
        int perRun = 40;
        byte[][] bigs = {tcp(perRun * mss, 0x10), tcp(perRun * mss - 7, 0x18)};
        try (DatagramChannel capture = DatagramChannel.open(StandardProtocolFamily.INET)) {
            capture.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            capture.configureBlocking(false);
            InetSocketAddress at = (InetSocketAddress) capture.getLocalAddress();
            // Same session, new endpoint: A's datagrams now reach the capture socket, one by one.
            a.reconcile(state(keyA, 0, peer(keyB, PeerEndpoint.of(at.getAddress().getAddress(), at.getPort()),
                    "10.0.0.2/32")));
            ByteBuffer[] runs = new ByteBuffer[bigs.length];
            int stride = 0;
            for (int r = 0; r < bigs.length; r++) {
                tunA.inject(withHeader(new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4,
                        52, mss, 20, 16), bigs[r]));
                runs[r] = capture(capture, perRun);
                stride = runs[r].getInt(0);
                runs[r].position(64);
            }
            // One burst, as recvmmsg with UDP_GRO hands it over: both runs, then the flush.
            b.inbound().batchStart();
            ReceiveLoop loop = new ReceiveLoop(b, null, null);
            for (ByteBuffer run : runs) {
                loop.dispatch(run, stride, UdpSource.of(at));
            }
            b.inbound().burstDone(false);
        }
        java.util.List<byte[]> got = new java.util.ArrayList<>();
        while (got.size() < 2 * perRun) {
            byte[] written = tunB.takeWritten(Duration.ofSeconds(10));
            assertTrue(written != null, "only " + got.size() + " of " + 2 * perRun + " segments arrived");
            got.addAll(expand(written));
        }
        int i = 0;
        for (byte[] big : bigs) {
            ByteBuffer[] want = buffers(perRun);
            assertEquals(perRun, GsoSegmenter.segment(ByteBuffer.wrap(big), VirtioNetHeader.GSO_TCPV4, mss, want));
            for (ByteBuffer w : want) {
                assertArrayEquals(Arrays.copyOf(w.array(), w.limit()), got.get(i), "segment " + i);
                i++;
            }
        }
        assertEquals(0, b.counters().get(DropReason.UNKNOWN_MESSAGE_TYPE));
    }

    /**
     * Receives {@code count} transport datagrams (keepalives skipped) into one direct buffer, back to
     * back after 64 bytes of headroom, like a GRO run; the first datagram's length (the run's segment
     * size) is stored at index 0.
     */
    private static ByteBuffer capture(DatagramChannel channel, int count) throws Exception {
        ByteBuffer run = ByteBuffer.allocateDirect(64 + count * 1200);
        run.position(64);
        ByteBuffer one = ByteBuffer.allocate(2048);
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (int got = 0; got < count; ) {
            one.clear();
            if (channel.receive(one) == null) {
                assertTrue(System.nanoTime() < deadline, "timed out waiting for datagram " + got);
                Thread.sleep(1);
                continue;
            }
            if (one.position() == 32) {
                continue; // a keepalive, not part of the run
            }
            if (got == 0) {
                run.putInt(0, one.position());
            }
            run.put(one.flip());
            got++;
        }
        return run.flip();
    }

    @Test
    void malformedOffloadReadsAreCountedNotSent() throws Exception {
        tunA.inject(new byte[5]);
        tunA.inject(withHeader(new VirtioNetHeader(0, VirtioNetHeader.GSO_TCPV4, 52, 1000, 0, 0), new byte[30]));
        byte[] ok = tcp(10, 0x18);
        tunA.inject(withHeader(VirtioNetHeader.NONE, ok));
        assertArrayEquals(withHeader(WRITTEN, ok), tunB.takeWritten(Duration.ofSeconds(10)));
        assertEquals(2, a.counters().get(ShellCounters.Reason.OUTBOUND_OFFLOAD_MALFORMED));
        assertNull(tunB.pollWritten());
    }

    /**
     * The packets of one TUN write on the receiving side: a GSO write (the receiver merged
     * segments of one burst) split again, or the single packet after its DATA_VALID header.
     */
    private static java.util.List<byte[]> expand(byte[] written) {
        ByteBuffer w = ByteBuffer.wrap(written);
        int gsoType = w.get(1);
        if (gsoType == VirtioNetHeader.GSO_NONE) {
            assertEquals(VirtioNetHeader.F_DATA_VALID, w.get(0));
            return java.util.List.of(Arrays.copyOfRange(written, VirtioNetHeader.SIZE, written.length));
        }
        assertEquals(VirtioNetHeader.F_NEEDS_CSUM, w.get(0));
        int gsoSize = (w.get(4) & 0xff) | (w.get(5) & 0xff) << 8;
        ByteBuffer[] out = buffers(64);
        w.position(VirtioNetHeader.SIZE);
        int n = GsoSegmenter.segment(w, gsoType, gsoSize, out);
        java.util.List<byte[]> packets = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            packets.add(Arrays.copyOf(out[i].array(), out[i].limit()));
        }
        return packets;
    }

    /** A first small packet through, so the handshake is done before what a test measures. */
    private void tunnelUp() throws Exception {
        byte[] small = tcp(100, 0x18);
        tunA.inject(withHeader(VirtioNetHeader.NONE, small));
        assertArrayEquals(withHeader(WRITTEN, small), tunB.takeWritten(Duration.ofSeconds(10)));
    }

    /** {@code n} heap buffers, each room for one segment. */
    private static ByteBuffer[] buffers(int n) {
        ByteBuffer[] out = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            out[i] = ByteBuffer.allocate(1600);
        }
        return out;
    }

    private static byte[] withHeader(VirtioNetHeader h, byte[] packet) {
        ByteBuffer b = ByteBuffer.allocate(VirtioNetHeader.SIZE + packet.length);
        h.encode(b);
        return b.put(packet).array();
    }

    /** IPv4/TCP 10.0.0.1:40000 -> 10.0.0.2:5201 with 12 bytes of options and a random payload. */
    private static byte[] tcp(int payload, int flags) throws Exception {
        byte[] p = new byte[52 + payload];
        p[0] = 0x45;
        p[2] = (byte) (p.length >>> 8);
        p[3] = (byte) p.length;
        p[4] = 0x12;
        p[5] = 0x34;
        p[6] = 0x40;
        p[8] = 64;
        p[9] = 6;
        System.arraycopy(InetAddress.getByName("10.0.0.1").getAddress(), 0, p, 12, 4);
        System.arraycopy(InetAddress.getByName("10.0.0.2").getAddress(), 0, p, 16, 4);
        p[20] = (byte) 0x9c;
        p[21] = 0x40;
        p[22] = 0x14;
        p[23] = 0x51;
        p[24] = 1;
        p[25] = 2;
        p[26] = 3;
        p[27] = 4;
        p[31] = 9;
        p[32] = (byte) 0x80;
        p[33] = (byte) flags;
        p[34] = 1;
        p[40] = 1;
        p[41] = 1;
        p[42] = 8;
        p[43] = 10;
        byte[] data = new byte[payload];
        new Random(payload).nextBytes(data);
        System.arraycopy(data, 0, p, 52, payload);
        return p;
    }
}
