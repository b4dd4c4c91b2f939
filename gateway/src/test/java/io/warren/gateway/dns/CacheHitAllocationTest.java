package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.warren.gateway.config.DnsConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * "Cache hits allocate nothing per query" (issue #6): a server on loopback with one name cached is
 * sent {@value #MEASURED} queries for it (plain and EDNS, mixed letter case) after
 * {@value #WARM_UP} of warm-up, and the bytes allocated by the listening socket's receive thread
 * (recvmmsg, parse, cache look-up, render, sendmmsg; com.sun.management.ThreadMXBean) are divided
 * by the replies. The bound leaves room for a lazily made object, nothing per query.
 */
class CacheHitAllocationTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 30_000;
    private static final int WINDOW = 16;
    private static final double BOUND = 4.0;

    private FakeUpstream upstream;
    private DnsServer server;

    @BeforeEach
    void fakeUpstream() throws IOException {
        upstream = new FakeUpstream("10.9.8.7", 3600);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        upstream.close();
    }

    @Test
    void cacheHitsAllocateNothingPerQuery() throws Exception {
        server = DnsServer.start(new DnsConfig(true, List.of(new InetSocketAddress(LOOPBACK, 0)),
                List.of(upstream.address()), Map.of(), Optional.empty(), List.of(),
                100));
        InetSocketAddress to = server.udpAddresses().get(0);
        byte[][] queries = new byte[WINDOW][];
        for (int i = 0; i < WINDOW; i++) {
            queries[i] = DnsFixtures.query(i, i % 3 == 0 ? "Hot.Example.TEST" : "hot.example.test", Type.A,
                    i % 2 == 0 ? 1232 : -1, i % 4 == 0);
        }
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            client.setSoTimeout(2000);
            client.setReceiveBufferSize(1 << 20);
            for (int i = 0; i < 3; i++) { // cache it, check it against the local zone, serve it fast
                assertEquals(1, exchange(client, to, queries, 1));
            }
            Thread receiver = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("dns-udp " + to)).findFirst().orElseThrow();
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            run(client, to, queries, WARM_UP);
            long hitsBefore = server.counters().cacheHits();
            long before = mx.getThreadAllocatedBytes(receiver.getId());
            int replies = run(client, to, queries, MEASURED);
            long allocated = mx.getThreadAllocatedBytes(receiver.getId()) - before;
            long hits = server.counters().cacheHits() - hitsBefore;
            assertTrue(replies > MEASURED * 9 / 10, "replies " + replies);
            assertTrue(hits >= replies, "hits " + hits + " for " + replies + " replies");
            double perQuery = (double) allocated / hits;
            assertTrue(perQuery < BOUND, String.format("%.2f bytes per cache hit (%d over %d)", perQuery,
                    allocated, hits));
        }
    }

    private static int run(DatagramSocket client, InetSocketAddress to, byte[][] queries, int total)
            throws IOException {
        int replies = 0;
        for (int sent = 0; sent < total; sent += WINDOW) {
            replies += exchange(client, to, queries, WINDOW);
        }
        return replies;
    }

    /** Sends the first {@code n} queries back to back and reads their replies; returns how many came. */
    private static int exchange(DatagramSocket client, InetSocketAddress to, byte[][] queries, int n)
            throws IOException {
        for (int i = 0; i < n; i++) {
            client.send(new DatagramPacket(queries[i], queries[i].length, to));
        }
        byte[] buf = new byte[1500];
        int got = 0;
        try {
            for (int i = 0; i < n; i++) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                client.receive(p);
                Message m = DnsFixtures.parse(Arrays.copyOf(buf, p.getLength()));
                assertEquals(Rcode.NOERROR, m.getRcode());
                got++;
            }
        } catch (SocketTimeoutException lost) {
            // counted by the caller
        }
        return got;
    }
}
