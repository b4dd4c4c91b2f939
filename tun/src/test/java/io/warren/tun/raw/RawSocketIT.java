package io.warren.tun.raw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Raw IP sockets on the loopback of a fresh namespace, with the experimental protocol 253
 * (RFC 3692) so no other traffic is involved: what a receive contains per family, source
 * filtering by connect, the path MTU, errno-named failures, close waking a blocked receiver, and
 * no descriptor left open.
 */
class RawSocketIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final int PROTO = 253;
    private Netns ns;

    @BeforeEach
    void namespace() {
        lab.requireRoot();
        ns = lab.netns("raw");
        ns.exec("ip", "addr", "add", "127.0.0.2/8", "dev", "lo");
    }

    @Test
    void ipv4ReceiveIncludesTheIpHeaderAndTheSource() {
        ns.run(() -> {
            try (RawSocket rx = RawSocket.open(RawFamily.INET, PROTO);
                 RawSocket tx = RawSocket.open(RawFamily.INET, PROTO)) {
                tx.send(payload("hello gre"), InetAddress.getByName("127.0.0.1"));
                ByteBuffer in = ByteBuffer.allocateDirect(2048);
                byte[] source = new byte[4];
                int n = rx.receive(in, source, 2000);
                assertEquals(20 + 9, n);
                in.flip();
                assertEquals(0x45, in.get(0) & 0xff, "IPv4 header, IHL 5");
                assertEquals(PROTO, in.get(9) & 0xff, "protocol field");
                assertEquals("hello gre", text(in, 20, n - 20));
                assertArrayEquals(new byte[] {127, 0, 0, 1}, source);
            }
        });
    }

    @Test
    void batchesSendWithOneSendmmsgAndReceiveWithOneRecvmmsgTruncationReported() {
        ns.run(() -> {
            try (RawSocket rx = RawSocket.open(RawFamily.INET, PROTO);
                 RawSocket tx = RawSocket.open(RawFamily.INET, PROTO)) {
                InetAddress lo = InetAddress.getByName("127.0.0.1");
                tx.connect(lo);
                ByteBuffer out = ByteBuffer.allocateDirect(4096);
                long base = RawBatch.address(out);
                RawBatch send = new RawBatch(8);
                for (int i = 0; i < 5; i++) {
                    byte[] p = ("packet " + i + "!".repeat(i * 100)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    out.put(i * 700, p);
                    send.add(base + i * 700, p.length);
                }
                assertEquals(0, tx.sendBatch(send));
                assertEquals(0, send.size(), "emptied");
                ByteBuffer in = ByteBuffer.allocateDirect(8 * 256);
                long inBase = RawBatch.address(in);
                RawBatch recv = new RawBatch(8);
                for (int i = 0; i < 8; i++) {
                    recv.add(inBase + i * 256, 256);
                }
                int got = 0;
                while (got < 5) {
                    int n = rx.receiveBatch(recv);
                    for (int i = 0; i < n; i++, got++) {
                        int len = recv.length(i);
                        assertEquals(20 + 8 + got * 100, len, "IPv4 header + payload, full length even when truncated");
                        assertEquals("packet " + got, text(in, i * 256 + 20, 8));
                    }
                }
            }
        });
    }

    @Test
    void ipv6ReceiveStartsAtThePayload() {
        ns.run(() -> {
            try (RawSocket rx = RawSocket.open(RawFamily.INET6, PROTO);
                 RawSocket tx = RawSocket.open(RawFamily.INET6, PROTO)) {
                InetAddress lo = InetAddress.getByName("::1");
                tx.connect(lo);
                tx.send(payload("v6 payload"));
                ByteBuffer in = ByteBuffer.allocateDirect(2048);
                byte[] source = new byte[16];
                int n = rx.receive(in, source, 2000);
                assertEquals(10, n);
                assertEquals("v6 payload", text(in.flip(), 0, n));
                assertArrayEquals(lo.getAddress(), source);
            }
        });
    }

    @Test
    void connectFiltersBySourceAndBindByDestination() {
        ns.run(() -> {
            try (RawSocket fromTwo = RawSocket.open(RawFamily.INET, PROTO);
                 RawSocket toTwo = RawSocket.open(RawFamily.INET, PROTO);
                 RawSocket tx = RawSocket.open(RawFamily.INET, PROTO)) {
                fromTwo.connect(InetAddress.getByName("127.0.0.2"));
                toTwo.bind(InetAddress.getByName("127.0.0.2"));
                // Source 127.0.0.1 (the kernel picks it for 127.0.0.1), destination 127.0.0.1.
                tx.send(payload("x"), InetAddress.getByName("127.0.0.1"));
                ByteBuffer in = ByteBuffer.allocateDirect(2048);
                assertEquals(0, fromTwo.receive(in, null, 200), "connected to another source");
                assertEquals(0, toTwo.receive(in, null, 200), "bound to another destination");
                tx.send(payload("y"), InetAddress.getByName("127.0.0.2"));
                assertEquals(21, toTwo.receive(in.clear(), null, 2000));
            }
        });
    }

    @Test
    void pathMtuOfTheConnectedRoute() {
        ns.run(() -> {
            ns.exec("ip", "link", "set", "lo", "mtu", "9000");
            try (RawSocket s = RawSocket.open(RawFamily.INET, PROTO)) {
                s.connect(InetAddress.getByName("127.0.0.1"));
                assertEquals(9000, s.pathMtu());
            }
            ns.exec("ip", "link", "set", "lo", "mtu", "1500");
            try (RawSocket s = RawSocket.open(RawFamily.INET6, PROTO)) {
                s.connect(InetAddress.getByName("::1"));
                assertEquals(1500, s.pathMtu());
            }
        });
    }

    @Test
    void failuresNameTheErrno() {
        ns.run(() -> {
            try (RawSocket s = RawSocket.open(RawFamily.INET, PROTO)) {
                s.setDontFragment(true);
                RawSocketException e = assertThrows(RawSocketException.class,
                        () -> s.send(ByteBuffer.allocateDirect(70_000), InetAddress.getByName("127.0.0.1")));
                assertTrue(e.getMessage().contains("EMSGSIZE"), e.getMessage());
                RawSocketException unconnected = assertThrows(RawSocketException.class,
                        () -> s.send(ByteBuffer.allocateDirect(10)));
                assertTrue(unconnected.getMessage().matches(".*\\((EDESTADDRREQ|ENOTCONN)\\).*|.*errno 89.*"),
                        unconnected.getMessage());
                assertThrows(RawSocketException.class, s::pathMtu);
                assertThrows(IllegalArgumentException.class,
                        () -> s.send(ByteBuffer.allocate(10), InetAddress.getByName("127.0.0.1")));
                assertThrows(IllegalArgumentException.class,
                        () -> s.connect(InetAddress.getByName("::1")));
            }
            assertThrows(IllegalArgumentException.class, () -> RawSocket.open(RawFamily.INET, 0));
        });
    }

    @Test
    void closeWakesABlockedReceiverAndFreesTheDescriptor() throws Exception {
        long before = openFds();
        RawSocket s = ns.call(() -> RawSocket.open(RawFamily.INET, PROTO));
        CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                s.receive(ByteBuffer.allocateDirect(100), null);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(200);
        s.close();
        s.close();
        Throwable t = blocked.get(5, TimeUnit.SECONDS);
        assertTrue(t instanceof AsynchronousCloseException || t instanceof ClosedChannelException, String.valueOf(t));
        assertThrows(ClosedChannelException.class, () -> s.send(ByteBuffer.allocateDirect(1)));
        assertEquals(before, openFds());
    }

    private static long openFds() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static ByteBuffer payload(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    private static String text(ByteBuffer b, int at, int len) {
        byte[] out = new byte[len];
        b.get(at, out);
        return new String(out, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
