package io.warren.gateway.control.meters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.warren.gateway.config.DnsConfig;
import io.warren.gateway.dns.DnsDropReason;
import io.warren.gateway.dns.DnsServer;
import io.warren.testlab.Wait;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The DNS meters on a real server on loopback (no root) with a fake upstream: after a forwarded
 * query, a cached repeat and a runt datagram, the Prometheus scrape shows those counts under the
 * documented names; closing the group removes every meter; promtool accepts the scrape.
 */
class DnsMetersTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private DatagramSocket upstream;
    private Thread upstreamThread;
    private DnsServer server;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @BeforeEach
    void start() throws IOException {
        upstream = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        upstreamThread = new Thread(this::answerForever, "fake-upstream");
        upstreamThread.setDaemon(true);
        upstreamThread.start();
        server = DnsServer.start(new DnsConfig(true, List.of(new InetSocketAddress(LOOPBACK, 0)),
                List.of((InetSocketAddress) upstream.getLocalSocketAddress()), Map.of(), Optional.of("lan"),
                List.of(), 100));
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
        upstream.close();
        upstreamThread.join(5000);
        registry.close();
    }

    /** Answers every query with one A record 10.1.2.3. */
    private void answerForever() {
        byte[] buf = new byte[1500];
        while (!upstream.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                upstream.receive(p);
                Message q = new Message(Arrays.copyOf(p.getData(), p.getLength()));
                Message r = new Message(q.getHeader().getID());
                r.getHeader().setFlag(Flags.QR);
                r.getHeader().setFlag(Flags.RD);
                r.getHeader().setFlag(Flags.RA);
                r.addRecord(q.getQuestion(), Section.QUESTION);
                r.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 300,
                        InetAddress.getByName("10.1.2.3")), Section.ANSWER);
                byte[] a = r.toWire();
                upstream.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                throw new IllegalStateException("fake upstream failed", e);
            }
        }
    }

    private static void ask(InetSocketAddress server, int id) throws IOException {
        Message q = Message.newQuery(Record.newRecord(Name.fromString("www.example.test."), Type.A, DClass.IN));
        q.getHeader().setID(id);
        byte[] wire = q.toWire();
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            s.setSoTimeout(5000);
            s.send(new DatagramPacket(wire, wire.length, server));
            DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
            s.receive(p);
            assertEquals(id, new Message(Arrays.copyOf(p.getData(), p.getLength())).getHeader().getID());
        }
    }

    @Test
    void scrapeShowsTheServersCountsUnderTheDocumentedNames() throws Exception {
        MeterGroup group = DnsMeters.register(registry, server.counters());
        InetSocketAddress udp = server.udpAddresses().get(0);
        ask(udp, 0x1111); // miss, forwarded, one upstream answer
        ask(udp, 0x2222); // cache hit
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            s.send(new DatagramPacket(new byte[5], 5, udp)); // shorter than a header: silent drop
        }
        Wait.until(Duration.ofSeconds(5), "the runt datagram counted",
                () -> Scrapes.value(registry.scrape(), "warren_dns_dropped_messages_total{reason=\"short_header\"}")
                        .orElse(0.0) == 1.0);

        String s = registry.scrape();
        assertEquals(3.0, Scrapes.require(s, "warren_dns_queries_total{transport=\"udp\"}"));
        assertEquals(0.0, Scrapes.require(s, "warren_dns_queries_total{transport=\"tcp\"}"));
        assertEquals(1.0, Scrapes.require(s, "warren_dns_cache_hits_total"));
        assertEquals(1.0, Scrapes.require(s, "warren_dns_cache_misses_total"));
        assertEquals(1.0, Scrapes.require(s, "warren_dns_forwarded_queries_total"));
        assertEquals(0.0, Scrapes.require(s, "warren_dns_local_answers_total"));
        assertEquals(0.0, Scrapes.require(s, "warren_dns_servfail_replies_total"));
        assertEquals(1.0, Scrapes.require(s, "warren_dns_upstream_latency_seconds_count"));
        double latency = Scrapes.require(s, "warren_dns_upstream_latency_seconds_sum");
        assertTrue(latency > 0 && latency < 5, "one loopback round trip, in seconds: " + latency);
        for (DnsDropReason r : DnsDropReason.values()) {
            Scrapes.require(s, "warren_dns_dropped_messages_total{reason=\"" + r.name().toLowerCase(Locale.ROOT) + "\"}");
        }
        assertTrue(s.contains("# HELP warren_dns_cache_hits_total Queries answered from the cache"), s);
        assertTrue(s.contains("# TYPE warren_dns_queries_total counter"), s);
        assertEquals(11 + DnsDropReason.values().length, group.size(), "every meter accounted for");

        group.close();
        assertTrue(registry.getMeters().isEmpty(), "closing the group removes every meter");
        assertFalse(registry.scrape().contains("warren_dns"), registry.scrape());
    }

    @Test
    void promtoolAcceptsTheScrape() throws Exception {
        try (MeterGroup group = DnsMeters.register(registry, server.counters())) {
            ask(server.udpAddresses().get(0), 0x3333);
            Scrapes.promtoolCheck(registry.scrape());
        }
    }
}
