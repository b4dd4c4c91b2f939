package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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

/**
 * Hostile and broken upstream answers through the whole resolver: what reaches the client, what is
 * cached (RFC 2181 §5.2, §8; RFC 2308 §5) and what is counted. A broken answer never throws and
 * never leaves a client without a reply.
 */
class UpstreamHostileInputTest {
    private static final long SEC = 1_000_000_000L;
    private static final long T0 = 90_000 * SEC;
    private final DnsCounters counters = new DnsCounters();
    private final DnsResolver<String> resolver = new DnsResolver<>(new LocalZone(5, 60),
            new UpstreamSelector(List.of(DnsFixtures.UPSTREAM_A), Map.of()), 100,
            new ForwarderSettings(64, Duration.ofSeconds(1), 1), new SplittableRandom(17), counters);

    private UpstreamSend forwarded(long now, byte[] query) {
        return assertInstanceOf(DnsAction.Send.class, resolver.onQuery(now, "cli", Transport.UDP, query)).send();
    }

    private static Message replied(DnsAction<String> a) {
        return DnsFixtures.parse(assertInstanceOf(DnsAction.Reply.class, a).wire());
    }

    private DnsAction<String> upstream(long now, UpstreamSend s, byte[] wire) {
        return resolver.onUpstream(now, s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, wire);
    }

    private static ARecord a(String name, long ttl, String ip) {
        return new ARecord(DnsFixtures.name(name), DClass.IN, ttl, DnsFixtures.ip(ip));
    }

    private static SOARecord soa(long ttl, long minimum) {
        return new SOARecord(DnsFixtures.name("example.test"), DClass.IN, ttl, DnsFixtures.name("ns.example.test"),
                DnsFixtures.name("hm.example.test"), 1, 3600, 600, 86400, minimum);
    }

    /** The raw answer to {@code s}: same id and question, one record of {@code type} with {@code rdata}. */
    private static byte[] rawAnswer(UpstreamSend s, int type, long ttl, int... rdata) {
        Message q = DnsFixtures.parse(s.wire());
        byte[] question = q.getQuestion().toWire(Section.QUESTION);
        HostileWire w = HostileWire.header(q.getHeader().getID(), 0x8180, 1, 1, 0, 0).u8(toInts(question))
                .u8(0xC0, 12).u16(type).u16(1).u32(ttl).u16(rdata.length).u8(rdata);
        return w.bytes();
    }

    private static int[] toInts(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }

    @Test
    void aRecordDnsjavaParsesButCannotWriteGivesServfailNotAnException() {
        byte[] q = DnsFixtures.query(0x0101, "wks.example.test", Type.WKS, -1, false);
        UpstreamSend s = forwarded(T0, q);
        // WKS with an address and protocol but no bitmap: dnsjava reads it, and its toWire then throws.
        byte[] wire = rawAnswer(s, Type.WKS, 300, 10, 0, 0, 1, 6);
        Message m = replied(upstream(T0, s, wire));
        assertEquals(Rcode.SERVFAIL, m.getRcode());
        assertEquals(0x0101, m.getHeader().getID());
        assertEquals(1, counters.drops(DnsDropReason.UPSTREAM_MALFORMED));
        assertEquals(0, resolver.inFlight());
        assertEquals(0, resolver.cacheSize());
    }

    @Test
    void ttlWithTheTopBitSetIsServedAsZeroAndNotCached() {
        byte[] q = DnsFixtures.query(0x0202, "top.example.test", Type.A, -1, false);
        UpstreamSend s = forwarded(T0, q);
        Message m = replied(upstream(T0, s, rawAnswer(s, Type.A, 0x8000_0000L | 3600, 10, 0, 0, 1)));
        assertEquals(0, m.getSection(Section.ANSWER).get(0).getTTL(), "RFC 2181 §8");
        assertEquals(0, resolver.cacheSize());
        forwarded(T0 + SEC, q);
    }

    @Test
    void ttlZeroIsRelayedButNotCached() {
        byte[] q = DnsFixtures.query(0x0303, "zero.example.test", Type.A, -1, false);
        UpstreamSend s = forwarded(T0, q);
        replied(upstream(T0, s, DnsFixtures.response(s.wire(), 0, new Record[] {a("zero.example.test", 0, "10.0.0.1")},
                new Record[0]).toWire()));
        assertEquals(0, resolver.cacheSize());
        forwarded(T0, q);
    }

    @Test
    void recordsForOtherNamesAreNeverServedForThoseNames() {
        byte[] q = DnsFixtures.query(0x0404, "lure.example.test", Type.A, -1, false);
        UpstreamSend s = forwarded(T0, q);
        Message up = DnsFixtures.response(s.wire(), 0, new Record[] {a("lure.example.test", 300, "10.0.0.1"),
            a("bank.test", 86400, "203.0.113.66")}, new Record[] {a("www.bank.test", 86400, "203.0.113.66")});
        replied(upstream(T0, s, up.toWire()));
        for (String victim : new String[] {"bank.test", "www.bank.test"}) {
            forwarded(T0 + SEC, DnsFixtures.query(0x0405, victim, Type.A, -1, false));
        }
    }

    @Test
    void negativeAnswersLiveForTheSoaMinimumOrNotAtAll() {
        Object[][] rows = {
            // rcode, SOA (or null), seconds it is served from the cache (0: not cached)
            {Rcode.NXDOMAIN, soa(600, 30), 30L},
            {Rcode.NXDOMAIN, soa(20, 300), 20L},
            {Rcode.NOERROR, soa(600, 45), 45L},
            {Rcode.NXDOMAIN, null, 0L},
            {Rcode.NXDOMAIN, soa(600, 0x8000_0000L), 0L},
            {Rcode.NXDOMAIN, soa(600, 0), 0L},
            {Rcode.SERVFAIL, soa(600, 30), 0L},
            {Rcode.REFUSED, null, 0L},
        };
        int id = 0x1000;
        for (Object[] row : rows) {
            resolver.flushCache();
            byte[] q = DnsFixtures.query(id++, "neg" + id + ".example.test", Type.A, -1, false);
            UpstreamSend s = forwarded(T0, q);
            Record[] authority = row[1] == null ? new Record[0] : new Record[] {(Record) row[1]};
            Message m = replied(upstream(T0, s, DnsFixtures.response(s.wire(), (Integer) row[0], new Record[0],
                    authority).toWire()));
            assertEquals((int) (Integer) row[0], m.getRcode(), "the upstream's RCODE reaches the client");
            long life = (Long) row[2];
            if (life > 0) {
                assertInstanceOf(DnsAction.Reply.class, resolver.onQuery(T0 + (life - 1) * SEC, "cli", Transport.UDP, q));
            }
            forwarded(T0 + life * SEC, q);
        }
    }

    @Test
    void lateAndDuplicatedAnswersAreDroppedAndChangeNothing() {
        byte[] q = DnsFixtures.query(0x0606, "dup.example.test", Type.A, -1, false);
        UpstreamSend s = forwarded(T0, q);
        byte[] good = DnsFixtures.response(s.wire(), 0, new Record[] {a("dup.example.test", 300, "10.0.0.6")},
                new Record[0]).toWire();
        byte[] forged = DnsFixtures.response(s.wire(), 0, new Record[] {a("dup.example.test", 300, "203.0.113.6")},
                new Record[0]).toWire();
        replied(upstream(T0, s, good));
        assertInstanceOf(DnsAction.Drop.class, upstream(T0, s, good));
        assertInstanceOf(DnsAction.Drop.class, upstream(T0 + 5 * SEC, s, forged));
        assertEquals(2, counters.drops(DnsDropReason.UPSTREAM_UNKNOWN_ID));
        Message hit = replied(resolver.onQuery(T0 + SEC, "cli", Transport.UDP, q));
        assertEquals("10.0.0.6", ((ARecord) hit.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
    }

    @Test
    void anAnswerAfterTheTimeoutIsDroppedAndTheClientHadServfail() {
        byte[] q = DnsFixtures.query(0x0707, "slow.example.test", Type.A, -1, false);
        UpstreamSend s = forwarded(T0, q);
        List<DnsAction<String>> expired = resolver.onTick(T0 + 2 * SEC);
        assertEquals(Rcode.SERVFAIL, replied(expired.get(0)).getRcode());
        assertInstanceOf(DnsAction.Drop.class, upstream(T0 + 3 * SEC, s, DnsFixtures.response(s.wire(), 0,
                new Record[] {a("slow.example.test", 300, "10.0.0.7")}, new Record[0]).toWire()));
        assertEquals(0, resolver.cacheSize());
    }

    /** Forwards {@code q}, answers it with TC over UDP and returns the TCP attempt that follows. */
    private UpstreamSend retriedOverTcp(byte[] q) {
        UpstreamSend s = forwarded(T0, q);
        Message tc = DnsFixtures.response(s.wire(), 0, new Record[0], new Record[0]);
        tc.getHeader().setFlag(Flags.TC);
        UpstreamSend tcp = assertInstanceOf(DnsAction.Send.class, upstream(T0, s, tc.toWire())).send();
        assertEquals(Transport.TCP, tcp.transport());
        return tcp;
    }

    @Test
    void aHugeTcpAnswerIsTruncatedForUdpClientsAndWholeOverTcp() {
        byte[] q = DnsFixtures.query(0x0808, "huge.example.test", Type.TXT, 4096, false);
        UpstreamSend tcp = retriedOverTcp(q);
        // 200 records: about 54 KB as the upstream compressed them, 60 KB as the cache writes them
        // (uncompressed); both fit one TCP message.
        Record[] txt = new Record[200];
        for (int i = 0; i < txt.length; i++) {
            txt[i] = new TXTRecord(DnsFixtures.name("huge.example.test"), DClass.IN, 300, "t".repeat(250));
        }
        byte[] big = DnsFixtures.response(tcp.wire(), 0, txt, new Record[0]).toWire();
        assertTrue(big.length > 50_000);
        Message udp = replied(resolver.onUpstream(T0, Forwarder.TCP_SOCKET, DnsFixtures.UPSTREAM_A, Transport.TCP, big));
        assertTrue(udp.getHeader().getFlag(Flags.TC));
        Message whole = replied(resolver.onQuery(T0, "cli", Transport.TCP, q));
        assertFalse(whole.getHeader().getFlag(Flags.TC));
        assertEquals(200, whole.getSection(Section.ANSWER).size());
    }

    /**
     * RFC 4035 §3.2.2, §4.7: an answer fetched with CD=1 has not been validated upstream; served
     * from the cache to a CD=0 client it would bypass the upstream's validation.
     */
    @Test
    void anAnswerFetchedWithCheckingDisabledIsNotServedToAClientThatWantsValidation() {
        byte[] cd = DnsFixtures.query(0x0909, "signed.example.test", Type.A, 1232, true); // CD and RD set
        UpstreamSend s = forwarded(T0, cd);
        replied(upstream(T0, s, DnsFixtures.response(s.wire(), 0,
                new Record[] {a("signed.example.test", 300, "203.0.113.9")}, new Record[0]).toWire()));
        byte[] validating = cd.clone();
        validating[3] &= (byte) ~0x10; // CD off
        forwarded(T0 + SEC, validating);
        assertInstanceOf(DnsAction.Reply.class, resolver.onQuery(T0 + SEC, "cli", Transport.UDP, cd));
    }

    /**
     * RFC 5452 §5 (birthday attack, CVE-2020-25686): identical questions in flight share one
     * upstream query, so a forger has one id and port to hit however many clients ask; every
     * client still gets its own reply (id, letter case, EDNS), and every waiter counts against the
     * in-flight limit.
     */
    @Test
    void identicalQuestionsInFlightShareOneUpstreamQueryAndEveryClientIsAnswered() {
        byte[] first = DnsFixtures.query(0x0A00, "same.example.test", Type.A, 1232, false);
        UpstreamSend s = forwarded(T0, first);
        int clients = 40;
        for (int i = 1; i < clients; i++) {
            byte[] q = DnsFixtures.query(0x0A00 + i, i % 2 == 0 ? "SAME.example.test" : "same.EXAMPLE.Test",
                    Type.A, i % 3 == 0 ? -1 : 1232, false);
            assertInstanceOf(DnsAction.Joined.class, resolver.onQuery(T0, "cli" + i, Transport.UDP, q));
        }
        assertEquals(1, counters.forwarded());
        assertEquals(clients, resolver.inFlight());
        DnsAction.Replies<String> all = assertInstanceOf(DnsAction.Replies.class, upstream(T0 + SEC / 10, s,
                DnsFixtures.response(s.wire(), 0, new Record[] {a("same.example.test", 300, "10.0.0.10")},
                        new Record[0]).toWire()));
        assertEquals(clients, all.replies().size());
        for (int i = 0; i < clients; i++) {
            DnsAction.Reply<String> r = all.replies().get(i);
            assertEquals(i == 0 ? "cli" : "cli" + i, r.client());
            Message m = DnsFixtures.parse(r.wire());
            assertEquals(0x0A00 + i, m.getHeader().getID());
            String expected = i == 0 ? "same.example.test." : i % 2 == 0 ? "SAME.example.test." : "same.EXAMPLE.Test.";
            assertEquals(expected, m.getQuestion().getName().toString());
            assertEquals(i != 0 && i % 3 == 0, m.getOPT() == null);
            assertEquals(1, m.getSection(Section.ANSWER).size());
        }
        assertEquals(0, resolver.inFlight());
        assertEquals(1, resolver.cacheSize());
    }

    @Test
    void otherDoOrCdBitsAreOtherQuestionsAndJoinedClientsAllGetServfailOnTimeout() {
        byte[] plain = DnsFixtures.query(0x0B01, "slow2.example.test", Type.A, 1232, false);
        byte[] withDo = DnsFixtures.query(0x0B02, "slow2.example.test", Type.A, 1232, true);
        byte[] noCd = plain.clone();
        noCd[3] &= (byte) ~0x10;
        forwarded(T0, plain);
        forwarded(T0, withDo);
        forwarded(T0, noCd);
        assertInstanceOf(DnsAction.Joined.class, resolver.onQuery(T0, "late", Transport.TCP, plain));
        List<DnsAction<String>> expired = resolver.onTick(T0 + 2 * SEC);
        assertEquals(3, expired.size());
        DnsAction.Replies<String> both = assertInstanceOf(DnsAction.Replies.class, expired.get(0));
        assertEquals(Transport.TCP, both.replies().get(1).transport());
        for (DnsAction.Reply<String> r : both.replies()) {
            assertEquals(Rcode.SERVFAIL, DnsFixtures.parse(r.wire()).getRcode());
        }
        assertEquals(4, counters.servfailReplies());
        assertEquals(0, resolver.inFlight());
    }

    @Test
    void joinedQueriesCountAgainstTheInFlightLimit() {
        byte[] q = DnsFixtures.query(0x0C00, "crowd.example.test", Type.A, -1, false);
        forwarded(T0, q);
        for (int i = 1; i < 64; i++) {
            assertInstanceOf(DnsAction.Joined.class, resolver.onQuery(T0, "c", Transport.UDP, q));
        }
        assertEquals(Rcode.SERVFAIL, replied(resolver.onQuery(T0, "c", Transport.UDP,
                DnsFixtures.query(0x0C01, "other.example.test", Type.A, -1, false))).getRcode());
        assertEquals(1, counters.drops(DnsDropReason.IN_FLIGHT_FULL));
    }

    /**
     * RFC 2181 §9: TC set means the answer is incomplete. A truncated answer over TCP (the message
     * limit) cannot be retried; relayed, it must still say it is truncated, or the client takes a
     * partial RRset for the whole one.
     */
    @Test
    void aTruncatedAnswerOverTcpReachesTheClientWithTcSet() {
        UpstreamSend tcp = retriedOverTcp(DnsFixtures.query(0x0D0D, "partial.example.test", Type.A, 1232, false));
        Message partial = DnsFixtures.response(tcp.wire(), 0, new Record[] {a("partial.example.test", 300, "10.0.0.13")},
                new Record[0]);
        partial.getHeader().setFlag(Flags.TC);
        Message m = replied(resolver.onUpstream(T0, Forwarder.TCP_SOCKET, DnsFixtures.UPSTREAM_A, Transport.TCP,
                partial.toWire()));
        assertTrue(m.getHeader().getFlag(Flags.TC), "the client learns the answer is incomplete");
        assertEquals(0, resolver.cacheSize());
    }

    /**
     * Mutated answers that pass the id and source checks reach dnsjava, the cache policy and the
     * template: whatever they hold, the resolver never throws, and the client gets exactly one
     * reply (answer or SERVFAIL) unless the message is dropped and the query keeps waiting.
     */
    @Test
    void mutatedAnswersFromTheRightUpstreamNeverThrow() {
        SplittableRandom rnd = new SplittableRandom(53);
        int[] types = {Type.A, Type.AAAA, Type.TXT, Type.MX, Type.SRV, Type.CNAME, Type.PTR, Type.NS, Type.SOA,
            Type.CAA, Type.HTTPS, Type.SVCB, Type.DS, Type.DNSKEY, Type.RRSIG, Type.NSEC, Type.NSEC3, Type.TLSA,
            Type.NAPTR, Type.LOC, Type.WKS, Type.APL, Type.SSHFP, Type.HINFO, 65280};
        int replies = 0;
        for (int i = 0; i < 4_000; i++) {
            int type = types[rnd.nextInt(types.length)];
            byte[] q = DnsFixtures.query(i & 0xFFFF, "m" + i + ".example.test", type, rnd.nextBoolean() ? 1232 : -1,
                    rnd.nextBoolean());
            DnsAction<String> sent = resolver.onQuery(T0 + i * SEC, "cli", Transport.UDP, q);
            if (!(sent instanceof DnsAction.Send<String> send)) {
                continue;
            }
            int rdlength = rnd.nextInt(0, 40);
            int[] rdata = new int[rdlength];
            for (int k = 0; k < rdlength; k++) {
                rdata[k] = rnd.nextInt(3) == 0 ? rnd.nextInt(4) : rnd.nextInt(256);
            }
            byte[] wire = rawAnswer(send.send(), type, rnd.nextLong(0, 1L << 32), rdata);
            for (int flips = rnd.nextInt(0, 3); flips > 0; flips--) {
                int at = rnd.nextInt(12 + 2, wire.length); // keep the id (a forger's mutation is not the question)
                wire[at] = (byte) rnd.nextInt(256);
            }
            wire[2] |= (byte) 0x80;
            DnsAction<String> a = upstream(T0 + i * SEC, send.send(), wire);
            if (a instanceof DnsAction.Reply) {
                replies++;
            }
            resolver.onTick(T0 + i * SEC + 5 * SEC); // anything left waiting gives up
        }
        assertTrue(replies > 500, "answers got through: " + replies);
        assertEquals(0, resolver.inFlight());
    }
}
