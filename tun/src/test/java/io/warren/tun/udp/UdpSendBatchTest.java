package io.warren.tun.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;

/**
 * Sockets bound to one address of their own family, and replies sent with one {@code sendmmsg} to
 * the raw sources of a receive batch, on loopback (IPv4 and IPv6).
 */
class UdpSendBatchTest {

    @Test
    void ipv4RepliesReachEachSender() throws Exception {
        echoRound("127.0.0.1", StandardProtocolFamily.INET);
    }

    @Test
    void ipv6RepliesReachEachSender() throws Exception {
        echoRound("::1", StandardProtocolFamily.INET6);
    }

    private static void echoRound(String host, StandardProtocolFamily family) throws Exception {
        InetAddress loopback = InetAddress.getByName(host);
        try (UdpSocket server = UdpSocket.bind(new InetSocketAddress(loopback, 0), 1 << 20, false);
             DatagramChannel a = DatagramChannel.open(family);
             DatagramChannel b = DatagramChannel.open(family)) {
            assertTrue(server.localPort() > 0);
            InetSocketAddress to = new InetSocketAddress(loopback, server.localPort());
            a.bind(new InetSocketAddress(loopback, 0));
            b.bind(new InetSocketAddress(loopback, 0));
            a.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), to);
            b.send(ByteBuffer.wrap(new byte[] {4, 5}), to);
            UdpReceiveBatch rx = new UdpReceiveBatch(4, 512, 0);
            int n = 0;
            for (int tries = 0; n < 2 && tries < 2; tries++) {
                n = rx.receive(server, 2000);
            }
            assertEquals(2, n);
            UdpSendBatch tx = new UdpSendBatch(2, 16);
            byte[] reply = new byte[16];
            for (int i = 0; i < n; i++) {
                ByteBuffer d = rx.datagram(i);
                int len = d.remaining();
                for (int j = 0; j < len; j++) {
                    reply[j] = (byte) (d.get(d.position() + j) * 10);
                }
                assertTrue(tx.add(rx, i, reply, 0, len));
            }
            assertFalse(tx.add(rx, 0, reply, 0, 1), "full");
            assertEquals(2, tx.size());
            assertEquals(2, tx.flush(server));
            assertEquals(0, tx.size());
            assertEquals(0, tx.dropped());
            assertReceived(a, new byte[] {10, 20, 30});
            assertReceived(b, new byte[] {40, 50});
        }
    }

    private static void assertReceived(DatagramChannel ch, byte[] expected) throws IOException {
        ch.configureBlocking(true);
        ch.socket().setSoTimeout(2000);
        ByteBuffer buf = ByteBuffer.allocate(64);
        ch.receive(buf);
        buf.flip();
        byte[] got = new byte[buf.remaining()];
        buf.get(got);
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(got));
    }

    @Test
    void blockingReceiveTakesTheQueueTimesOutAndWakesOnShutdown() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (UdpSocket server = UdpSocket.bind(new InetSocketAddress(loopback, 0), 1 << 16, false);
             DatagramChannel client = DatagramChannel.open(StandardProtocolFamily.INET)) {
            assertTrue(server.receiveTimeout(100));
            UdpReceiveBatch rx = new UdpReceiveBatch(4, 64, 0);
            long t0 = System.nanoTime();
            assertEquals(0, rx.receiveWaiting(server), "nothing before the timeout");
            assertTrue(System.nanoTime() - t0 >= 50_000_000L, "it waited");
            InetSocketAddress to = new InetSocketAddress(loopback, server.localPort());
            for (int i = 0; i < 3; i++) {
                client.send(ByteBuffer.wrap(new byte[] {(byte) i}), to);
            }
            int n = 0;
            while (n < 3) {
                int got = rx.receiveWaiting(server);
                assertTrue(got > 0, "received " + got);
                n += got;
            }
            assertTrue(server.receiveTimeout(0));
            int[] result = {-1};
            Thread waiter = new Thread(() -> result[0] = rx.receiveWaiting(server));
            waiter.start();
            Thread.sleep(100);
            server.shutdownInput();
            waiter.join(2000);
            assertFalse(waiter.isAlive(), "shutdownInput wakes a blocked receive");
            assertTrue(result[0] >= 0, "woken with " + result[0]);
        }
    }

    @Test
    void tooLongDatagramIsRefused() throws Exception {
        try (UdpSocket server = UdpSocket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1 << 16,
                false)) {
            UdpSendBatch tx = new UdpSendBatch(1, 8);
            UdpReceiveBatch rx = new UdpReceiveBatch(1, 64, 0);
            assertFalse(tx.add(rx, 0, new byte[9], 0, 9), "longer than a slot");
            assertFalse(tx.add(rx, 0, new byte[1], 0, 1), "no source received into the slot");
            assertEquals(0, tx.flush(server));
        }
    }

    @Test
    void boundAddressIsTheOnlyOneServedAndReusePortSharesIt() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (UdpSocket one = UdpSocket.bind(new InetSocketAddress(loopback, 0), 1 << 16, true);
             UdpSocket two = UdpSocket.bind(new InetSocketAddress(loopback, one.localPort()), 1 << 16, true)) {
            assertEquals(one.localPort(), two.localPort());
            assertFalse(one.ipv6());
            IOException taken = assertThrows(IOException.class,
                    () -> UdpSocket.bind(new InetSocketAddress(loopback, one.localPort()), 1 << 16, false));
            assertTrue(taken.getMessage().contains("in use"), taken.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new UdpSendBatch(0, 8));
    }
}
