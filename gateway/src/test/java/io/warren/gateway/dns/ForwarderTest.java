package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The forwarding state machine with a fake clock and a seeded random source. */
class ForwarderTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 123_456 * MS;
    private static final ForwarderSettings SETTINGS = new ForwarderSettings(8, Duration.ofMillis(700), 3);
    private final Forwarder<String> fwd = new Forwarder<>(SETTINGS, new SplittableRandom(42));
    private final ClientQuery query = ((QueryParseResult.Parsed) QueryParser.parse(
            DnsFixtures.query(0x1357, "Host.Example.Test", Type.A, 1232, true))).query();
    private final List<InetSocketAddress> two = List.of(DnsFixtures.UPSTREAM_A, DnsFixtures.UPSTREAM_B);

    private UpstreamSend start() {
        return assertInstanceOf(ForwardResult.Sent.class, fwd.start(T0, "client-1", Transport.UDP, query, two)).send();
    }

    private static byte[] answer(UpstreamSend s, int rcode) {
        Record a = new ARecord(DnsFixtures.name("host.example.test"), DClass.IN, 300, DnsFixtures.ip("10.1.2.3"));
        return DnsFixtures.response(s.wire(), rcode, new Record[] {a}, new Record[0]).toWire();
    }

    @Test
    void upstreamQueryCarriesRandomIdEdnsAndClientBits() {
        UpstreamSend s = start();
        Message m = DnsFixtures.parse(s.wire());
        assertNotEquals(0x1357, m.getHeader().getID(), "never the client's id");
        assertTrue(m.getHeader().getFlag(Flags.RD));
        assertTrue(m.getHeader().getFlag(Flags.CD));
        assertEquals(1232, m.getOPT().getPayloadSize());
        assertEquals(0x8000, m.getOPT().getFlags(), "DO passed on");
        assertEquals(DnsFixtures.UPSTREAM_A, s.upstream());
        assertEquals(Transport.UDP, s.transport());
        assertTrue(s.socket() > 0, "a socket of its own");
        Set<Integer> ids = new HashSet<>();
        Set<Integer> sockets = new HashSet<>();
        Forwarder<String> big = new Forwarder<>(new ForwarderSettings(4096, Duration.ofSeconds(1), 3),
                new SplittableRandom(7));
        for (int i = 0; i < 1000; i++) {
            ClientQuery each = ((QueryParseResult.Parsed) QueryParser.parse(
                    DnsFixtures.query(i, "n" + i + ".example.test", Type.A, -1, false))).query();
            UpstreamSend x = ((ForwardResult.Sent) big.start(T0, "c", Transport.UDP, each, two)).send();
            ids.add(DnsWire.u16(x.wire(), 0));
            sockets.add(x.socket());
        }
        assertTrue(ids.size() > 980, "ids spread: " + ids.size());
        assertEquals(1000, sockets.size(), "one socket per attempt in flight");
        assertEquals(1000, big.openSockets());
    }

    @Test
    void matchingAnswerIsAcceptedWithLatency() {
        UpstreamSend s = start();
        UpstreamResult.Answered<String> a = assertInstanceOf(UpstreamResult.Answered.class,
                fwd.onResponse(T0 + 3 * MS, s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, answer(s, 0)));
        assertEquals("client-1", a.client());
        assertEquals(3 * MS, a.latencyNanos());
        assertEquals(0, fwd.inFlight());
        assertInstanceOf(UpstreamResult.Dropped.class,
                fwd.onResponse(T0 + 4 * MS, s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, answer(s, 0)),
                "a duplicate is unknown now");
    }

    @Test
    void forgedAnswersAreDroppedAndDoNotCancelTheQuery() {
        UpstreamSend s = start();
        byte[] good = answer(s, 0);
        byte[] wrongId = good.clone();
        DnsWire.put16(wrongId, 0, DnsWire.u16(good, 0) ^ 1);
        byte[] otherName = DnsFixtures.response(DnsFixtures.query(DnsWire.u16(good, 0), "evil.example.test", Type.A,
                -1, false), 0, new Record[0], new Record[0]).toWire();
        byte[] otherType = DnsFixtures.response(DnsFixtures.query(DnsWire.u16(good, 0), "host.example.test",
                Type.AAAA, -1, false), 0, new Record[0], new Record[0]).toWire();
        byte[] notResponse = good.clone();
        notResponse[2] &= 0x7F;
        int otherSocket = s.socket() + 1;
        Object[][] table = {
            {s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, wrongId, DnsDropReason.UPSTREAM_UNKNOWN_ID},
            {otherSocket, DnsFixtures.UPSTREAM_A, Transport.UDP, good, DnsDropReason.UPSTREAM_UNKNOWN_ID},
            {Forwarder.TCP_SOCKET, DnsFixtures.UPSTREAM_A, Transport.TCP, good, DnsDropReason.UPSTREAM_UNKNOWN_ID},
            {s.socket(), DnsFixtures.sock("192.0.2.53", 54), Transport.UDP, good, DnsDropReason.UPSTREAM_WRONG_SOURCE},
            {s.socket(), DnsFixtures.sock("192.0.2.54", 53), Transport.UDP, good, DnsDropReason.UPSTREAM_WRONG_SOURCE},
            {s.socket(), DnsFixtures.UPSTREAM_B, Transport.UDP, good, DnsDropReason.UPSTREAM_WRONG_SOURCE},
            {s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, otherName, DnsDropReason.UPSTREAM_QUESTION_MISMATCH},
            {s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, otherType, DnsDropReason.UPSTREAM_QUESTION_MISMATCH},
            {s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, notResponse, DnsDropReason.UPSTREAM_NOT_RESPONSE},
            {s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, new byte[5], DnsDropReason.UPSTREAM_MALFORMED},
            {s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, java.util.Arrays.copyOf(good, 20),
                DnsDropReason.UPSTREAM_MALFORMED},
        };
        for (Object[] row : table) {
            UpstreamResult<String> r = fwd.onResponse(T0, (Integer) row[0], (InetSocketAddress) row[1],
                    (Transport) row[2], (byte[]) row[3]);
            assertEquals(row[4], assertInstanceOf(UpstreamResult.Dropped.class, r).reason(), row[4].toString());
            assertEquals(1, fwd.inFlight());
        }
        assertInstanceOf(UpstreamResult.Answered.class,
                fwd.onResponse(T0, s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, good));
    }

    @Test
    void questionNameMatchesCaseInsensitivelyAndMappedSourcesMatch() {
        UpstreamSend s = start();
        Message m = DnsFixtures.response(s.wire(), 0, new Record[0], new Record[0]);
        m.removeAllRecords(Section.QUESTION);
        m.addRecord(Record.newRecord(DnsFixtures.name("HOST.example.TEST"), Type.A, DClass.IN), Section.QUESTION);
        InetSocketAddress mapped = DnsFixtures.sock("::ffff:192.0.2.53", 53);
        assertInstanceOf(UpstreamResult.Answered.class,
                fwd.onResponse(T0, s.socket(), mapped, Transport.UDP, m.toWire()));
    }

    @Test
    void timeoutMovesToTheNextUpstreamThenGivesUp() {
        UpstreamSend first = start();
        assertEquals(List.of(), fwd.expire(T0 + 699 * MS));
        UpstreamResult.Resend<String> second = assertInstanceOf(UpstreamResult.Resend.class,
                fwd.expire(T0 + 700 * MS).get(0));
        assertEquals(DnsFixtures.UPSTREAM_B, second.send().upstream());
        assertInstanceOf(UpstreamResult.Dropped.class, fwd.onResponse(T0 + 710 * MS, first.socket(),
                DnsFixtures.UPSTREAM_A, Transport.UDP, answer(first, 0)), "late answer to the old attempt");
        UpstreamResult.Resend<String> third = assertInstanceOf(UpstreamResult.Resend.class,
                fwd.expire(T0 + 1400 * MS).get(0));
        assertEquals(DnsFixtures.UPSTREAM_A, third.send().upstream(), "cycles back");
        UpstreamResult.GaveUp<String> g = assertInstanceOf(UpstreamResult.GaveUp.class,
                fwd.expire(T0 + 2100 * MS).get(0));
        assertEquals(DnsDropReason.UPSTREAM_TIMEOUT, g.reason());
        assertEquals("client-1", g.client());
        assertEquals(0, fwd.inFlight());
    }

    @Test
    void truncatedUdpAnswerIsRetriedOverTcpToTheSameUpstream() {
        UpstreamSend s = start();
        Message tc = DnsFixtures.response(s.wire(), 0, new Record[0], new Record[0]);
        tc.getHeader().setFlag(Flags.TC);
        UpstreamResult.Resend<String> r = assertInstanceOf(UpstreamResult.Resend.class,
                fwd.onResponse(T0, s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, tc.toWire()));
        assertTrue(r.overTcp());
        assertEquals(Transport.TCP, r.send().transport());
        assertEquals(Forwarder.TCP_SOCKET, r.send().socket());
        assertEquals(DnsFixtures.UPSTREAM_A, r.send().upstream());
        assertInstanceOf(UpstreamResult.Answered.class, fwd.onResponse(T0 + MS, Forwarder.TCP_SOCKET,
                DnsFixtures.UPSTREAM_A, Transport.TCP, answer(r.send(), 0)));
    }

    @Test
    void servfailTriesTheNextUpstreamAndTcpConnectFailureToo() {
        UpstreamSend s = start();
        UpstreamResult.Resend<String> r = assertInstanceOf(UpstreamResult.Resend.class,
                fwd.onResponse(T0, s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, answer(s, Rcode.SERVFAIL)));
        assertEquals(DnsFixtures.UPSTREAM_B, r.send().upstream());
        Message tc = DnsFixtures.response(r.send().wire(), 0, new Record[0], new Record[0]);
        tc.getHeader().setFlag(Flags.TC);
        UpstreamSend tcp = ((UpstreamResult.Resend<String>) fwd.onResponse(T0, r.send().socket(),
                DnsFixtures.UPSTREAM_B, Transport.UDP, tc.toWire())).send();
        UpstreamResult.GaveUp<String> g = assertInstanceOf(UpstreamResult.GaveUp.class, fwd.sendFailed(T0, tcp),
                "three attempts used");
        assertEquals(DnsDropReason.UPSTREAM_TIMEOUT, g.reason());
    }

    @Test
    void fullTableAndMissingUpstreamsAreRejected() {
        start();
        for (int i = 1; i < 8; i++) {
            assertInstanceOf(ForwardResult.Joined.class, fwd.start(T0, "client-" + i, Transport.UDP, query, two),
                    "the same question joins the one in flight (RFC 5452 §5)");
        }
        assertEquals(DnsDropReason.IN_FLIGHT_FULL, assertInstanceOf(ForwardResult.Rejected.class,
                fwd.start(T0, "c", Transport.UDP, query, two)).reason());
        assertEquals(DnsDropReason.NO_UPSTREAM, assertInstanceOf(ForwardResult.Rejected.class,
                new Forwarder<String>(SETTINGS, new SplittableRandom(1)).start(T0, "c", Transport.UDP, query,
                        List.of())).reason());
        assertEquals(Name.fromConstantString("Host.Example.Test."), query.name());
    }
}
