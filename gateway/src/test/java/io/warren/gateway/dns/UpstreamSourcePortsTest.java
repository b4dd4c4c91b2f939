package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.warren.gateway.config.DnsConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Upstream source ports over real loopback sockets (RFC 5452 §9.2): each upstream query leaves from
 * a socket of its own on a random port, closed once answered or given up; a forged answer (wrong
 * port, wrong id, wrong source) is dropped, counted and never reaches the client. The test thread
 * plays the upstream itself, so it sees every query's source port and decides what to send back.
 */
class UpstreamSourcePortsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private DatagramSocket upstream;
    private DatagramSocket client;
    private DnsServer server;

    @BeforeEach
    void open() throws IOException {
        upstream = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        upstream.setSoTimeout(5000);
        client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        client.setSoTimeout(5000);
        DnsConfig cfg = new DnsConfig(true, List.of(new InetSocketAddress(LOOPBACK, 0)),
                List.of((InetSocketAddress) upstream.getLocalSocketAddress()), Map.of(), Optional.empty(), List.of(),
                1000, Optional.empty(), Optional.empty(), DnsConfig.DEFAULT_RESOLV_FILE, Duration.ofMillis(300),
                DnsConfig.DEFAULT_MAX_FORWARDS, DnsConfig.DEFAULT_MAX_NEGATIVE_TTL, List.of());
        server = DnsServer.start(cfg);
    }

    @AfterEach
    void close() {
        server.close();
        upstream.close();
        client.close();
    }

    private void ask(int id, String name) throws IOException {
        byte[] q = DnsFixtures.query(id, name, Type.A, 1232, false);
        client.send(new DatagramPacket(q, q.length, server.udpAddresses().get(0)));
    }

    /** Receives the next upstream query; the packet's socket address is its source. */
    private DatagramPacket upstreamQuery() throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
        upstream.receive(p);
        return p;
    }

    private static byte[] answer(DatagramPacket query, String address) {
        byte[] q = Arrays.copyOf(query.getData(), query.getLength());
        Record question = DnsFixtures.parse(q).getQuestion();
        return DnsFixtures.response(q, Rcode.NOERROR,
                new Record[] {new ARecord(question.getName(), DClass.IN, 300, DnsFixtures.ip(address))},
                new Record[0]).toWire();
    }

    private static void send(DatagramSocket from, byte[] wire, java.net.SocketAddress to) throws IOException {
        from.send(new DatagramPacket(wire, wire.length, to));
    }

    private Message reply() throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
        client.receive(p);
        return DnsFixtures.parse(Arrays.copyOf(p.getData(), p.getLength()));
    }

    /** True once nothing holds {@code port} (our sockets bind the wildcard, which would clash). */
    private static boolean freed(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
                return true;
            } catch (IOException inUse) {
                Thread.sleep(20); // closed on the event loop, just after the answer went out
            }
        }
        return false;
    }

    /** True if {@code port} cannot be bound now: one of our upstream sockets holds it. */
    private static boolean held(int port) {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
            return false;
        } catch (IOException inUse) {
            return true;
        }
    }

    @Test
    void twoHundredUpstreamQueriesUseAboutTwoHundredPortsEachClosedAfterItsAnswer()
            throws IOException, InterruptedException {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ask(i, "n" + i + ".example.test");
            DatagramPacket q = upstreamQuery();
            ports.add(q.getPort());
            send(upstream, answer(q, "10.1.2.3"), q.getSocketAddress());
            assertEquals(i, reply().getHeader().getID());
            if (i % 50 == 0) {
                assertTrue(freed(q.getPort()), "socket of query " + i + " closed after its answer");
            }
        }
        // A shared pool of 64 sockets would show at most 64; Linux picks each port at random from
        // ip_local_port_range (about 28,000 ports), so a repeat among 200 is rare.
        assertTrue(ports.size() >= 190, "distinct source ports: " + ports.size());
        assertEquals(200, server.counters().forwarded());
    }

    @Test
    void forgedAnswersOnTheWrongPortWithTheWrongIdOrFromTheWrongSourceAreDroppedAndCounted()
            throws IOException, InterruptedException {
        ask(0x1111, "one.example.test");
        DatagramPacket q1 = upstreamQuery();
        ask(0x2222, "two.example.test");
        DatagramPacket q2 = upstreamQuery();
        assertTrue(q1.getPort() != q2.getPort(), "two queries, two ports");
        DnsCounters c = server.counters();
        // q1's answer to q2's port: no query with that id on that socket.
        send(upstream, answer(q1, "6.6.6.6"), q2.getSocketAddress());
        // q2's answer with a wrong id on the right port.
        byte[] wrongId = answer(q2, "6.6.6.6");
        DnsWire.put16(wrongId, 0, DnsWire.u16(wrongId, 0) ^ 0x8001);
        send(upstream, wrongId, q2.getSocketAddress());
        // The right id and port from another source port than the upstream's.
        try (DatagramSocket forger = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            send(forger, answer(q1, "6.6.6.6"), q1.getSocketAddress());
        }
        for (int i = 0; i < 100 && c.drops(DnsDropReason.UPSTREAM_UNKNOWN_ID)
                + c.drops(DnsDropReason.UPSTREAM_WRONG_SOURCE) < 3; i++) {
            Thread.sleep(20);
        }
        assertEquals(2, c.drops(DnsDropReason.UPSTREAM_UNKNOWN_ID), "wrong port, wrong id");
        assertEquals(1, c.drops(DnsDropReason.UPSTREAM_WRONG_SOURCE), "wrong source");
        assertTrue(held(q1.getPort()) && held(q2.getPort()), "forgeries close no socket");
        // The genuine answers still get through, and only they.
        send(upstream, answer(q1, "10.1.2.3"), q1.getSocketAddress());
        send(upstream, answer(q2, "10.1.2.4"), q2.getSocketAddress());
        for (int i = 0; i < 2; i++) {
            Message m = reply();
            String want = m.getHeader().getID() == 0x1111 ? "10.1.2.3" : "10.1.2.4";
            assertEquals(DnsFixtures.ip(want), ((ARecord) m.getSection(Section.ANSWER).get(0)).getAddress());
        }
        assertTrue(freed(q1.getPort()) && freed(q2.getPort()), "both sockets closed after their answers");
    }

    @Test
    void eachAttemptOfAnUnansweredQueryLeavesFromANewPortAndEveryOneIsClosed()
            throws IOException, InterruptedException {
        ask(0x3333, "silent.example.test");
        Set<Integer> ports = new HashSet<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            ports.add(upstreamQuery().getPort()); // never answered: each times out after 300 ms
        }
        assertEquals(3, ports.size(), "a new port per attempt");
        Message m = reply();
        assertEquals(Rcode.SERVFAIL, m.getRcode());
        for (int port : ports) {
            assertTrue(freed(port), "socket on port " + port + " closed");
        }
    }
}
