package io.warren.tun.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import jnr.ffi.LibraryLoader;
import org.junit.jupiter.api.Test;

/** Loopback only: sends from sockets this test opens to receivers it binds. */
class UdpSendSocketTest {
    /** Just enough libc to make the sending sockets. */
    public interface Sockets {
        int socket(int domain, int type, int protocol);

        int close(int fd);
    }

    private static final Sockets LIBC = LibraryLoader.create(Sockets.class).load("c");
    private static final int SOCK_DGRAM = 2;

    private static String receive(DatagramChannel ch) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(2048);
        ch.receive(in);
        in.flip();
        return StandardCharsets.UTF_8.decode(in).toString();
    }

    private static ByteBuffer direct(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ByteBuffer d = ByteBuffer.allocateDirect(b.length + 16);
        d.position(8);
        d.put(b);
        d.flip().position(8);
        return d;
    }

    @Test
    void dualStackSocketReachesIpv4AndIpv6Receivers() throws Exception {
        int fd = LIBC.socket(UdpLibC.AF_INET6, SOCK_DGRAM, 0);
        assertTrue(fd >= 0);
        try (DatagramChannel v4 = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel v6 = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            v4.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            UdpSendSocket sender = new UdpSendSocket(fd, true);
            ByteBuffer d = direct("to v4");
            assertTrue(sender.send(d, (InetSocketAddress) v4.getLocalAddress()), "errno " + sender.lastErrno());
            assertEquals(8, d.position(), "the caller's position is left alone");
            assertEquals("to v4", receive(v4));
            assertTrue(sender.send(direct("to v6"), (InetSocketAddress) v6.getLocalAddress()));
            assertEquals("to v6", receive(v6));
            assertTrue(sender.send(ByteBuffer.wrap("heap".getBytes(StandardCharsets.UTF_8)),
                    (InetSocketAddress) v4.getLocalAddress()));
            assertEquals("heap", receive(v4));
            for (int i = 0; i < 100; i++) {
                assertTrue(sender.send(direct("n" + i), (InetSocketAddress) v4.getLocalAddress()));
                assertEquals("n" + i, receive(v4));
            }
            assertEquals(0, sender.dropped());
        } finally {
            LIBC.close(fd);
        }
    }

    @Test
    void ipv4SocketRefusesIpv6DestinationsAndCountsThem() throws Exception {
        int fd = LIBC.socket(UdpLibC.AF_INET, SOCK_DGRAM, 0);
        try (DatagramChannel v4 = DatagramChannel.open(StandardProtocolFamily.INET)) {
            v4.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            UdpSendSocket sender = new UdpSendSocket(fd, false);
            assertFalse(sender.send(direct("x"), new InetSocketAddress(InetAddress.getByName("::1"), 9)));
            assertEquals(1, sender.dropped());
            assertTrue(sender.send(direct("ok"), (InetSocketAddress) v4.getLocalAddress()));
            assertEquals("ok", receive(v4));
        } finally {
            LIBC.close(fd);
        }
    }

    @Test
    void aClosedDescriptorDropsWithoutThrowing() {
        UdpSendSocket sender = new UdpSendSocket(1_000_000, true);
        assertFalse(sender.send(direct("x"), new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)));
        assertEquals(1, sender.dropped());
    }

    @Test
    void segmentedSendArrivesAsSeparateDatagrams() throws Exception {
        int fd = LIBC.socket(UdpLibC.AF_INET6, SOCK_DGRAM, 0);
        assertTrue(fd >= 0);
        try (DatagramChannel rx = DatagramChannel.open(StandardProtocolFamily.INET)) {
            rx.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            UdpSendSocket sender = new UdpSendSocket(fd, true);
            ByteBuffer d = ByteBuffer.allocateDirect(4000);
            for (int i = 0; i < 3500; i++) {
                d.put((byte) (i / 1000 + 'a'));
            }
            d.flip();
            assertTrue(sender.sendSegmented(d, 1000, (InetSocketAddress) rx.getLocalAddress()),
                    "errno " + sender.lastErrno());
            assertEquals("a".repeat(1000), receive(rx));
            assertEquals("b".repeat(1000), receive(rx));
            assertEquals("c".repeat(1000), receive(rx));
            assertEquals("d".repeat(500), receive(rx));
            assertTrue(sender.gsoWorks());
            assertFalse(sender.sendSegmented(ByteBuffer.allocateDirect(65 * 100), 100,
                    (InetSocketAddress) rx.getLocalAddress()), "more than 64 segments");
        } finally {
            LIBC.close(fd);
        }
    }
}
