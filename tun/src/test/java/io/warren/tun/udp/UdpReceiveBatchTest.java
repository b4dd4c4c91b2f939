package io.warren.tun.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real socket on loopback: what recvmmsg fills in, for IPv4 and IPv6 senders, plain and GRO. */
class UdpReceiveBatchTest {
    private static final int HEADROOM = 64;
    private UdpSocket socket;

    @BeforeEach
    void bind() throws Exception {
        socket = UdpSocket.bind(0, 1 << 20);
    }

    @AfterEach
    void close() {
        socket.close();
    }

    private InetSocketAddress local(String host) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(host), socket.localPort());
    }

    private static ByteBuffer bytes(int length, int seed) {
        ByteBuffer b = ByteBuffer.allocate(length);
        for (int i = 0; i < length; i++) {
            b.put(i, (byte) (seed + i));
        }
        return b;
    }

    /** One receive that must bring something (loopback delivers at once). */
    private static int receive(UdpReceiveBatch batch, UdpSocket s) {
        int n = batch.receive(s, 2000);
        assertTrue(n > 0, "received " + n);
        return n;
    }

    @Test
    void ipv4AndIpv6SendersReachTheDualStackSocketWithTheirSources() throws Exception {
        assertTrue(socket.ipv6());
        UdpReceiveBatch batch = new UdpReceiveBatch(8, 2048, HEADROOM);
        UdpSource source = new UdpSource();
        try (DatagramChannel v4 = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel v6 = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            v4.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            v4.send(bytes(100, 1), local("127.0.0.1"));
            assertEquals(1, receive(batch, socket));
            ByteBuffer d = batch.datagram(0);
            assertEquals(HEADROOM, d.position());
            assertEquals(bytes(100, 1), d);
            assertFalse(batch.truncated(0));
            assertEquals(0, batch.segmentSize(0));
            assertTrue(batch.source(0, source));
            assertTrue(source.matches(UdpEndpoint.of((InetSocketAddress) v4.getLocalAddress())));
            assertInstanceOf(Inet4Address.class, source.address().getAddress());

            v6.send(bytes(1400, 2), local("::1"));
            assertEquals(1, receive(batch, socket));
            assertEquals(bytes(1400, 2), batch.datagram(0));
            assertTrue(batch.source(0, source));
            assertTrue(source.matches(UdpEndpoint.of((InetSocketAddress) v6.getLocalAddress())));
            assertEquals(v6.getLocalAddress(), source.address());
        }
    }

    @Test
    void aBurstIsOneCallAndSlotsAreReusedCleanly() throws Exception {
        UdpReceiveBatch batch = new UdpReceiveBatch(16, 2048, HEADROOM);
        try (DatagramChannel v4 = DatagramChannel.open(StandardProtocolFamily.INET)) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 10; i++) {
                    v4.send(bytes(50 + i + round, i), local("127.0.0.1"));
                }
                int got = 0;
                while (got < 10) {
                    int n = receive(batch, socket);
                    for (int i = 0; i < n; i++, got++) {
                        assertEquals(bytes(50 + got + round, got), batch.datagram(i), "round " + round + ", datagram " + got);
                        assertEquals(0, batch.segmentSize(i));
                    }
                }
            }
        }
    }

    @Test
    void aDatagramLongerThanItsSlotIsMarkedTruncated() throws Exception {
        UdpReceiveBatch batch = new UdpReceiveBatch(4, 1000, HEADROOM);
        try (DatagramChannel v4 = DatagramChannel.open(StandardProtocolFamily.INET)) {
            v4.send(bytes(3000, 0), local("127.0.0.1"));
            v4.send(bytes(10, 0), local("127.0.0.1"));
            int n = receive(batch, socket);
            assertTrue(batch.truncated(0));
            assertEquals(1000, batch.length(0), "what fitted");
            assertEquals(1000, batch.datagram(0).remaining(), "the view stops at the slot");
            if (n == 1) {
                n = receive(batch, socket);
                assertFalse(batch.truncated(0));
                assertEquals(10, batch.datagram(0).remaining());
            } else {
                assertFalse(batch.truncated(1));
            }
        }
    }

    @Test
    void withGroAGsoRunArrivesWholeWithItsSegmentSize() throws Exception {
        assertTrue(socket.enableGro());
        UdpReceiveBatch batch = new UdpReceiveBatch(4, 65_535, HEADROOM);
        try (UdpSocket from = UdpSocket.bind(0, 1 << 20)) {
            ByteBuffer run = ByteBuffer.allocateDirect(10 * 1200 + 500);
            for (int i = 0; i < run.capacity(); i++) {
                run.put(i, (byte) (i / 1200));
            }
            assertTrue(from.sender().sendSegmented(run, 1200, local("127.0.0.1")), "errno " + from.sender().lastErrno());
            int got = 0;
            int bytes = 0;
            while (bytes < run.capacity()) {
                int n = receive(batch, socket);
                for (int i = 0; i < n; i++) {
                    ByteBuffer d = batch.datagram(i);
                    int seg = batch.segmentSize(i);
                    if (d.remaining() > 1200) {
                        assertEquals(1200, seg, "a coalesced run carries its segment size");
                    }
                    assertEquals(bytes / 1200, d.get(d.position()) & 0xff);
                    bytes += d.remaining();
                    got++;
                    assertTrue(batch.source(i, new UdpSource()));
                }
            }
            assertEquals(run.capacity(), bytes);
            assertTrue(got < 11, "loopback keeps the run whole: " + got + " receives");
        }
    }

    @Test
    void controlDataThatDoesNotFitIsMarked() throws Exception {
        assertTrue(socket.enableGro());
        UdpReceiveBatch batch = new UdpReceiveBatch(2, 65_535, HEADROOM, 8);
        try (UdpSocket from = UdpSocket.bind(0, 1 << 20)) {
            ByteBuffer run = ByteBuffer.allocateDirect(4 * 1000);
            assertTrue(from.sender().sendSegmented(run, 1000, local("::1")));
            receive(batch, socket);
            assertTrue(batch.controlTruncated(0), "the GRO segment size did not fit 8 bytes");
        }
    }

    @Test
    void nothingQueuedTimesOutAndShutdownWakesAWaitingReceiver() throws Exception {
        UdpReceiveBatch batch = new UdpReceiveBatch(2, 2048, 0);
        assertEquals(0, batch.receive(socket, 10));
        int[] result = {-1};
        Thread t = new Thread(() -> result[0] = batch.receive(socket, 60_000));
        t.start();
        Thread.sleep(100);
        long start = System.nanoTime();
        socket.shutdownInput();
        t.join(5_000);
        assertFalse(t.isAlive(), "woken");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertTrue(result[0] <= 0, "nothing received: " + result[0]);
    }

    @Test
    void aClosedSocketIsAnErrorNotAnException() {
        UdpReceiveBatch batch = new UdpReceiveBatch(2, 2048, 0);
        UdpSocket s = socket;
        s.close();
        assertTrue(batch.receive(s, 10) < 0);
    }

    @Test
    void bindingAPortInUseFails() {
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> UdpSocket.bind(socket.localPort(), 1 << 16).close());
    }

    @Test
    void waitFirstReceivesWhatIsQueuedAndTimesOutOnNothing() throws Exception {
        UdpReceiveBatch batch = new UdpReceiveBatch(4, 2048, HEADROOM);
        try (DatagramChannel v4 = DatagramChannel.open(StandardProtocolFamily.INET)) {
            v4.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            long start = System.nanoTime();
            assertEquals(0, batch.receive(socket, 50, true), "nothing queued: the wait times out");
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(40), "it waited");
            for (int i = 0; i < 2; i++) {
                v4.send(bytes(60, i), local("127.0.0.1"));
            }
            start = System.nanoTime();
            assertEquals(2, batch.receive(socket, 5000, true), "queued meanwhile: poll returns at once");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
            assertEquals(bytes(60, 0), batch.datagram(0));
            assertEquals(bytes(60, 1), batch.datagram(1));
        }
    }
}
