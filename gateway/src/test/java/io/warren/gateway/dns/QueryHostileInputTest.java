package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Hostile client queries, one row each, with what RFC 1035 §4.1, RFC 6891 and RFC 9619 say the
 * server must do: parse, an error reply (with which RCODE, and whether the question is echoed), or
 * a silent drop. Each row also goes through the whole {@link DnsResolver}: a response (QR=1) is
 * never answered, and every outcome is counted.
 */
class QueryHostileInputTest {
    private static final int A = 1;
    private static final int IN = 1;
    private static final int RD = DnsWire.FLAG_RD;

    /** What the server must do with a row. */
    private record Expect(DnsDropReason reason, int rcode, boolean question) {
        static Expect drop(DnsDropReason r) {
            return new Expect(r, -1, false);
        }

        static Expect error(DnsDropReason r, int rcode, boolean question) {
            return new Expect(r, rcode, question);
        }

        static Expect parsed() {
            return new Expect(null, -1, true);
        }
    }

    private static Arguments row(String what, byte[] wire, Expect e) {
        return Arguments.of(what, wire, e);
    }

    private static HostileWire q(int ar) {
        return HostileWire.query(0x5A5A, ar);
    }

    static Stream<Arguments> rows() {
        String label63 = "x".repeat(63);
        String name255 = label63 + "." + label63 + "." + label63 + "." + "y".repeat(61); // 64*3 + 62 + 1 = 255
        String name256 = label63 + "." + label63 + "." + label63 + "." + "y".repeat(62);
        return Stream.of(
                row("empty datagram", new byte[0], Expect.drop(DnsDropReason.SHORT_HEADER)),
                row("11 bytes", new byte[11], Expect.drop(DnsDropReason.SHORT_HEADER)),
                row("header of a response, nothing else", HostileWire.header(1, 0x8180, 0, 0, 0, 0).bytes(),
                        Expect.drop(DnsDropReason.QR_SET)),
                row("a whole response sent to us (reflection)", HostileWire.header(1, 0x8180, 1, 1, 0, 0)
                        .question("a.test", A, IN).u8(0xC0, 12).u16(A).u16(IN).u32(60).u16(4).u8(10, 0, 0, 1).bytes(),
                        Expect.drop(DnsDropReason.QR_SET)),
                row("a NOTIFY response", HostileWire.header(1, 0x8000 | (4 << 11), 1, 0, 0, 0)
                        .question("a.test", 6, IN).bytes(), Expect.drop(DnsDropReason.QR_SET)),
                row("a response with a broken body", HostileWire.header(1, 0x8000, 5, 5, 5, 5).u8(0xC0, 12).bytes(),
                        Expect.drop(DnsDropReason.QR_SET)),
                row("IQUERY", HostileWire.header(1, RD | (1 << 11), 1, 0, 0, 0).question("a.test", A, IN).bytes(),
                        Expect.error(DnsDropReason.NOT_IMPLEMENTED, Rcode.NOTIMP, false)),
                row("STATUS", HostileWire.header(1, 2 << 11, 1, 0, 0, 0).question("a.test", A, IN).bytes(),
                        Expect.error(DnsDropReason.NOT_IMPLEMENTED, Rcode.NOTIMP, false)),
                row("NOTIFY", HostileWire.header(1, 4 << 11, 1, 0, 0, 0).question("a.test", 6, IN).bytes(),
                        Expect.error(DnsDropReason.NOT_IMPLEMENTED, Rcode.NOTIMP, false)),
                row("UPDATE", HostileWire.header(1, 5 << 11, 1, 0, 0, 0).question("a.test", 6, IN).bytes(),
                        Expect.error(DnsDropReason.NOT_IMPLEMENTED, Rcode.NOTIMP, false)),
                row("opcode 15, garbage body", HostileWire.header(1, 15 << 11, 9, 9, 9, 9).u8(0xFF).bytes(),
                        Expect.error(DnsDropReason.NOT_IMPLEMENTED, Rcode.NOTIMP, false)),
                row("QDCOUNT 0", HostileWire.header(1, RD, 0, 0, 0, 0).bytes(),
                        Expect.error(DnsDropReason.BAD_QDCOUNT, Rcode.FORMERR, false)),
                row("QDCOUNT 2", HostileWire.header(1, RD, 2, 0, 0, 0).question("a.test", A, IN)
                        .question("b.test", A, IN).bytes(), Expect.error(DnsDropReason.BAD_QDCOUNT, Rcode.FORMERR, false)),
                row("QDCOUNT 65535", HostileWire.header(1, RD, 0xFFFF, 0, 0, 0).question("a.test", A, IN).bytes(),
                        Expect.error(DnsDropReason.BAD_QDCOUNT, Rcode.FORMERR, false)),
                row("question is a pointer to itself", q(0).u8(0xC0, 12).u16(A).u16(IN).bytes(),
                        Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)),
                row("pointer loop of two", q(0).u8(1, 'a', 0xC0, 12).u16(A).u16(IN).bytes(),
                        Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)),
                row("forward pointer", q(0).u8(1, 'a', 0xC0, 18, 0, 0, 1, 'b', 0).u16(A).u16(IN).bytes(),
                        Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)),
                row("pointer past the end", q(0).u8(0xC0, 0xFF).u16(A).u16(IN).bytes(),
                        Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)),
                row("pointer cut after its first byte", q(0).u8(1, 'a', 0xC0).bytes(),
                        Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)),
                row("label type 01 (extended, RFC 6891 §5)", q(0).u8(0x41, 0, 0).u16(A).u16(IN).bytes(),
                        Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)),
                row("label type 10 (reserved)", q(0).u8(0x80, 0).u16(A).u16(IN).bytes(),
                        Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)),
                row("label of 64 bytes", q(0).question("z".repeat(64) + ".test", A, IN).bytes(),
                        Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)),
                row("label of 63 bytes", q(0).question(label63 + ".test", A, IN).bytes(), Expect.parsed()),
                row("name of 255 bytes", q(0).question(name255, A, IN).bytes(), Expect.parsed()),
                row("name of 256 bytes", q(0).question(name256, A, IN).bytes(),
                        Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)),
                row("name without its root label", q(0).u8(1, 'a', 1, 'b').bytes(),
                        Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)),
                row("question cut in the class", q(0).name("a.test").u16(A).u8(0).bytes(),
                        Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)),
                row("ARCOUNT 1, nothing there", q(1).question("a.test", A, IN).bytes(),
                        Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)),
                row("OPT whose RDLENGTH runs past the end", q(1).question("a.test", A, IN).u8(0).u16(41).u16(1232)
                        .u32(0).u16(40).u8(0, 10, 0, 4).bytes(), Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)),
                row("two OPT RRs (RFC 6891 §6.1.1)", q(2).question("a.test", A, IN).opt(1232, 0, 0, 0)
                        .opt(1232, 0, 0, 0).bytes(), Expect.error(DnsDropReason.MULTIPLE_OPT, Rcode.FORMERR, false)),
                row("OPT version 1", q(1).question("a.test", A, IN).opt(1232, 0, 1, 0).bytes(),
                        Expect.error(DnsDropReason.BAD_EDNS_VERSION, Rcode.BADVERS, true)),
                row("OPT version 255", q(1).question("a.test", A, IN).opt(1232, 0, 255, 0).bytes(),
                        Expect.error(DnsDropReason.BAD_EDNS_VERSION, Rcode.BADVERS, true)),
                row("OPT payload 65535", q(1).question("a.test", A, IN).opt(65535, 0, 0, 0).bytes(), Expect.parsed()),
                row("OPT payload 0", q(1).question("a.test", A, IN).opt(0, 0, 0, 0).bytes(), Expect.parsed()),
                row("OPT with a cookie option (RFC 7873)", q(1).question("a.test", A, IN).u8(0).u16(41).u16(1232)
                        .u32(0).u16(12).u16(10).u16(8).u32(0x01020304).u32(0x05060708).bytes(), Expect.parsed()),
                row("OPT with a cut option", q(1).question("a.test", A, IN).u8(0).u16(41).u16(1232)
                        .u32(0).u16(6).u16(10).u16(8).u16(0x0102).bytes(),
                        Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)),
                row("OPT in the answer section (RFC 6891 §6.1.1)", HostileWire.header(1, RD, 1, 1, 0, 0)
                        .question("a.test", A, IN).opt(1232, 0, 0, 0).bytes(),
                        Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)),
                row("OPT in the authority section", HostileWire.header(1, RD, 1, 0, 1, 0)
                        .question("a.test", A, IN).opt(1232, 0, 0, 0).bytes(),
                        Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)),
                row("OPT with an owner other than the root (RFC 6891 §6.1.2)", q(1).question("a.test", A, IN)
                        .name("a.test").u16(41).u16(1232).u32(0).u16(0).bytes(),
                        Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)),
                row("class CH", q(0).question("version.bind", 16, 3).bytes(),
                        Expect.error(DnsDropReason.REFUSED_QCLASS, Rcode.REFUSED, true)),
                row("class ANY", q(0).question("a.test", A, 255).bytes(),
                        Expect.error(DnsDropReason.REFUSED_QCLASS, Rcode.REFUSED, true)),
                row("class NONE", q(0).question("a.test", A, 254).bytes(),
                        Expect.error(DnsDropReason.REFUSED_QCLASS, Rcode.REFUSED, true)),
                row("class IN with the mDNS unicast bit", q(0).question("a.test", A, 0x8001).bytes(),
                        Expect.error(DnsDropReason.REFUSED_QCLASS, Rcode.REFUSED, true)),
                row("AXFR", q(0).question("a.test", 252, IN).bytes(),
                        Expect.error(DnsDropReason.REFUSED_QTYPE, Rcode.REFUSED, true)),
                row("IXFR", q(0).question("a.test", 251, IN).bytes(),
                        Expect.error(DnsDropReason.REFUSED_QTYPE, Rcode.REFUSED, true)),
                row("QTYPE OPT", q(0).question("a.test", 41, IN).bytes(),
                        Expect.error(DnsDropReason.REFUSED_QTYPE, Rcode.REFUSED, true)),
                row("0x20 mixed case", q(0).question("wWw.ExAmPlE.tEsT", A, IN).bytes(), Expect.parsed()),
                row("TC set in a whole query", HostileWire.header(1, RD | DnsWire.FLAG_TC, 1, 0, 0, 0)
                        .question("a.test", A, IN).bytes(), Expect.parsed()),
                row("TC set, question cut", HostileWire.header(1, RD | DnsWire.FLAG_TC, 1, 0, 0, 0)
                        .u8(1, 'a').bytes(), Expect.error(DnsDropReason.MALFORMED, Rcode.FORMERR, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void parserDoesWhatTheRfcsSay(String what, byte[] wire, Expect e) {
        QueryParseResult r = QueryParser.parse(wire);
        if (e.reason() == null) {
            ClientQuery c = assertInstanceOf(QueryParseResult.Parsed.class, r, what).query();
            assertEquals(IN, c.dclass());
            assertTrue(c.udpLimit() >= 512 && c.udpLimit() <= 1232);
            return;
        }
        if (e.rcode() < 0) {
            assertEquals(e.reason(), assertInstanceOf(QueryParseResult.Dropped.class, r, what).reason());
            return;
        }
        QueryParseResult.ErrorReply reply = assertInstanceOf(QueryParseResult.ErrorReply.class, r, what);
        assertEquals(e.reason(), reply.reason());
        Message m = DnsFixtures.parse(reply.wire());
        assertEquals(DnsWire.u16(wire, 0), m.getHeader().getID(), "id echoed");
        assertEquals(true, (DnsWire.u16(reply.wire(), 2) & DnsWire.FLAG_QR) != 0, "QR set");
        assertEquals((DnsWire.u16(wire, 2) >>> 11) & 0xF, m.getHeader().getOpcode(), "opcode echoed");
        assertEquals(e.rcode(), m.getRcode());
        assertEquals(e.question() ? 1 : 0, m.getHeader().getCount(0), "question echoed");
        assertTrue(reply.wire().length <= Math.max(wire.length, DnsWire.HEADER_LENGTH) + DnsWire.OPT_LENGTH,
                "an error reply is no amplifier");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void resolverCountsEveryRowAndNeverAnswersAResponse(String what, byte[] wire, Expect e) {
        DnsCounters counters = new DnsCounters();
        DnsResolver<String> resolver = new DnsResolver<>(new LocalZone(5, 60),
                new UpstreamSelector(List.of(DnsFixtures.UPSTREAM_A), Map.of()), 100,
                new ForwarderSettings(64, Duration.ofSeconds(1), 2), new SplittableRandom(1), counters);
        for (Transport t : Transport.values()) {
            DnsAction<String> a = resolver.onQuery(1_000_000_000L, "c", t, wire);
            if (e.reason() == null) {
                // The TCP copy asks what the UDP one is already asking: it joins it (RFC 5452 §5).
                assertEquals(t == Transport.UDP ? DnsAction.Send.class : DnsAction.Joined.class, a.getClass(), what);
            } else if (e.rcode() < 0) {
                assertEquals(e.reason(), assertInstanceOf(DnsAction.Drop.class, a, what).reason());
            } else {
                assertInstanceOf(DnsAction.Reply.class, a, what);
            }
        }
        if (e.reason() != null) {
            assertEquals(2, counters.drops(e.reason()));
        }
        assertEquals(1, counters.queriesUdp());
        assertEquals(1, counters.queriesTcp());
    }

    @Test
    void noResponseIsEverAnsweredWhateverElseItCarries() {
        SplittableRandom rnd = new SplittableRandom(20261125);
        DnsResolver<String> resolver = new DnsResolver<>(new LocalZone(5, 60),
                new UpstreamSelector(List.of(DnsFixtures.UPSTREAM_A), Map.of()), 100,
                new ForwarderSettings(64, Duration.ofSeconds(1), 2), new SplittableRandom(1), new DnsCounters());
        byte[] seed = DnsFixtures.query(1, "a.test", A, 1232, true);
        for (int i = 0; i < 20_000; i++) {
            byte[] p = seed.clone();
            for (int k = rnd.nextInt(4); k > 0; k--) {
                p[rnd.nextInt(p.length)] = (byte) rnd.nextInt(256);
            }
            p[2] |= (byte) 0x80;
            assertInstanceOf(DnsAction.Drop.class, resolver.onQuery(i, "c", Transport.UDP, p));
        }
        assertNull(FastQuery.match(HostileWire.header(1, 0x8100, 1, 0, 0, 0).question("a.test", A, IN).bytes()));
    }

    /**
     * RFC 6891 §7: a responder MUST include an OPT in its response to a request that had one; RFC
     * 3225 §3: the DO bit MUST be copied; RFC 4035 §3.2.2: the CD bit MUST be copied. Refusals of a
     * well-formed EDNS query are responses like any other.
     */
    @Test
    void refusalsOfAnEdnsQueryCarryAnOptWithTheClientsDoBit() {
        int cd = DnsWire.FLAG_CD;
        byte[][] refused = {
            HostileWire.header(7, RD | cd, 1, 0, 0, 1).question("version.bind", 16, 3).opt(4096, 0, 0, 0x8000).bytes(),
            HostileWire.header(8, RD | cd, 1, 0, 0, 1).question("zone.test", 252, IN).opt(1232, 0, 0, 0x8000).bytes(),
        };
        for (byte[] q : refused) {
            QueryParseResult.ErrorReply e = assertInstanceOf(QueryParseResult.ErrorReply.class, QueryParser.parse(q));
            Message m = DnsFixtures.parse(e.wire());
            assertEquals(Rcode.REFUSED, m.getRcode());
            assertTrue(m.getOPT() != null, "OPT in the reply");
            assertEquals(0, m.getOPT().getVersion());
            assertEquals(DnsWire.EDNS_UDP_SIZE, m.getOPT().getPayloadSize());
            assertEquals(DnsWire.EDNS_FLAG_DO, m.getOPT().getFlags() & DnsWire.EDNS_FLAG_DO, "DO copied");
        }
        byte[] version1 = HostileWire.query(10, 1).question("a.test", A, IN).opt(1232, 0, 1, 0x8000).bytes();
        Message badvers = DnsFixtures.parse(assertInstanceOf(QueryParseResult.ErrorReply.class,
                QueryParser.parse(version1)).wire());
        assertEquals(Rcode.BADVERS, badvers.getRcode());
        assertEquals(DnsWire.EDNS_FLAG_DO, badvers.getOPT().getFlags() & DnsWire.EDNS_FLAG_DO, "BADVERS copies DO");
        byte[] noEdns = HostileWire.query(9, 0).question("version.bind", 16, 3).bytes();
        QueryParseResult.ErrorReply e = assertInstanceOf(QueryParseResult.ErrorReply.class, QueryParser.parse(noEdns));
        assertNull(DnsFixtures.parse(e.wire()).getOPT(), "no OPT for a client without EDNS");
    }

    @Test
    void everyErrorReplyCopiesTheCdBit() {
        int cd = DnsWire.FLAG_CD;
        byte[][] errors = {
            HostileWire.header(1, RD | cd | (2 << 11), 1, 0, 0, 0).question("a.test", A, IN).bytes(),
            HostileWire.header(2, RD | cd, 0, 0, 0, 0).bytes(),
            HostileWire.header(3, RD | cd, 1, 0, 0, 0).u8(0xC0, 12).bytes(),
            HostileWire.header(4, RD | cd, 1, 0, 0, 1).question("a.test", A, IN).opt(1232, 0, 1, 0).bytes(),
            HostileWire.header(5, RD | cd, 1, 0, 0, 0).question("a.test", A, 3).bytes(),
        };
        for (byte[] q : errors) {
            QueryParseResult.ErrorReply e = assertInstanceOf(QueryParseResult.ErrorReply.class, QueryParser.parse(q));
            assertEquals(cd, DnsWire.u16(e.wire(), 2) & cd, () -> e.reason() + ": CD copied");
            assertEquals(RD, DnsWire.u16(e.wire(), 2) & RD, () -> e.reason() + ": RD copied");
        }
    }
}
