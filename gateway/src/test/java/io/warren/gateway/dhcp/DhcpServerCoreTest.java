package io.warren.gateway.dhcp;

import io.warren.gateway.config.DhcpHost;

import java.util.Optional;

import static io.warren.gateway.dhcp.Msgs.LAN;
import static io.warren.gateway.dhcp.Msgs.SERVER;
import static io.warren.gateway.dhcp.Msgs.from;
import static io.warren.gateway.dhcp.Msgs.ip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.config.DhcpPoolConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DhcpServerCoreTest {

    private static final long SEC = 1_000_000_000L;
    private static final DhcpMessageType DISCOVER = DhcpMessageType.DHCPDISCOVER;
    private static final DhcpMessageType REQUEST = DhcpMessageType.DHCPREQUEST;

    private long now = 5_000 * SEC; // the fake clock
    private final List<String> events = new ArrayList<>();
    private DhcpServerCore core = core(List.of(Pools.lan(List.of())), DhcpSettings.defaults());

    private DhcpServerCore core(List<DhcpPoolConfig> pools, DhcpSettings s) {
        return Pools.recordingCore(pools, s, events);
    }

    private DhcpOutcome.Reply reply(DhcpMessage m) {
        return assertInstanceOf(DhcpOutcome.Reply.class, core.handle(m, LAN, now));
    }

    private DhcpNoReplyReason silent(DhcpMessage m) {
        return assertInstanceOf(DhcpOutcome.NoReply.class, core.handle(m, LAN, now)).reason();
    }

    /** DISCOVER then REQUEST(selecting) for client {@code last}; returns the ACK. */
    private DhcpMessage dora(int last) {
        DhcpMessage offer = reply(from(last, DISCOVER).build()).message();
        assertEquals(DhcpMessageType.DHCPOFFER, offer.type());
        DhcpMessage ack = reply(from(last, REQUEST).serverId(SERVER).requested(offer.yiaddr()).build()).message();
        assertEquals(DhcpMessageType.DHCPACK, ack.type());
        assertEquals(offer.yiaddr(), ack.yiaddr());
        return ack;
    }

    @Test
    void discoverOfferRequestAckWithOptionsAndTimers() {
        DhcpOutcome.Reply r = reply(from(1, DISCOVER).prl(1, 3, 6, 15, 42, 121).hostName("Laptop.example").build());
        DhcpMessage offer = r.message();
        assertEquals(DhcpDestination.BROADCAST, r.destination()); // no ciaddr, no giaddr: broadcast (ReplyRouting)
        assertTrue(offer.yiaddr() >= ip("10.9.0.100") && offer.yiaddr() <= ip("10.9.0.109"));
        assertEquals(0x1001, offer.xid());
        assertEquals(SERVER, offer.options().serverId().getAsInt());
        assertEquals(3600, offer.options().leaseTime().getAsInt());
        assertArrayEquals(DhcpText.int32(1800), offer.options().get(DhcpWire.OPT_RENEWAL_TIME).orElseThrow()); // T1 = 0.5
        assertArrayEquals(DhcpText.int32(3150), offer.options().get(DhcpWire.OPT_REBINDING_TIME).orElseThrow()); // T2 = 0.875
        assertArrayEquals(DhcpText.int32(ip("255.255.255.0")), offer.options().get(1).orElseThrow());
        assertArrayEquals(DhcpText.int32(ip("10.9.0.1")), offer.options().get(3).orElseThrow());
        assertEquals("10.9.0.1,10.9.0.2", dotted(offer.options().get(6).orElseThrow()));
        assertEquals("lab.test", new String(offer.options().get(15).orElseThrow()));
        assertEquals("10.9.0.3", dotted(offer.options().get(42).orElseThrow()));
        assertEquals("10:0a:14:0a:09:00:fe", DhcpText.hex(offer.options().get(121).orElseThrow())); // RFC 3442 §2
        assertEquals("laptop", offer.options().hostName().orElseThrow());
        assertEquals(List.of(), r.changes()); // an offer is not journaled

        DhcpOutcome.Reply ack = reply(from(1, REQUEST).serverId(SERVER).requested(offer.yiaddr()).hostName("laptop").build());
        assertEquals(DhcpMessageType.DHCPACK, ack.message().type());
        DhcpLease lease = assertInstanceOf(LeaseChange.Bound.class, ack.changes().get(0)).lease();
        assertEquals(now + 3600 * SEC, lease.expiresAt());
        assertEquals("02:11:22:33:44:01", lease.hardwareAddress());
        assertEquals(List.of("+" + DhcpText.dotted(offer.yiaddr()) + " laptop"), events);
        assertEquals(1, core.leases().size());
    }

    private static String dotted(byte[] b) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 3 < b.length; i += 4) {
            out.add(DhcpText.dotted(((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff)));
        }
        return String.join(",", out);
    }

    @Test
    void aStaticHostWithItsOwnOptionsGetsThemInsteadOfThePools() {
        DhcpHost own = new DhcpHost(Optional.of("02:11:22:33:44:08"), Optional.empty(),
                DhcpText.inet(ip("10.9.0.60")), Optional.of("kiosk"), Optional.of(DhcpText.inet(ip("10.9.0.254"))),
                List.of(DhcpText.inet(ip("10.9.0.53"))), Map.of(42, List.of("10.9.0.123"), 66, List.of("tftp.lab.test")));
        core = core(List.of(Pools.lan(List.of(own))), DhcpSettings.defaults());
        DhcpMessage mine = reply(from(8, DISCOVER).prl(1, 3, 6, 15, 42, 66, 121).build()).message();
        assertEquals(ip("10.9.0.60"), mine.yiaddr());
        assertArrayEquals(DhcpText.int32(ip("10.9.0.254")), mine.options().get(3).orElseThrow(), "own router");
        assertArrayEquals(DhcpText.int32(ip("10.9.0.53")), mine.options().get(6).orElseThrow(), "own DNS");
        assertArrayEquals(DhcpText.int32(ip("10.9.0.123")), mine.options().get(42).orElseThrow(), "own NTP");
        assertArrayEquals("tftp.lab.test".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                mine.options().get(66).orElseThrow(), "an option the pool lacks");
        assertTrue(mine.options().has(121), "the pool's other options stay");
        assertArrayEquals(DhcpText.int32(ip("255.255.255.0")), mine.options().get(1).orElseThrow());

        DhcpMessage other = reply(from(9, DISCOVER).prl(1, 3, 6, 42, 66).build()).message();
        assertArrayEquals(DhcpText.int32(ip("10.9.0.1")), other.options().get(3).orElseThrow(), "the pool's router");
        assertArrayEquals(DhcpText.int32(ip("10.9.0.3")), other.options().get(42).orElseThrow(), "the pool's NTP");
        assertFalse(other.options().has(66));
    }

    @Test
    void extraOptionsOnlyWhenAskedButBasicsAlways() {
        DhcpMessage offer = reply(from(1, DISCOVER).prl(1).build()).message();
        assertFalse(offer.options().has(42));
        assertFalse(offer.options().has(121));
        assertTrue(offer.options().has(3) && offer.options().has(6));
    }

    @Test
    void concurrentClientsNeverShareAnAddressAndOffersAreReserved() {
        Set<Integer> offered = new HashSet<>();
        for (int c = 1; c <= 10; c++) { // ten DISCOVERs before any REQUEST
            assertTrue(offered.add(reply(from(c, DISCOVER).build()).message().yiaddr()), "client " + c);
        }
        assertEquals(DhcpNoReplyReason.POOL_EXHAUSTED, silent(from(11, DISCOVER).build()));
        now += 61 * SEC; // offers expire after the 60 s hold
        assertEquals(DhcpMessageType.DHCPOFFER, reply(from(11, DISCOVER).build()).message().type());
    }

    @Test
    void prefersTheRequestedAddressThenThePreviousOne() {
        assertEquals(ip("10.9.0.107"), reply(from(1, DISCOVER).requested(ip("10.9.0.107")).build()).message().yiaddr());
        DhcpMessage ack = dora(2);
        silent(from(2, DhcpMessageType.DHCPRELEASE).serverId(SERVER).ciaddr(ack.yiaddr()).build());
        // someone else asks for the same address while it is free: the client 2 comes back and gets it if free
        assertEquals(ack.yiaddr(), reply(from(2, DISCOVER).build()).message().yiaddr());
    }

    @Test
    void requestForAnotherServerDropsTheOffer() {
        int a = reply(from(1, DISCOVER).requested(ip("10.9.0.105")).build()).message().yiaddr();
        assertEquals(DhcpNoReplyReason.OTHER_SERVER,
                silent(from(1, REQUEST).serverId(ip("10.9.0.250")).requested(a).build()));
        assertEquals(a, reply(from(2, DISCOVER).requested(a).build()).message().yiaddr()); // free again
    }

    @Test
    void selectingAnAddressHeldByAnotherClientIsNaked() {
        DhcpMessage ack = dora(1);
        DhcpOutcome.Reply nak = reply(from(2, REQUEST).serverId(SERVER).requested(ack.yiaddr()).build());
        assertEquals(DhcpMessageType.DHCPNAK, nak.message().type());
        assertEquals(0, nak.message().yiaddr());
        assertEquals(DhcpDestination.BROADCAST, nak.destination());
    }

    @Test
    void initRebootRenewAndRebind() {
        DhcpMessage ack = dora(1);
        int a = ack.yiaddr();
        // INIT-REBOOT with the right address: ACK; with a wrong network: NAK
        assertEquals(DhcpMessageType.DHCPACK, reply(from(1, REQUEST).requested(a).build()).message().type());
        assertEquals(DhcpMessageType.DHCPNAK, reply(from(1, REQUEST).requested(ip("192.168.7.7")).build()).message().type());
        assertEquals(DhcpMessageType.DHCPNAK, reply(from(1, REQUEST).requested(a == ip("10.9.0.100") ? a + 1 : a - 1).build())
                .message().type());
        // RENEWING at T1: unicast to ciaddr, expiry moves
        now += 1800 * SEC;
        DhcpOutcome.Reply renew = reply(from(1, REQUEST).ciaddr(a).build());
        assertEquals(DhcpMessageType.DHCPACK, renew.message().type());
        assertEquals(new DhcpDestination(a, 68, false), renew.destination());
        assertEquals(a, renew.message().ciaddr());
        assertEquals(now + 3600 * SEC, ((LeaseChange.Bound) renew.changes().get(0)).lease().expiresAt());
        // REBINDING (broadcast, ciaddr set) is handled the same way
        now += 3200 * SEC;
        assertEquals(DhcpMessageType.DHCPACK, reply(from(1, REQUEST).ciaddr(a).broadcast().build()).message().type());
        assertEquals(1, events.size(), "renewals keep address and name: no listener calls, got " + events);
    }

    @Test
    void authoritativeServerAcksAFreeAddressItHasNoRecordOf() {
        assertEquals(DhcpMessageType.DHCPACK, reply(from(1, REQUEST).requested(ip("10.9.0.104")).build()).message().type());
        assertEquals(DhcpMessageType.DHCPACK, reply(from(2, REQUEST).ciaddr(ip("10.9.0.105")).build()).message().type());
        core = core(List.of(Pools.lan(List.of())), new DhcpSettings(false, 1000, Duration.ofSeconds(60), Duration.ofMinutes(10), 2));
        assertEquals(DhcpNoReplyReason.NO_RECORD, silent(from(1, REQUEST).requested(ip("10.9.0.104")).build()));
        assertEquals(DhcpNoReplyReason.NO_RECORD, silent(from(1, REQUEST).requested(ip("192.168.7.7")).build()));
    }

    @Test
    void staticLeasesByMacAndByClientId() {
        core = core(List.of(Pools.lan(List.of(Pools.hostByMac("02:11:22:33:44:07", "10.9.0.50", "printer"),
                Pools.hostByClientId("ff:00:01:02:03", "10.9.0.51")))), DhcpSettings.defaults());
        DhcpMessage ack = dora(7);
        assertEquals(ip("10.9.0.50"), ack.yiaddr());
        assertEquals("printer", ack.options().hostName().orElseThrow());
        DhcpMessage offer = reply(from(8, DISCOVER).clientId(new byte[] {(byte) 0xff, 0, 1, 2, 3}).build()).message();
        assertEquals(ip("10.9.0.51"), offer.yiaddr());
        // another client may not take a static address, even by asking for it
        assertNotEquals(ip("10.9.0.50"), reply(from(9, DISCOVER).requested(ip("10.9.0.50")).build()).message().yiaddr());
        assertEquals(DhcpMessageType.DHCPNAK, reply(from(9, REQUEST).requested(ip("10.9.0.50")).build()).message().type());
    }

    @Test
    void declineQuarantinesTheAddress() {
        DhcpMessage ack = dora(1);
        DhcpOutcome out = core.handle(from(1, DhcpMessageType.DHCPDECLINE).serverId(SERVER).requested(ack.yiaddr()).build(), LAN, now);
        assertEquals(DhcpNoReplyReason.DECLINED, ((DhcpOutcome.NoReply) out).reason());
        assertEquals(LeaseChange.Cause.DECLINED, ((LeaseChange.Removed) out.changes().get(0)).cause());
        assertNotEquals(ack.yiaddr(), reply(from(2, DISCOVER).requested(ack.yiaddr()).build()).message().yiaddr());
        now += 601 * SEC;
        assertEquals(ack.yiaddr(), reply(from(3, DISCOVER).requested(ack.yiaddr()).build()).message().yiaddr());
    }

    @Test
    void releaseEndsTheLeaseOnlyForItsHolder() {
        DhcpMessage ack = dora(1);
        assertEquals(DhcpNoReplyReason.NOT_HELD,
                silent(from(2, DhcpMessageType.DHCPRELEASE).serverId(SERVER).ciaddr(ack.yiaddr()).build()));
        assertEquals(DhcpNoReplyReason.RELEASED,
                silent(from(1, DhcpMessageType.DHCPRELEASE).serverId(SERVER).ciaddr(ack.yiaddr()).build()));
        assertEquals(0, core.leases().size());
        assertEquals("-" + DhcpText.dotted(ack.yiaddr()) + " RELEASED", events.get(events.size() - 1));
    }

    @Test
    void informGetsOptionsWithoutALease() {
        DhcpOutcome.Reply r = reply(from(1, DhcpMessageType.DHCPINFORM).ciaddr(ip("10.9.0.77")).build());
        assertEquals(DhcpMessageType.DHCPACK, r.message().type());
        assertEquals(0, r.message().yiaddr());
        assertFalse(r.message().options().has(DhcpWire.OPT_LEASE_TIME));
        assertTrue(r.message().options().has(DhcpWire.OPT_ROUTER));
        assertEquals(new DhcpDestination(ip("10.9.0.77"), 68, false), r.destination());
        assertEquals(0, core.leases().size());
    }

    @Test
    void relayedRequestsUseTheGiaddrPoolAndGoBackToTheRelay() {
        DhcpPoolConfig remote = Pools.pool("remote", "elsewhere", "172.16.5.0", 24, "172.16.5.10", "172.16.5.20",
                "172.16.5.1", Duration.ofMinutes(30), List.of(), Map.of());
        core = core(List.of(Pools.lan(List.of()), remote), DhcpSettings.defaults());
        byte[] rai = {1, 4, 'p', 'o', 'r', 't'};
        DhcpOutcome.Reply r = reply(from(1, DISCOVER).giaddr(ip("172.16.5.1")).option(82, rai).build());
        assertEquals(new DhcpDestination(ip("172.16.5.1"), 67, false), r.destination());
        assertTrue(r.message().yiaddr() >= ip("172.16.5.10") && r.message().yiaddr() <= ip("172.16.5.20"));
        assertEquals(ip("172.16.5.1"), r.message().giaddr());
        assertArrayEquals(rai, r.message().options().relayAgentInfo().orElseThrow()); // RFC 3046 §2.2 echo
        List<Integer> codes = new ArrayList<>(r.message().options().codes());
        assertEquals(82, codes.get(codes.size() - 1));
        // a NAK through a relay carries the BROADCAST bit
        DhcpOutcome.Reply nak = reply(from(1, REQUEST).giaddr(ip("172.16.5.1")).requested(ip("10.9.0.100")).build());
        assertEquals(DhcpMessageType.DHCPNAK, nak.message().type());
        assertTrue(nak.message().broadcast());
        assertEquals(67, nak.destination().port());
        assertEquals(DhcpNoReplyReason.NO_POOL, silent(from(2, DISCOVER).giaddr(ip("192.0.2.1")).build()));
    }

    @Test
    void broadcastBitAndCiaddrRouting() {
        assertEquals(DhcpDestination.BROADCAST, reply(from(1, DISCOVER).broadcast().build()).destination());
        assertTrue(reply(from(1, DISCOVER).broadcast().build()).message().broadcast());
    }

    @Test
    void leaseLimitIsEnforced() {
        core = core(List.of(Pools.lan(List.of())), DhcpSettings.defaults().withLeaseMax(2));
        dora(1);
        dora(2);
        assertEquals(DhcpNoReplyReason.LEASE_LIMIT, silent(from(3, DISCOVER).build()));
        assertEquals(DhcpMessageType.DHCPNAK, reply(from(3, REQUEST).requested(ip("10.9.0.109")).build()).message().type());
        dora(1); // existing clients still renew
    }

    @Test
    void leasesExpireOnTickAndTellTheListener() {
        DhcpMessage ack = dora(1);
        assertEquals(List.of(), core.tick(now + 3599 * SEC));
        List<LeaseChange> changes = core.tick(now + 3600 * SEC);
        assertEquals(LeaseChange.Cause.EXPIRED, ((LeaseChange.Removed) changes.get(0)).cause());
        assertEquals("-" + DhcpText.dotted(ack.yiaddr()) + " EXPIRED", events.get(events.size() - 1));
        assertEquals(0, core.leases().size());
    }

    @Test
    void repliesToNonRequestsAndUnexpectedTypesAreSilent() {
        DhcpMessage offer = reply(from(1, DISCOVER).build()).message();
        assertEquals(DhcpNoReplyReason.NOT_A_REQUEST, silent(offer));
        assertEquals(DhcpNoReplyReason.UNEXPECTED_TYPE, silent(from(1, DhcpMessageType.DHCPACK).build()));
        assertEquals(DhcpNoReplyReason.NO_POOL, assertInstanceOf(DhcpOutcome.NoReply.class,
                core.handle(from(1, DISCOVER).build(), new DhcpIngress("wan0", SERVER), now)).reason());
        assertEquals(DhcpNoReplyReason.MALFORMED_REQUEST, silent(from(1, REQUEST).build()));
    }
}
