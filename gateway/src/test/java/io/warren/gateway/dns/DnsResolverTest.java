package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The whole sans-I/O pipeline: parse, local zone, cache, forward, answer; fake clock throughout. */
class DnsResolverTest {
    private static final long SEC = 1_000_000_000L;
    private static final long T0 = 50_000 * SEC;
    private final LocalZone zone = new LocalZone(5, 60);
    private final DnsCounters counters = new DnsCounters();
    private final DnsResolver<String> resolver = new DnsResolver<>(zone,
            new UpstreamSelector(List.of(DnsFixtures.UPSTREAM_A),
                    Map.of(DnsFixtures.name("corp.test"), List.of(DnsFixtures.UPSTREAM_B))),
            100, new ForwarderSettings(64, Duration.ofSeconds(1), 2), new SplittableRandom(3), counters);

    private UpstreamSend forwarded(long now, byte[] query) {
        return assertInstanceOf(DnsAction.Send.class, resolver.onQuery(now, "cli", Transport.UDP, query)).send();
    }

    private Message replied(DnsAction<String> a) {
        DnsAction.Reply<String> r = assertInstanceOf(DnsAction.Reply.class, a);
        assertEquals("cli", r.client());
        return DnsFixtures.parse(r.wire());
    }

    private static ARecord a(String name, long ttl, String ip) {
        return new ARecord(DnsFixtures.name(name), DClass.IN, ttl, DnsFixtures.ip(ip));
    }

    @Test
    void missForwardsThenAnswerIsCachedAndServedWithDecrementedTtl() {
        byte[] q1 = DnsFixtures.query(0x0A0B, "WWW.example.test", Type.A, 1232, false);
        UpstreamSend s = forwarded(T0, q1);
        Message up = DnsFixtures.response(s.wire(), Rcode.NOERROR,
                new Record[] {a("www.example.test", 300, "10.1.2.3")}, new Record[0]);
        Message first = replied(resolver.onUpstream(T0 + SEC / 100, s.socket(), DnsFixtures.UPSTREAM_A,
                Transport.UDP, up.toWire()));
        assertEquals(0x0A0B, first.getHeader().getID());
        assertEquals("WWW.example.test.", first.getQuestion().getName().toString(), "client's case echoed");
        assertEquals(300, first.getSection(Section.ANSWER).get(0).getTTL());
        assertTrue(first.getHeader().getFlag(Flags.RA));
        assertTrue(first.getHeader().getFlag(Flags.RD));

        byte[] q2 = DnsFixtures.query(0x0C0D, "www.EXAMPLE.test", Type.A, -1, false);
        Message hit = replied(resolver.onQuery(T0 + 100 * SEC + SEC / 100, "cli", Transport.UDP, q2));
        assertEquals(0x0C0D, hit.getHeader().getID());
        assertEquals("www.EXAMPLE.test.", hit.getQuestion().getName().toString());
        assertEquals(200, hit.getSection(Section.ANSWER).get(0).getTTL());
        assertEquals(null, hit.getOPT(), "no OPT for a client without EDNS");
        assertEquals(1, counters.cacheHits());
        assertEquals(1, counters.forwarded());
        assertEquals(1, counters.upstreamAnswers());
        assertEquals(SEC / 100, counters.upstreamLatencyNanos());

        forwarded(T0 + 301 * SEC, q2); // expired: asked again
    }

    @Test
    void nxdomainIsCachedNegatively() {
        byte[] q = DnsFixtures.query(0x1111, "nx.example.test", Type.A, 1232, false);
        UpstreamSend s = forwarded(T0, q);
        SOARecord soa = new SOARecord(DnsFixtures.name("example.test"), DClass.IN, 600,
                DnsFixtures.name("ns1.example.test"), DnsFixtures.name("hm.example.test"), 9, 1200, 180, 1209600, 30);
        resolver.onUpstream(T0, s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP,
                DnsFixtures.response(s.wire(), Rcode.NXDOMAIN, new Record[0], new Record[] {soa}).toWire());
        Message again = replied(resolver.onQuery(T0 + 10 * SEC, "cli", Transport.UDP, q));
        assertEquals(Rcode.NXDOMAIN, again.getRcode());
        assertEquals(20, again.getSection(Section.AUTHORITY).get(0).getTTL());
        forwarded(T0 + 30 * SEC, q);
    }

    @Test
    void bigAnswerIsTruncatedForUdpClientsAndWholeOverTcp() {
        String chunk = "x".repeat(200);
        TXTRecord big = new TXTRecord(DnsFixtures.name("big.example.test"), DClass.IN, 600,
                List.of(chunk, chunk, chunk, chunk, chunk, chunk, chunk));
        byte[] q = DnsFixtures.query(0x2222, "big.example.test", Type.TXT, 1232, false);
        UpstreamSend s = forwarded(T0, q);
        Message udp = replied(resolver.onUpstream(T0, s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP,
                DnsFixtures.response(s.wire(), 0, new Record[] {big}, new Record[0]).toWire()));
        assertTrue(udp.getHeader().getFlag(Flags.TC));
        assertEquals(1232, udp.getOPT().getPayloadSize());
        assertEquals(1, counters.truncatedReplies());
        DnsAction.Reply<String> tcp = assertInstanceOf(DnsAction.Reply.class,
                resolver.onQuery(T0, "cli", Transport.TCP, q));
        Message whole = DnsFixtures.parse(tcp.wire());
        assertFalse(whole.getHeader().getFlag(Flags.TC));
        assertEquals(big.getStrings(), ((TXTRecord) whole.getSection(Section.ANSWER).get(0)).getStrings());
        assertEquals(Transport.TCP, tcp.transport());
    }

    @Test
    void localNamesAreAuthoritativeAndNeverForwarded() {
        zone.source(NameOrigin.DHCP_LEASE, DnsFixtures.name("lan")).add("laptop", DnsFixtures.ip("192.168.7.23"));
        Message m = replied(resolver.onQuery(T0, "cli", Transport.UDP,
                DnsFixtures.query(0x3333, "laptop.lan", Type.A, 1232, false)));
        assertTrue(m.getHeader().getFlag(Flags.AA));
        assertEquals(DnsFixtures.ip("192.168.7.23"), ((ARecord) m.getSection(Section.ANSWER).get(0)).getAddress());
        Message nx = replied(resolver.onQuery(T0, "cli", Transport.UDP,
                DnsFixtures.query(0x3334, "desktop.lan", Type.A, 1232, false)));
        assertEquals(Rcode.NXDOMAIN, nx.getRcode());
        assertEquals(60, ((SOARecord) nx.getSection(Section.AUTHORITY).get(0)).getMinimum());
        assertEquals(0, counters.forwarded());
        assertEquals(2, counters.localAnswers());
    }

    @Test
    void splitDnsSendsCorpNamesToTheirUpstream() {
        assertEquals(DnsFixtures.UPSTREAM_B,
                forwarded(T0, DnsFixtures.query(1, "db.CORP.test", Type.A, -1, false)).upstream());
        assertEquals(DnsFixtures.UPSTREAM_A,
                forwarded(T0, DnsFixtures.query(2, "db.corp.test.example", Type.A, -1, false)).upstream());
    }

    @Test
    void timeoutOfEveryAttemptGivesServfail() {
        byte[] q = DnsFixtures.query(0x4444, "slow.example.test", Type.A, 1232, true);
        forwarded(T0, q);
        assertInstanceOf(DnsAction.Send.class, resolver.onTick(T0 + SEC).get(0));
        Message m = replied(resolver.onTick(T0 + 2 * SEC).get(0));
        assertEquals(Rcode.SERVFAIL, m.getRcode());
        assertEquals(0x4444, m.getHeader().getID());
        assertEquals(0x8000, m.getOPT().getFlags(), "DO echoed");
        assertEquals(1, counters.drops(DnsDropReason.UPSTREAM_TIMEOUT));
        assertEquals(1, counters.servfailReplies());
        assertEquals(1, counters.upstreamRetries());
        assertEquals(0, resolver.inFlight());
    }

    @Test
    void badInputIsCountedByReason() {
        assertInstanceOf(DnsAction.Drop.class, resolver.onQuery(T0, "cli", Transport.UDP, new byte[3]));
        byte[] two = DnsFixtures.query(5, "a.test", Type.A, -1, false);
        two[5] = 2;
        Message formerr = replied(resolver.onQuery(T0, "cli", Transport.UDP, two));
        assertEquals(Rcode.FORMERR, formerr.getRcode());
        assertEquals(1, counters.drops(DnsDropReason.SHORT_HEADER));
        assertEquals(1, counters.drops(DnsDropReason.BAD_QDCOUNT));
        assertEquals(2, counters.queriesUdp());
        assertInstanceOf(DnsAction.Drop.class,
                resolver.onUpstream(T0, 0, DnsFixtures.UPSTREAM_A, Transport.UDP, new byte[40]));
        assertEquals(1, counters.drops(DnsDropReason.UPSTREAM_NOT_RESPONSE));
    }

    @Test
    void upstreamFloodOfRandomBytesNeverThrows() {
        UpstreamSend s = forwarded(T0, DnsFixtures.query(9, "victim.example.test", Type.A, 1232, false));
        SplittableRandom rnd = new SplittableRandom(99);
        for (int i = 0; i < 5000; i++) {
            byte[] junk = new byte[rnd.nextInt(0, 300)];
            rnd.nextBytes(junk);
            if (junk.length > 3) {
                junk[2] |= (byte) 0x80;
            }
            assertInstanceOf(DnsAction.Drop.class,
                    resolver.onUpstream(T0, s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, junk));
        }
        assertEquals(1, resolver.inFlight());
        assertArrayEquals(new int[] {9}, new int[] {DnsWire.u16(DnsFixtures.query(9, "x.test", Type.A, -1, false), 0)});
        assertTrue(Arrays.stream(DnsDropReason.values()).mapToLong(counters::drops).sum() >= 5000);
    }
}
