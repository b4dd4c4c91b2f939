package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** TTL handling of {@link CachePolicy}, {@link ResponseTemplate} and {@link DnsCache} with a fake clock. */
class CachePolicyTest {
    private static final long SEC = 1_000_000_000L;
    private static final long T0 = 7_000 * SEC;
    private final CachePolicy policy = new CachePolicy(86_400, 3_600);
    private final byte[] queryWire = DnsFixtures.query(0x2A2A, "www.example.test", Type.A, 1232, false);
    private final ClientQuery query = ((QueryParseResult.Parsed) QueryParser.parse(queryWire)).query();

    private static ARecord a(String name, long ttl, String ip) {
        return new ARecord(DnsFixtures.name(name), DClass.IN, ttl, DnsFixtures.ip(ip));
    }

    private static SOARecord soa(long ttl, long minimum) {
        return new SOARecord(DnsFixtures.name("example.test"), DClass.IN, ttl, DnsFixtures.name("ns1.example.test"),
                DnsFixtures.name("hostmaster.example.test"), 2026, 1200, 180, 1209600, minimum);
    }

    @Test
    void positiveAnswerLivesForItsSmallestTtlAndCountsDown() {
        Record cname = new CNAMERecord(DnsFixtures.name("www.example.test"), DClass.IN, 300,
                DnsFixtures.name("web.example.test"));
        Message up = DnsFixtures.response(queryWire, Rcode.NOERROR, new Record[] {cname, a("web.example.test", 120,
                "10.1.2.3")}, new Record[0]);
        ResponseTemplate t = policy.template(up, T0);
        assertEquals(120, t.lifetimeSeconds());
        Message now = DnsFixtures.parse(t.render(query, T0, 1232));
        assertEquals(0x2A2A, now.getHeader().getID());
        assertTrue(now.getHeader().getFlag(Flags.RA));
        assertTrue(now.getHeader().getFlag(Flags.RD));
        assertTrue(now.getHeader().getFlag(Flags.CD));
        assertFalse(now.getHeader().getFlag(Flags.AD), "AD only for DO clients");
        assertEquals(List.of(300L, 120L), ttls(now));
        Message later = DnsFixtures.parse(t.render(query, T0 + 45 * SEC + SEC / 2, 1232));
        assertEquals(List.of(255L, 75L), ttls(later));
        assertTrue(t.isFresh(T0 + 119 * SEC));
        assertFalse(t.isFresh(T0 + 120 * SEC));
        assertEquals(1232, later.getOPT().getPayloadSize());
    }

    @Test
    void nxdomainIsCachedForSoaMinimumAndSoaTtlIsLowered() {
        Message up = DnsFixtures.response(queryWire, Rcode.NXDOMAIN, new Record[0], new Record[] {soa(900, 300)});
        ResponseTemplate t = policy.template(up, T0);
        assertEquals(300, t.lifetimeSeconds(), "RFC 2308 §5: min(SOA TTL, MINIMUM)");
        Message m = DnsFixtures.parse(t.render(query, T0 + 100 * SEC, 1232));
        assertEquals(Rcode.NXDOMAIN, m.getRcode());
        assertEquals(200, m.getSection(Section.AUTHORITY).get(0).getTTL());
        ResponseTemplate lowTtl = policy.template(
                DnsFixtures.response(queryWire, Rcode.NOERROR, new Record[0], new Record[] {soa(40, 300)}), T0);
        assertEquals(40, lowTtl.lifetimeSeconds(), "NODATA: SOA TTL below MINIMUM wins");
    }

    @Test
    void negativeAnswerWithoutSoaIsNotCached() {
        ResponseTemplate t = policy.template(DnsFixtures.response(queryWire, Rcode.NXDOMAIN, new Record[0],
                new Record[0]), T0);
        assertEquals(0, t.lifetimeSeconds());
    }

    @Test
    void negativeTtlIsCappedAndServfailNeverCached() {
        ResponseTemplate capped = policy.template(DnsFixtures.response(queryWire, Rcode.NXDOMAIN, new Record[0],
                new Record[] {soa(86_400, 86_400)}), T0);
        assertEquals(3_600, capped.lifetimeSeconds());
        ResponseTemplate fail = policy.template(DnsFixtures.response(queryWire, Rcode.SERVFAIL, new Record[0],
                new Record[0]), T0);
        assertEquals(0, fail.lifetimeSeconds());
        assertEquals(Rcode.SERVFAIL, fail.rcode());
    }

    @Test
    void hugeTtlsAreClampedToOneDay() {
        ResponseTemplate big = policy.template(DnsFixtures.response(queryWire, Rcode.NOERROR,
                new Record[] {a("www.example.test", 9_000_000, "10.9.9.9")}, new Record[0]), T0);
        assertEquals(86_400, big.lifetimeSeconds());
    }

    @Test
    void ttlWithTheTopBitSetCountsAsZero() {
        byte[] wire = DnsFixtures.response(queryWire, Rcode.NOERROR,
                new Record[] {a("www.example.test", 600, "10.1.2.3")}, new Record[0]).toWire();
        wire[wire.length - 11 - 4 - 2 - 4] = (byte) 0x80; // first TTL byte of the A record, before rdata and OPT
        Message up = DnsFixtures.parse(wire);
        assertEquals(0, up.getSection(Section.ANSWER).get(0).getTTL(), "dnsjava reads it as 0 already");
        ResponseTemplate t = policy.template(up, T0);
        assertEquals(0, t.lifetimeSeconds(), "RFC 2181 §8");
        assertEquals(0, DnsFixtures.parse(t.render(query, T0, 1232)).getSection(Section.ANSWER).get(0).getTTL());
    }

    @Test
    void truncatedUpstreamAnswerIsNotCached() {
        Message up = DnsFixtures.response(queryWire, Rcode.NOERROR,
                new Record[] {a("www.example.test", 600, "10.1.2.3")}, new Record[0]);
        up.getHeader().setFlag(Flags.TC);
        assertEquals(0, policy.template(up, T0).lifetimeSeconds());
    }

    @Test
    void renderTruncatesToHeaderQuestionAndOptWhenTooBig() {
        Record[] many = new Record[60];
        for (int i = 0; i < many.length; i++) {
            many[i] = a("www.example.test", 600, "10.1.2." + (i + 1));
        }
        ResponseTemplate t = policy.template(DnsFixtures.response(queryWire, Rcode.NOERROR, many, new Record[0]), T0);
        byte[] udp = t.render(query, T0, 512);
        assertTrue(udp.length <= 512);
        Message m = DnsFixtures.parse(udp);
        assertTrue(m.getHeader().getFlag(Flags.TC));
        assertEquals(0, m.getHeader().getCount(Section.ANSWER));
        assertEquals(1, m.getHeader().getCount(Section.QUESTION));
        Message tcp = DnsFixtures.parse(t.render(query, T0, 65535));
        assertFalse(tcp.getHeader().getFlag(Flags.TC));
        assertEquals(60, tcp.getHeader().getCount(Section.ANSWER));
    }

    @Test
    void cacheEvictsLeastRecentlyUsedAndExpires() {
        DnsCache cache = new DnsCache(2);
        ResponseTemplate t = policy.template(DnsFixtures.response(queryWire, Rcode.NOERROR,
                new Record[] {a("www.example.test", 60, "10.1.2.3")}, new Record[0]), T0);
        CacheKey k1 = CacheKey.of(DnsFixtures.name("one.test"), Type.A, DClass.IN, false);
        CacheKey k2 = CacheKey.of(DnsFixtures.name("two.test"), Type.A, DClass.IN, false);
        CacheKey k3 = CacheKey.of(DnsFixtures.name("three.test"), Type.A, DClass.IN, false);
        cache.put(k1, t);
        cache.put(k2, t);
        assertSame(t, cache.get(k1, T0));
        cache.put(k3, t);
        assertNull(cache.get(k2, T0), "k2 was least recently used");
        assertSame(t, cache.get(CacheKey.of(DnsFixtures.name("ONE.Test"), Type.A, DClass.IN, false), T0),
                "case-insensitive");
        assertNull(cache.get(CacheKey.of(DnsFixtures.name("one.test"), Type.A, DClass.IN, true), T0),
                "DO answers are cached apart");
        assertEquals(1, cache.evictions());
        assertNull(cache.get(k1, T0 + 60 * SEC));
        assertEquals(1, cache.expirations());
        DnsCache off = new DnsCache(0);
        off.put(k1, t);
        assertEquals(0, off.size());
    }

    private static List<Long> ttls(Message m) {
        return m.getSection(Section.ANSWER).stream().map(Record::getTTL).toList();
    }
}
