package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The forwarder's side of per-attempt upstream sockets (RFC 5452 §9.2), with a fake clock: every UDP
 * attempt names a socket of its own, and every way an attempt ends hands that socket back to be
 * closed, exactly once; a forged message leaves it open.
 */
class UpstreamSocketsTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 777 * MS;
    private final Forwarder<String> fwd = new Forwarder<>(new ForwarderSettings(100, Duration.ofMillis(500), 3),
            new SplittableRandom(11));
    private final List<InetSocketAddress> two = List.of(DnsFixtures.UPSTREAM_A, DnsFixtures.UPSTREAM_B);

    private UpstreamSend start(String name) {
        ClientQuery q = ((QueryParseResult.Parsed) QueryParser.parse(
                DnsFixtures.query(1, name, Type.A, 1232, false))).query();
        return assertInstanceOf(ForwardResult.Sent.class, fwd.start(T0, "c", Transport.UDP, q, two)).send();
    }

    private List<Integer> closed() {
        List<Integer> out = new ArrayList<>();
        fwd.drainClosed(out::add);
        return out;
    }

    private static byte[] answer(UpstreamSend s, String name) {
        Record a = new ARecord(DnsFixtures.name(name), DClass.IN, 300, DnsFixtures.ip("10.1.2.3"));
        return DnsFixtures.response(s.wire(), 0, new Record[] {a}, new Record[0]).toWire();
    }

    @Test
    void eachAttemptHasItsOwnSocketAndTheAnswerClosesIt() {
        UpstreamSend a = start("a.example.test");
        UpstreamSend b = start("b.example.test");
        assertNotEquals(a.socket(), b.socket());
        assertEquals(2, fwd.openSockets());
        assertEquals(List.of(), closed(), "nothing ended yet");
        assertInstanceOf(UpstreamResult.Answered.class,
                fwd.onResponse(T0 + MS, a.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, answer(a, "a.example.test")));
        assertEquals(List.of(a.socket()), closed());
        assertEquals(List.of(), closed(), "drained once");
        assertEquals(1, fwd.openSockets());
    }

    @Test
    void forgedMessagesLeaveTheSocketOpenAndTheRightIdIsStillNeeded() {
        UpstreamSend s = start("a.example.test");
        byte[] good = answer(s, "a.example.test");
        byte[] wrongId = good.clone();
        DnsWire.put16(wrongId, 0, DnsWire.u16(good, 0) ^ 0x0100);
        assertEquals(DnsDropReason.UPSTREAM_UNKNOWN_ID, assertInstanceOf(UpstreamResult.Dropped.class,
                fwd.onResponse(T0, s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, wrongId)).reason());
        for (int socket : new int[] {0, -5, Forwarder.TCP_SOCKET, s.socket() + 1, Integer.MAX_VALUE}) {
            assertEquals(DnsDropReason.UPSTREAM_UNKNOWN_ID, assertInstanceOf(UpstreamResult.Dropped.class,
                    fwd.onResponse(T0, socket, DnsFixtures.UPSTREAM_A, Transport.UDP, good)).reason(), "socket " + socket);
        }
        assertEquals(DnsDropReason.UPSTREAM_WRONG_SOURCE, assertInstanceOf(UpstreamResult.Dropped.class,
                fwd.onResponse(T0, s.socket(), DnsFixtures.sock("192.0.2.53", 5353), Transport.UDP, good)).reason());
        assertEquals(List.of(), closed(), "a forger cannot close the socket");
        assertInstanceOf(UpstreamResult.Answered.class,
                fwd.onResponse(T0, s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, good));
        assertEquals(List.of(s.socket()), closed());
    }

    @Test
    void timeoutClosesTheSocketAndTheRetryGetsAFreshOne() {
        UpstreamSend first = start("a.example.test");
        assertEquals(List.of(), fwd.expire(T0 + 499 * MS));
        assertEquals(List.of(), closed());
        UpstreamSend second = assertInstanceOf(UpstreamResult.Resend.class, fwd.expire(T0 + 500 * MS).get(0)).send();
        assertEquals(List.of(first.socket()), closed());
        assertNotEquals(first.socket(), second.socket());
        assertNotEquals(DnsWire.u16(first.wire(), 0), DnsWire.u16(second.wire(), 0), "fresh id too (seeded)");
        UpstreamSend third = assertInstanceOf(UpstreamResult.Resend.class, fwd.expire(T0 + 1000 * MS).get(0)).send();
        assertEquals(List.of(second.socket()), closed());
        assertInstanceOf(UpstreamResult.GaveUp.class, fwd.expire(T0 + 1500 * MS).get(0));
        assertEquals(List.of(third.socket()), closed());
        assertEquals(0, fwd.openSockets());
        assertEquals(0, fwd.inFlight());
    }

    @Test
    void truncationClosesTheUdpSocketAndTcpNeedsNone() {
        UpstreamSend s = start("a.example.test");
        Message tc = DnsFixtures.response(s.wire(), 0, new Record[0], new Record[0]);
        tc.getHeader().setFlag(Flags.TC);
        UpstreamSend tcp = assertInstanceOf(UpstreamResult.Resend.class,
                fwd.onResponse(T0, s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, tc.toWire())).send();
        assertEquals(Forwarder.TCP_SOCKET, tcp.socket());
        assertEquals(List.of(s.socket()), closed());
        assertEquals(0, fwd.openSockets(), "the TCP attempt holds no UDP socket");
        assertInstanceOf(UpstreamResult.Answered.class, fwd.onResponse(T0 + MS, Forwarder.TCP_SOCKET,
                DnsFixtures.UPSTREAM_A, Transport.TCP, answer(tcp, "a.example.test")));
        assertEquals(List.of(), closed());
    }

    @Test
    void aSocketTheShellCouldNotOpenMovesTheQueryOn() {
        UpstreamSend s = start("a.example.test");
        UpstreamSend next = assertInstanceOf(UpstreamResult.Resend.class, fwd.sendFailed(T0, s)).send();
        assertEquals(DnsFixtures.UPSTREAM_B, next.upstream());
        assertEquals(List.of(s.socket()), closed());
        assertEquals(DnsDropReason.UPSTREAM_UNKNOWN_ID, assertInstanceOf(UpstreamResult.Dropped.class,
                fwd.sendFailed(T0, s)).reason(), "reported twice: the second is stale");
        assertEquals(List.of(), closed());
        assertEquals(1, fwd.openSockets());
    }

    @Test
    void socketsInUseAreBoundedByTheInFlightLimitAndNumbersAreNotReused() {
        Set<Integer> seen = new HashSet<>();
        List<UpstreamSend> sends = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sends.add(start("n" + i + ".example.test"));
        }
        ClientQuery more = ((QueryParseResult.Parsed) QueryParser.parse(
                DnsFixtures.query(1, "more.example.test", Type.A, 1232, false))).query();
        assertEquals(DnsDropReason.IN_FLIGHT_FULL, assertInstanceOf(ForwardResult.Rejected.class,
                fwd.start(T0, "c", Transport.UDP, more, two)).reason());
        assertEquals(100, fwd.openSockets());
        for (UpstreamSend s : sends) {
            assertTrue(seen.add(s.socket()));
        }
        // Attempts expire and retry: the old sockets are closed, the new ones never reuse a number in use.
        fwd.expire(T0 + 500 * MS);
        List<Integer> closedNow = closed();
        assertEquals(100, closedNow.size());
        assertEquals(100, fwd.openSockets());
        assertTrue(closedNow.containsAll(seen));
    }
}
