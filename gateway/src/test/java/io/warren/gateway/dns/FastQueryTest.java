package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The cache-hit fast path against its reference, the dnsjava pipeline: every query it recognises
 * parses to the same fields, every reply it renders is byte-identical, and every unusual shape is
 * left to {@link QueryParser}.
 */
class FastQueryTest {
    private static final long SEC = 1_000_000_000L;
    private static final long T0 = 70_000 * SEC;

    @Test
    void commonShapesMatchTheDnsjavaParse() {
        for (int payload : new int[] {-1, 0, 512, 1232, 4096}) {
            for (boolean dnssecOk : new boolean[] {false, true}) {
                byte[] q = DnsFixtures.query(0xBEEF, "Www.Example.TEST", Type.AAAA, payload, dnssecOk && payload >= 0);
                assertSameAsParser(q);
            }
        }
    }

    @Test
    void unusualShapesAreLeftToTheParser() {
        byte[] plain = DnsFixtures.query(7, "a.test", Type.A, 1232, false);
        assertNotNull(FastQuery.match(plain));
        assertNull(FastQuery.match(Arrays.copyOf(plain, plain.length + 1)), "trailing byte");
        assertNull(FastQuery.match(Arrays.copyOf(plain, plain.length - 1)), "cut OPT");
        assertNull(FastQuery.match(with(plain, 2, plain[2] | 0x80)), "QR set");
        assertNull(FastQuery.match(with(plain, 2, plain[2] | 0x10)), "opcode 2");
        assertNull(FastQuery.match(with(plain, 7, 1)), "ANCOUNT 1");
        assertNull(FastQuery.match(with(plain, 11, 2)), "ARCOUNT 2");
        int opt = plain.length - DnsWire.OPT_LENGTH;
        assertNull(FastQuery.match(with(plain, opt + 6, 1)), "EDNS version 1");
        assertNull(FastQuery.match(with(plain, 12, 0xC0)), "compression pointer in the question");
        assertNull(FastQuery.match(DnsFixtures.query(7, "a.test", Type.AXFR, -1, false)), "AXFR");
        // Header (12) + name "a.test" (8) + type (2): the low byte of the class is at 23.
        assertNull(FastQuery.match(with(DnsFixtures.query(7, "a.test", Type.A, -1, false), 23, 3)), "class CH");
        assertNull(FastQuery.match(new byte[12]), "header only");
    }

    @Test
    void randomMutationsEitherFallBackOrAgreeWithTheParser() {
        SplittableRandom rnd = new SplittableRandom(11);
        byte[][] seeds = {DnsFixtures.query(1, "x.example.test", Type.A, -1, false),
                DnsFixtures.query(2, "MiXeD.example.test", Type.TXT, 1400, true)};
        int matched = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] q = seeds[i % seeds.length].clone();
            for (int flips = rnd.nextInt(1, 4); flips > 0; flips--) {
                q[rnd.nextInt(q.length)] = (byte) rnd.nextInt(256);
            }
            if (FastQuery.match(q) != null) {
                matched++;
                assertSameAsParser(q);
            }
        }
        for (int i = 0; i < 5_000; i++) {
            byte[] junk = new byte[rnd.nextInt(0, 80)];
            rnd.nextBytes(junk);
            FastQuery.match(junk); // never throws
        }
        assertEquals(true, matched > 1000, "the mutations still exercise the fast path: " + matched);
    }

    @Test
    void fastRepliesAreByteIdenticalToTheFullPipeline() {
        LocalZone zone = new LocalZone(5, 60);
        DnsResolver<String> resolver = resolver(zone, new DnsCounters());
        byte[] first = DnsFixtures.query(1, "big.example.test", Type.TXT, -1, false);
        UpstreamSend s = assertInstanceOf(DnsAction.Send.class, resolver.onQuery(T0, "c", Transport.UDP, first)).send();
        Message up = DnsFixtures.response(s.wire(), Rcode.NOERROR, bigTxt(), new Record[0]);
        resolver.onUpstream(T0, s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, up.toWire());
        long now = T0 + 42 * SEC;
        resolver.onQuery(now, "c", Transport.UDP, first); // the first hit checks the local zone, later ones go fast
        for (int payload : new int[] {-1, 512, 1232, 4096}) {
            for (Transport t : Transport.values()) {
                byte[] q = DnsFixtures.query(0x1234, "BIG.example.Test", Type.TXT, payload, false);
                DnsResolver<String> slowOnly = resolver(zone, new DnsCounters());
                byte[] viaFast = reply(resolver.onQuery(now, "c", t, q));
                assertNotNull(FastQuery.match(q));
                // The reference: the same cached answer served by the dnsjava pipeline.
                byte[] reference = reply(resolverWithCached(slowOnly, up, now).onQuery(now, "c", t, q));
                assertArrayEquals(reference, viaFast, "payload " + payload + " over " + t);
            }
        }
    }

    /**
     * The allocation-free variant the UDP receive threads use: same bytes as the full pipeline, the
     * query read from the front of a larger scratch array, nothing counted unless it answers.
     */
    @Test
    void answerFromCacheWritesTheSameReplyIntoScratch() {
        LocalZone zone = new LocalZone(5, 60);
        DnsCounters counters = new DnsCounters();
        DnsResolver<String> resolver = resolver(zone, counters);
        FastQuery scratch = new FastQuery();
        CacheKey probe = CacheKey.probe();
        byte[] out = new byte[DnsWire.EDNS_UDP_SIZE];
        byte[] first = DnsFixtures.query(1, "big.example.test", Type.TXT, -1, false);
        byte[] buffer = new byte[2048];
        Arrays.fill(buffer, (byte) 0x5A);
        System.arraycopy(first, 0, buffer, 0, first.length);
        assertEquals(0, resolver.answerFromCache(T0, buffer, first.length, scratch, probe, out), "a miss");
        assertEquals(0, counters.queriesUdp());
        UpstreamSend s = assertInstanceOf(DnsAction.Send.class, resolver.onQuery(T0, "c", Transport.UDP, first)).send();
        Message up = DnsFixtures.response(s.wire(), Rcode.NOERROR, bigTxt(), new Record[0]);
        resolver.onUpstream(T0, s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, up.toWire());
        long now = T0 + 42 * SEC;
        assertEquals(0, resolver.answerFromCache(now, buffer, first.length, scratch, probe, out),
                "not yet checked against the local zone");
        resolver.onQuery(now, "c", Transport.UDP, first);
        long hits = counters.cacheHits();
        long queries = counters.queriesUdp();
        for (int payload : new int[] {-1, 512, 1232, 4096}) {
            byte[] q = DnsFixtures.query(0x4321, "BIG.example.Test", Type.TXT, payload, false);
            System.arraycopy(q, 0, buffer, 0, q.length);
            int n = resolver.answerFromCache(now, buffer, q.length, scratch, probe, out);
            byte[] reference = reply(resolver.onQuery(now, "c", Transport.UDP, q));
            assertArrayEquals(reference, Arrays.copyOf(out, n), "payload " + payload);
        }
        assertEquals(hits + 8, counters.cacheHits());
        assertEquals(queries + 8, counters.queriesUdp());
        byte[] trailing = Arrays.copyOf(first, first.length + 1);
        System.arraycopy(trailing, 0, buffer, 0, trailing.length);
        assertEquals(0, resolver.answerFromCache(now, buffer, trailing.length, scratch, probe, out),
                "a trailing byte is the parser's business");
    }

    @Test
    void aProbeKeyEqualsAndHashesAsTheKeyOfTheSameQuestion() {
        CacheKey probe = CacheKey.probe();
        for (String name : new String[] {"a.test", "WWW.Example.TEST", "x".repeat(63) + "." + "y".repeat(63)}) {
            for (boolean dnssecOk : new boolean[] {false, true}) {
                byte[] q = DnsFixtures.query(7, name, Type.A, dnssecOk ? 1232 : -1, dnssecOk);
                FastQuery f = FastQuery.match(q);
                CacheKey key = f.cacheKey(q);
                byte[] longer = Arrays.copyOf(q, q.length + 40);
                FastQuery g = new FastQuery();
                assertEquals(true, g.parse(longer, q.length));
                assertEquals(f.questionEnd(), g.questionEnd());
                assertEquals(probe, g.cacheKey(longer, probe));
                assertEquals(key, probe);
                assertEquals(key.hashCode(), probe.hashCode());
            }
        }
        byte[] a = DnsFixtures.query(7, "a.test", Type.A, -1, false);
        byte[] b = DnsFixtures.query(7, "b.test", Type.A, -1, false);
        FastQuery.match(b).cacheKey(b, probe);
        assertEquals(false, probe.equals(FastQuery.match(a).cacheKey(a)));
        assertEquals(false, new FastQuery().parse(a, a.length + 1), "length beyond the array");
    }

    @Test
    void aNameThatBecomesLocalIsNoLongerServedFromTheCache() {
        LocalZone zone = new LocalZone(5, 60);
        DnsCounters counters = new DnsCounters();
        DnsResolver<String> resolver = resolver(zone, counters);
        byte[] q = DnsFixtures.query(9, "printer.example.test", Type.A, -1, false);
        UpstreamSend s = assertInstanceOf(DnsAction.Send.class, resolver.onQuery(T0, "c", Transport.UDP, q)).send();
        Message up = DnsFixtures.response(s.wire(), Rcode.NOERROR, new Record[] {new ARecord(
                DnsFixtures.name("printer.example.test"), DClass.IN, 300, DnsFixtures.ip("203.0.113.9"))}, new Record[0]);
        resolver.onUpstream(T0, s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, up.toWire());
        reply(resolver.onQuery(T0 + SEC, "c", Transport.UDP, q)); // checked, then served fast
        reply(resolver.onQuery(T0 + SEC, "c", Transport.UDP, q));
        assertEquals(2, counters.cacheHits());

        zone.source(NameOrigin.DHCP_LEASE, DnsFixtures.name("example.test")).add("printer", DnsFixtures.ip("192.168.1.9"));
        Message m = DnsFixtures.parse(reply(resolver.onQuery(T0 + 2 * SEC, "c", Transport.UDP, q)));
        List<Record> a = m.getSection(Section.ANSWER);
        assertEquals("192.168.1.9", ((ARecord) a.get(0)).getAddress().getHostAddress());
        assertEquals(1, counters.localAnswers());
    }

    /** Eight TXT records of 100 bytes: a reply over 512 bytes, truncated for classic clients. */
    private static Record[] bigTxt() {
        Record[] answer = new Record[8];
        for (int i = 0; i < answer.length; i++) {
            answer[i] = new TXTRecord(DnsFixtures.name("big.example.test"), DClass.IN, 300 + i, "x".repeat(100));
        }
        return answer;
    }

    private static DnsResolver<String> resolver(LocalZone zone, DnsCounters counters) {
        return new DnsResolver<>(zone, new UpstreamSelector(List.of(DnsFixtures.UPSTREAM_A), Map.of()), 100,
                new ForwarderSettings(64, Duration.ofSeconds(1), 2), new SplittableRandom(5), counters);
    }

    /** Puts {@code up}'s answer in {@code r}'s cache at T0 by forwarding its question once. */
    private static DnsResolver<String> resolverWithCached(DnsResolver<String> r, Message up, long now) {
        byte[] q = DnsFixtures.query(1, "big.example.test", Type.TXT, -1, false);
        UpstreamSend s = assertInstanceOf(DnsAction.Send.class, r.onQuery(T0, "c", Transport.UDP, q)).send();
        Message again = DnsFixtures.response(s.wire(), Rcode.NOERROR,
                up.getSection(Section.ANSWER).toArray(new Record[0]), new Record[0]);
        r.onUpstream(T0, s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, again.toWire());
        return r;
    }

    private static byte[] reply(DnsAction<String> a) {
        return assertInstanceOf(DnsAction.Reply.class, a).wire();
    }

    private static void assertSameAsParser(byte[] q) {
        FastQuery f = FastQuery.match(q);
        assertNotNull(f);
        QueryParseResult.Parsed p = assertInstanceOf(QueryParseResult.Parsed.class, QueryParser.parse(q),
                () -> "fast path took a query the parser rejects: " + Arrays.toString(q));
        ClientQuery c = p.query();
        assertEquals(c.id(), f.id());
        assertEquals(c.recursionDesired(), f.recursionDesired());
        assertEquals(c.checkingDisabled(), f.checkingDisabled());
        assertEquals(c.edns(), f.edns());
        assertEquals(c.dnssecOk(), f.dnssecOk(), () -> "DO of " + Arrays.toString(q));
        assertEquals(c.udpLimit(), f.udpLimit());
        assertArrayEquals(c.questionWire(), Arrays.copyOfRange(q, DnsWire.HEADER_LENGTH, f.questionEnd()));
        assertEquals(c.cacheKey(), f.cacheKey(q));
    }

    private static byte[] with(byte[] p, int at, int value) {
        byte[] c = p.clone();
        c[at] = (byte) value;
        return c;
    }
}
