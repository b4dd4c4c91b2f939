package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.warren.gateway.config.DnsConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The Netty shell on loopback only (no root needed): UDP and TCP clients, a fake upstream on
 * 127.0.0.1 answering every A query with 10.1.2.3, resolv.conf fallback, no wildcard by default.
 */
class DnsServerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private FakeUpstream upstream;
    private DnsServer server;

    @BeforeEach
    void fakeUpstream() throws IOException {
        upstream = new FakeUpstream("10.1.2.3", 300);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        upstream.close();
    }

    private DnsConfig config(List<InetSocketAddress> upstreams) {
        return new DnsConfig(true, List.of(new InetSocketAddress(LOOPBACK, 0)), upstreams, Map.of(),
                Optional.of("lan"), List.of(), 100);
    }

    private static Message udpQuery(InetSocketAddress server, byte[] query) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            s.setSoTimeout(5000);
            s.send(new DatagramPacket(query, query.length, server));
            byte[] buf = new byte[1500];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return DnsFixtures.parse(Arrays.copyOf(buf, p.getLength()));
        }
    }

    @Test
    void answersOverUdpAndTcpAndCachesOnLoopback() throws IOException {
        server = DnsServer.start(config(List.of(upstream.address())));
        InetSocketAddress udp = server.udpAddresses().get(0);
        Message first = udpQuery(udp, DnsFixtures.query(0x7777, "www.example.test", Type.A, 1232, false));
        assertEquals(0x7777, first.getHeader().getID());
        assertEquals(DnsFixtures.ip("10.1.2.3"), ((ARecord) first.getSection(Section.ANSWER).get(0)).getAddress());

        try (Socket tcp = new Socket()) {
            tcp.connect(server.tcpAddresses().get(0), 5000);
            tcp.setSoTimeout(5000);
            DataOutputStream out = new DataOutputStream(tcp.getOutputStream());
            DataInputStream in = new DataInputStream(tcp.getInputStream());
            for (int id : new int[] {0x0101, 0x0202}) { // two queries on one connection (RFC 7766 §6.2.1)
                byte[] q = DnsFixtures.query(id, "WWW.example.test", Type.A, -1, false);
                out.writeShort(q.length);
                out.write(q);
                out.flush();
                byte[] reply = new byte[in.readUnsignedShort()];
                in.readFully(reply);
                assertEquals(id, DnsFixtures.parse(reply).getHeader().getID());
            }
        }
        assertEquals(1, server.counters().forwarded());
        assertEquals(2, server.counters().cacheHits());
        assertEquals(2, server.counters().queriesTcp());
        assertTrue(server.counters().upstreamLatencyNanos() > 0);
    }

    /**
     * Many cache hits sent back to back from one socket arrive in shared receive batches and leave
     * in shared reply memory: every query gets its own reply (id, question case, EDNS or not).
     */
    @Test
    void aBurstOfCacheHitsGetsOneMatchingReplyEach() throws IOException {
        server = DnsServer.start(config(List.of(upstream.address())));
        InetSocketAddress udp = server.udpAddresses().get(0);
        udpQuery(udp, DnsFixtures.query(1, "burst.example.test", Type.A, -1, false)); // fills the cache
        int n = 200;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            s.setSoTimeout(5000);
            s.setReceiveBufferSize(1 << 20);
            for (int id = 100; id < 100 + n; id++) {
                String name = id % 3 == 0 ? "BURST.example.test" : "burst.example.test";
                byte[] q = DnsFixtures.query(id, name, Type.A, id % 2 == 0 ? 1232 : -1, false);
                s.send(new DatagramPacket(q, q.length, udp));
            }
            boolean[] seen = new boolean[n];
            byte[] buf = new byte[1500];
            for (int i = 0; i < n; i++) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                s.receive(p);
                Message m = DnsFixtures.parse(Arrays.copyOf(buf, p.getLength()));
                int id = m.getHeader().getID();
                assertTrue(id >= 100 && id < 100 + n && !seen[id - 100], "one reply per query, id " + id);
                seen[id - 100] = true;
                assertEquals(id % 3 == 0 ? "BURST.example.test." : "burst.example.test.",
                        m.getQuestion().getName().toString());
                assertEquals(id % 2 == 0, m.getOPT() != null, "EDNS only for EDNS queries");
                assertEquals(DnsFixtures.ip("10.1.2.3"), ((ARecord) m.getSection(Section.ANSWER).get(0)).getAddress());
            }
        }
        assertEquals(1, server.counters().forwarded());
        assertEquals(n, server.counters().cacheHits());
    }

    /**
     * A burst of one uncached question from many client ports, while the upstream is slow: the
     * copies join the query in flight (RFC 5452 §5) and the shell sends every client its own reply.
     */
    @Test
    void identicalMissesJoinOneUpstreamQueryAndAllGetTheirReply() throws IOException, InterruptedException {
        upstream.close();
        upstream = new FakeUpstream("10.1.2.4", 300, 300);
        server = DnsServer.start(config(List.of(upstream.address())));
        InetSocketAddress udp = server.udpAddresses().get(0);
        int n = 20;
        List<DatagramSocket> clients = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                s.setSoTimeout(5000);
                clients.add(s);
                byte[] q = DnsFixtures.query(0x3000 + i, i % 2 == 0 ? "slow.example.test" : "SLOW.example.test",
                        Type.A, 1232, false);
                s.send(new DatagramPacket(q, q.length, udp));
            }
            for (int i = 0; i < n; i++) {
                byte[] buf = new byte[1500];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                clients.get(i).receive(p);
                Message m = DnsFixtures.parse(Arrays.copyOf(buf, p.getLength()));
                assertEquals(0x3000 + i, m.getHeader().getID());
                assertEquals(DnsFixtures.ip("10.1.2.4"), ((ARecord) m.getSection(Section.ANSWER).get(0)).getAddress());
            }
        } finally {
            clients.forEach(DatagramSocket::close);
        }
        assertEquals(1, server.counters().forwarded());
    }

    /**
     * An upstream that ignores our EDNS size (RFC 6891 §6.2.5) sends a datagram bigger than the
     * upstream socket's buffer; the kernel cuts it. It is taken as truncated and asked again over TCP
     * (this fake upstream has no TCP, so the client ends with SERVFAIL), not dropped as malformed.
     */
    @Test
    void anUpstreamDatagramCutByTheReceiveBufferIsRetriedOverTcp() throws IOException {
        server = DnsServer.start(config(List.of(upstream.address())));
        Message m = udpQuery(server.udpAddresses().get(0), DnsFixtures.query(0x4444, "big.example.test", Type.TXT,
                1232, false));
        assertEquals(0x4444, m.getHeader().getID());
        assertTrue(server.counters().upstreamTcpRetries() >= 1, "asked again over TCP");
        assertEquals(0, server.counters().drops(DnsDropReason.UPSTREAM_MALFORMED));
    }

    /** An IPv6 listen address gets an IPv6 socket (an IPv4 one, an IPv4 socket). */
    @Test
    void answersOnIpv6Loopback() throws IOException {
        InetAddress v6 = InetAddress.getByName("::1");
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(v6, 0))) {
            probe.getLocalPort();
        } catch (SocketException noIpv6) {
            Assumptions.assumeTrue(false, "no IPv6 loopback here");
        }
        server = DnsServer.start(new DnsConfig(true, List.of(new InetSocketAddress(v6, 0)),
                List.of(upstream.address()), Map.of(), Optional.empty(), List.of(),
                100));
        InetSocketAddress udp = server.udpAddresses().get(0);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(v6, 0))) {
            s.setSoTimeout(5000);
            byte[] q = DnsFixtures.query(0x6666, "six.example.test", Type.A, -1, false);
            s.send(new DatagramPacket(q, q.length, udp));
            byte[] buf = new byte[1500];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            assertEquals(0x6666, DnsFixtures.parse(Arrays.copyOf(buf, p.getLength())).getHeader().getID());
        }
    }

    @Test
    void malformedDatagramDoesNotStopTheListener() throws IOException {
        server = DnsServer.start(config(List.of(upstream.address())));
        InetSocketAddress udp = server.udpAddresses().get(0);
        byte[] two = DnsFixtures.query(0x1212, "a.test", Type.A, -1, false);
        two[5] = 2;
        assertEquals(Rcode.FORMERR, udpQuery(udp, two).getRcode());
        assertEquals(Rcode.NXDOMAIN, udpQuery(udp, DnsFixtures.query(3, "nobody.lan", Type.A, -1, false)).getRcode());
        assertEquals(1, server.counters().drops(DnsDropReason.BAD_QDCOUNT));
    }

    @Test
    void upstreamsComeFromResolvConfWithoutOurselves(@TempDir Path dir) throws IOException {
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, "nameserver 127.0.0.1\nnameserver 192.0.2.1\n", StandardCharsets.US_ASCII);
        DnsConfig cfg = new DnsConfig(true, List.of(new InetSocketAddress(LOOPBACK, 53)), List.of(), Map.of(),
                Optional.empty(), List.of(), 10);
        assertEquals(List.of(DnsFixtures.sock("192.0.2.1", 53)),
                ResolvConf.nameservers(Files.readString(resolv), cfg.listen()), "127.0.0.1:53 is ourselves");
        server = DnsServer.start(config(List.of()), DnsServerSettings.DEFAULTS.withResolvConf(resolv));
        assertEquals(List.of(DnsFixtures.sock("127.0.0.1", 53), DnsFixtures.sock("192.0.2.1", 53)),
                server.upstreams(), "listening on port 0 here, so 127.0.0.1:53 is not us");
    }

    @Test
    void refusesToStartWithoutAListenAddress() {
        DnsConfig none = new DnsConfig(true, List.of(), List.of(DnsFixtures.UPSTREAM_A), Map.of(), Optional.empty(),
                List.of(), 10);
        assertThrows(IllegalArgumentException.class, () -> DnsServer.start(none));
    }
}
