package io.warren.gateway.dhcp;

import static io.warren.gateway.dhcp.Msgs.LAN;
import static io.warren.gateway.dhcp.Msgs.SERVER;
import static io.warren.gateway.dhcp.Msgs.from;
import static io.warren.gateway.dhcp.Msgs.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.config.DhcpPoolConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Hostile clients against {@link DhcpServerCore}: forged fields, names, floods and clock jumps. */
class DhcpServerCoreHostileTest {

    private static final long SEC = 1_000_000_000L;
    private static final DhcpMessageType DISCOVER = DhcpMessageType.DHCPDISCOVER;
    private static final DhcpMessageType REQUEST = DhcpMessageType.DHCPREQUEST;

    private long now = 5_000 * SEC;
    private final List<String> events = new ArrayList<>();
    private DhcpServerCore core = core(List.of(Pools.lan(List.of())), DhcpSettings.defaults());

    private DhcpServerCore core(List<DhcpPoolConfig> pools, DhcpSettings s) {
        return Pools.recordingCore(pools, s, events);
    }

    private DhcpOutcome handle(DhcpMessage m) {
        return core.handle(m, LAN, now);
    }

    private DhcpOutcome.Reply reply(DhcpMessage m) {
        return assertInstanceOf(DhcpOutcome.Reply.class, handle(m));
    }

    private DhcpNoReplyReason silent(DhcpMessage m) {
        return assertInstanceOf(DhcpOutcome.NoReply.class, handle(m)).reason();
    }

    /** DISCOVER then REQUEST for client {@code last}, sending {@code name} in option 12 (null: none). */
    private DhcpMessage dora(int last, String name) {
        Msgs.Builder d = from(last, DISCOVER);
        Msgs.Builder r = from(last, REQUEST).serverId(SERVER);
        if (name != null) {
            d.hostName(name);
            r.hostName(name);
        }
        DhcpMessage offer = reply(d.build()).message();
        DhcpMessage ack = reply(r.requested(offer.yiaddr()).build()).message();
        assertEquals(DhcpMessageType.DHCPACK, ack.type());
        return ack;
    }

    private DhcpLease leaseAt(int address) {
        return core.leases().stream().filter(l -> DhcpText.ipv4(l.address()) == address).findFirst().orElseThrow();
    }

    private static DhcpMessage raw(int htype, int hlen, byte[] chaddr, DhcpOptions options, int ciaddr) {
        return new DhcpMessage(DhcpWire.BOOTREQUEST, htype, hlen, 0, 77, 0, 0, ciaddr, 0, 0, 0, chaddr, new byte[0],
                new byte[0], options);
    }

    @Test
    void clientsWithoutAnyIdentityAreNotServed() {
        // hlen 0 and no client-id: every such client would share one key and one lease (RFC 2131 §4.2)
        DhcpOptions discover = DhcpOptions.builder().messageType(DISCOVER).build();
        assertInstanceOf(DhcpOutcome.NoReply.class, core.handle(raw(1, 0, new byte[0], discover, 0), LAN, now));
        assertInstanceOf(DhcpOutcome.NoReply.class, core.handle(raw(1, 0, Msgs.mac(1), discover, 0), LAN, now));
        // with a client-id it is served
        DhcpOptions withId = DhcpOptions.builder().messageType(DISCOVER).add(61, new byte[] {0, 'x', 'y'}).build();
        assertInstanceOf(DhcpOutcome.Reply.class, core.handle(raw(1, 0, new byte[0], withId, 0), LAN, now));
        // a non-Ethernet, 16-byte chaddr client is served too (the key is its chaddr)
        byte[] ib = new byte[16];
        ib[15] = 9;
        assertInstanceOf(DhcpOutcome.Reply.class, core.handle(raw(32, 16, ib, discover, 0), LAN, now));
    }

    @Test
    void informIsAnsweredOnlyForAddressesOfThePoolsSubnet() {
        // RFC 2131 §4.3.5: the ACK goes unicast to ciaddr; a foreign ciaddr would make us a reflector
        for (String bad : new String[] {"8.8.8.8", "127.0.0.1", "255.255.255.255", "224.0.0.1", "10.9.0.255",
            "10.9.0.0", "10.9.1.7"}) {
            assertInstanceOf(DhcpOutcome.NoReply.class,
                    handle(from(3, DhcpMessageType.DHCPINFORM).ciaddr(ip(bad)).build()), bad);
        }
        DhcpOutcome.Reply ok = reply(from(3, DhcpMessageType.DHCPINFORM).ciaddr(ip("10.9.0.77")).build());
        assertEquals(new DhcpDestination(ip("10.9.0.77"), 68, false), ok.destination());
    }

    @Test
    void aForgedCiaddrDoesNotRedirectOffersOrAcks() {
        // RFC 2131 §4.3.1 Table 5: ciaddr is 0 in DISCOVER and in SELECTING/INIT-REBOOT REQUESTs; it
        // names the client only when the client is BOUND/RENEWING/REBINDING at that very address
        DhcpOutcome.Reply offer = reply(from(1, DISCOVER).ciaddr(ip("8.8.8.8")).build());
        assertEquals(DhcpDestination.BROADCAST, offer.destination());
        DhcpOutcome.Reply ack = reply(from(1, REQUEST).serverId(SERVER).requested(offer.message().yiaddr())
                .ciaddr(ip("10.9.0.200")).build());
        assertEquals(DhcpMessageType.DHCPACK, ack.message().type());
        assertEquals(DhcpDestination.BROADCAST, ack.destination());
        // a renewal is unicast to its own address
        int a = offer.message().yiaddr();
        assertEquals(new DhcpDestination(a, 68, false), reply(from(1, REQUEST).ciaddr(a).build()).destination());
    }

    @Test
    void theClientIdentifierIsEchoedInOffersAndAcks() {
        // RFC 6842 §3: a server MUST return option 61 unaltered in its response; without it a client
        // with a client-id may discard the OFFER/ACK as meant for someone else
        byte[] id = {1, 2, 0x11, 0x22, 0x33, 0x44, 9};
        DhcpMessage offer = reply(from(9, DISCOVER).clientId(id).build()).message();
        org.junit.jupiter.api.Assertions.assertArrayEquals(id, offer.options().clientId().orElseThrow());
        DhcpMessage ack = reply(from(9, REQUEST).clientId(id).serverId(SERVER).requested(offer.yiaddr()).build()).message();
        org.junit.jupiter.api.Assertions.assertArrayEquals(id, ack.options().clientId().orElseThrow());
        DhcpMessage inform = reply(from(9, DhcpMessageType.DHCPINFORM).clientId(id).ciaddr(ip("10.9.0.77")).build()).message();
        org.junit.jupiter.api.Assertions.assertArrayEquals(id, inform.options().clientId().orElseThrow());
        assertFalse(reply(from(8, DISCOVER).build()).message().options().has(DhcpWire.OPT_CLIENT_ID));
    }

    @Test
    void aClientMovingToItsStaticAddressLeavesNoOrphanLease() {
        // the client held a dynamic lease (from before its [[host]] entry); its static address is offered
        DhcpPoolConfig withHost = Pools.lan(List.of(Pools.hostByMac("02:11:22:33:44:05", "10.9.0.105", "five")));
        core = core(List.of(withHost), DhcpSettings.defaults());
        assertTrue(core.restore(new DhcpLease("lan", DhcpText.inet(ip("10.9.0.101")), DhcpText.hex(Msgs.mac(5)),
                Optional.empty(), Optional.of("old"), now + 1000 * SEC, false), now));
        DhcpMessage offer = reply(from(5, DISCOVER).build()).message();
        assertEquals(ip("10.9.0.105"), offer.yiaddr());
        DhcpOutcome.Reply ack = reply(from(5, REQUEST).serverId(SERVER).requested(offer.yiaddr()).build());
        assertEquals(DhcpMessageType.DHCPACK, ack.message().type());
        assertEquals(List.of(ip("10.9.0.105")), core.leases().stream().map(l -> DhcpText.ipv4(l.address())).toList(),
                "one client, one lease");
        assertTrue(events.contains("-10.9.0.101 REPLACED"), events.toString());
        assertTrue(ack.changes().stream().anyMatch(c -> c instanceof LeaseChange.Removed), "the old lease is journaled as gone");
        // the old address is free for others again
        assertEquals(DhcpMessageType.DHCPACK, reply(from(6, REQUEST).requested(ip("10.9.0.101")).build()).message().type());
    }

    @Test
    void relayForgeriesAreIgnored() {
        // giaddr is where the reply goes (RFC 2131 §4.1); a subnet's network or broadcast address is no relay
        for (String g : new String[] {"10.9.0.255", "10.9.0.0", "10.9.0.1"}) {
            assertInstanceOf(DhcpOutcome.NoReply.class, handle(from(4, DISCOVER).giaddr(ip(g)).build()), g);
        }
        assertTrue(core.leases().isEmpty());
    }

    @Test
    void aPoolWithTrustedRelaysServesOnlyRelayedRequestsFromThem() {
        DhcpPoolConfig open = Pools.pool("open", "elsewhere", "172.16.5.0", 24, "172.16.5.10", "172.16.5.20",
                "172.16.5.1", Duration.ofMinutes(30), List.of(), Map.of());
        DhcpPoolConfig c = Pools.pool("guarded", "elsewhere", "172.16.6.0", 24, "172.16.6.10", "172.16.6.20",
                "172.16.6.1", Duration.ofMinutes(30), List.of(), Map.of());
        DhcpPoolConfig guarded = new DhcpPoolConfig(c.name(), c.iface(), c.subnet(), c.rangeStart(), c.rangeEnd(),
                c.router(), c.dns(), c.domain(), c.leaseTime(), c.hosts(), c.options(),
                List.of(io.warren.gateway.config.IpPrefix.parse("172.16.6.1").orElseThrow(),
                        io.warren.gateway.config.IpPrefix.parse("10.200.0.0/30").orElseThrow()));
        core = core(List.of(Pools.lan(List.of()), open, guarded), DhcpSettings.defaults());
        DhcpMessage forged = from(1, DISCOVER).giaddr(ip("172.16.6.1")).build();
        // a LAN client (10.9.0.50) forging the relay's giaddr: refused; before, it drew from the relay's pool
        assertEquals(DhcpNoReplyReason.UNTRUSTED_RELAY,
                assertInstanceOf(DhcpOutcome.NoReply.class, core.handle(forged, LAN, ip("10.9.0.50"), now)).reason());
        assertEquals(DhcpNoReplyReason.UNTRUSTED_RELAY,
                assertInstanceOf(DhcpOutcome.NoReply.class, core.handle(forged, LAN, 0, now)).reason(), "sender unknown");
        // the relay itself, or another address of it inside a trusted prefix
        DhcpOutcome.Reply r = assertInstanceOf(DhcpOutcome.Reply.class, core.handle(forged, LAN, ip("172.16.6.1"), now));
        assertTrue(r.message().yiaddr() >= ip("172.16.6.10") && r.message().yiaddr() <= ip("172.16.6.20"));
        assertInstanceOf(DhcpOutcome.Reply.class,
                core.handle(from(2, DISCOVER).giaddr(ip("172.16.6.1")).build(), LAN, ip("10.200.0.2"), now));
        // a pool without the list keeps the old behaviour, and direct requests never look at the sender
        assertInstanceOf(DhcpOutcome.Reply.class,
                core.handle(from(3, DISCOVER).giaddr(ip("172.16.5.1")).build(), LAN, ip("10.9.0.50"), now));
        assertInstanceOf(DhcpOutcome.Reply.class, core.handle(from(4, DISCOVER).build(), LAN, 0, now));
    }

    @Test
    void requestedAddressesTheClientMayNotHave() {
        DhcpPoolConfig withHost = Pools.lan(List.of(Pools.hostByMac("02:11:22:33:44:63", "10.9.0.105", "printer")));
        core = core(List.of(withHost), DhcpSettings.defaults());
        for (String a : new String[] {"10.9.0.1", "10.9.0.105", "10.9.0.0", "10.9.0.255", "10.9.0.50", "192.0.2.1",
            "0.0.0.0", "255.255.255.255"}) {
            DhcpMessage offer = reply(from(5, DISCOVER).requested(ip(a)).build()).message();
            assertNotEquals(ip(a), offer.yiaddr(), a);
            DhcpOutcome o = handle(from(6, REQUEST).requested(ip(a)).build()); // INIT-REBOOT
            assertTrue(o instanceof DhcpOutcome.NoReply || ((DhcpOutcome.Reply) o).message().type() == DhcpMessageType.DHCPNAK, a);
            o = handle(from(6, REQUEST).ciaddr(ip(a)).build()); // RENEWING
            assertTrue(o instanceof DhcpOutcome.NoReply || ((DhcpOutcome.Reply) o).message().type() == DhcpMessageType.DHCPNAK, a);
        }
        assertTrue(core.leases().isEmpty());
    }

    @Test
    void forgedReleaseAndDeclineLeaveTheVictimsLease() {
        int victim = dora(1, null).yiaddr();
        // same address, another client (MAC 2), with and without a client-id
        assertEquals(DhcpNoReplyReason.NOT_HELD,
                silent(from(2, DhcpMessageType.DHCPRELEASE).ciaddr(victim).serverId(SERVER).build()));
        assertEquals(DhcpNoReplyReason.NOT_HELD,
                silent(from(2, DhcpMessageType.DHCPDECLINE).requested(victim).serverId(SERVER).build()));
        assertEquals(DhcpNoReplyReason.NOT_HELD, silent(from(2, DhcpMessageType.DHCPRELEASE).ciaddr(victim)
                .clientId(new byte[] {1, 2, 0x11, 0x22, 0x33, 0x44, 1}).build()));
        // the victim's MAC but with a client-id: a different client (RFC 2131 §4.2)
        assertEquals(DhcpNoReplyReason.NOT_HELD, silent(from(1, DhcpMessageType.DHCPDECLINE).requested(victim)
                .clientId(new byte[] {1, 9, 9}).build()));
        assertEquals(1, core.leases().size());
        assertEquals(victim, DhcpText.ipv4(core.leases().get(0).address()));
    }

    @Test
    void oneClientCannotQuarantineThePoolWithDeclines() {
        // Before: each DORA + DECLINE cycle took one more address for 10 minutes, until the pool was empty.
        int quarantined = 0;
        int ignored = 0;
        for (int i = 0; i < 10; i++) {
            DhcpMessage ack = dora(1, null);
            DhcpNoReplyReason r = silent(from(1, DhcpMessageType.DHCPDECLINE).requested(ack.yiaddr()).serverId(SERVER).build());
            if (r == DhcpNoReplyReason.DECLINED) {
                quarantined++;
            } else {
                assertEquals(DhcpNoReplyReason.DECLINE_LIMIT, r);
                ignored++;
                assertEquals(ack.yiaddr(), DhcpText.ipv4(core.leases().get(0).address()), "an ignored DECLINE keeps the lease");
            }
            now += 11 * SEC; // RFC 2131 §3.1 step 5: the client waits 10 s after a DECLINE
        }
        assertEquals(2, quarantined);
        assertEquals(8, ignored);
        for (int c = 2; c < 9; c++) { // 10 addresses: 2 quarantined, 1 leased to the decliner, 7 for the others
            assertEquals(DhcpMessageType.DHCPACK, dora(c, null).type(), "other clients still get addresses");
        }
        // the quarantine ends after 10 minutes, and with it the limit
        now += 10 * 60 * SEC;
        DhcpMessage ack = dora(1, null);
        assertEquals(DhcpNoReplyReason.DECLINED,
                silent(from(1, DhcpMessageType.DHCPDECLINE).requested(ack.yiaddr()).serverId(SERVER).build()));
    }

    @Test
    void aDiscoverFloodOnlyHoldsAddressesForTheOfferTime() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 500; i++) {
            byte[] mac = new byte[6];
            for (int k = 0; k < 6; k++) {
                mac[k] = (byte) rnd.nextInt(256);
            }
            handle(new Msgs.Builder(mac, DISCOVER).xid(i).build());
        }
        assertEquals(DhcpNoReplyReason.POOL_EXHAUSTED, silent(from(1, DISCOVER).build()));
        now += 61 * SEC; // offers are held 60 s
        assertEquals(ip("10.9.0.100"), dora(1, null).yiaddr() & 0xffffff00 | 100);
        assertEquals(1, core.leaseCount());
    }

    @Test
    void theClockGoingBackwardsOrJumpingNeverBreaksTheTable() {
        int a = dora(1, null).yiaddr();
        now -= 3_000 * SEC; // backwards: the lease is still there, renewals work
        assertEquals(a, reply(from(1, REQUEST).ciaddr(a).build()).message().yiaddr());
        now += Long.MAX_VALUE / 2; // far forwards: everything expires, no exception
        assertTrue(core.tick(now).size() <= 1);
        assertEquals(0, core.leaseCount());
        now = Long.MIN_VALUE + 5; // wraps around
        dora(2, null);
        assertEquals(1, core.leaseCount());
    }

    @Test
    void adminOptionsTheServerSetsItselfDoNotBreakReplies() {
        // option 51/58/59/54/53 given as pool extras used to be appended to the server's own value
        // (8 bytes), and building every reply threw
        DhcpPoolConfig p = Pools.pool("lan", "lan0", "10.9.0.0", 24, "10.9.0.100", "10.9.0.109", "10.9.0.1",
                Duration.ofHours(1), List.of(), Map.of(51, List.of("7200"), 58, List.of("100"), 59, List.of("200"),
                        54, List.of("10.9.0.9"), 53, List.of("5"), 50, List.of("10.9.0.9")));
        core = core(List.of(p), DhcpSettings.defaults());
        DhcpMessage ack = dora(1, null);
        assertEquals(SERVER, ack.options().serverId().getAsInt());
        assertEquals(3600, ack.options().leaseTime().getAsInt());
        assertEquals(DhcpMessageType.DHCPOFFER, reply(from(2, DISCOVER).build()).message().type());
        assertTrue(events.contains("bad option 51"), events.toString());
    }

    // ---- host names (option 12) -----------------------------------------------------------------

    private Optional<String> nameGiven(int last, byte[] option12) {
        DhcpMessage offer = reply(from(last, DISCOVER).option(12, option12).build()).message();
        reply(from(last, REQUEST).serverId(SERVER).requested(offer.yiaddr()).option(12, option12).build());
        return leaseAt(offer.yiaddr()).hostName();
    }

    @Test
    void hostNamesAreCheckedNotRewrittenIntoOtherNames() {
        Object[][] rows = {
            {"laptop", "laptop"},
            {"Laptop.example.com", "laptop"}, // first label only (as dnsmasq)
            {"laptop.", "laptop"},
            {"laptop\0evil", "laptop"}, // C clients end the name at NUL (dnsmasq does the same)
            {"local\0host", "local"},
            {"my pc", null}, // illegal characters: no name at all, not "mypc"
            {"my_pc", null},
            {"caf\u00e9", null},
            {"-lead", null},
            {"trail-", null},
            {"a".repeat(64), null}, // longer than a DNS label (RFC 1035 §2.3.4)
            {"a".repeat(63), "a".repeat(63)},
            {".hidden", null},
            {"\0", null},
            {"localhost", null}, // RFC 6761 §6.3
            {"LOCALHOST.", null},
            {"x-1", "x-1"},
        };
        int last = 10;
        for (Object[] row : rows) {
            byte[] v = ((String) row[0]).getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(Optional.ofNullable((String) row[1]), nameGiven(last++, v), "option 12 \"" + row[0] + "\"");
            core = core(List.of(Pools.lan(List.of())), DhcpSettings.defaults());
        }
    }

    @Test
    void aClientCannotTakeAnotherLeasesOrAStaticHostsName() {
        DhcpPoolConfig withHost = Pools.lan(List.of(Pools.hostByMac("02:11:22:33:44:63", "10.9.0.105", "printer")));
        core = core(List.of(withHost), DhcpSettings.defaults());
        DhcpMessage first = dora(1, "laptop");
        assertEquals(Optional.of("laptop"), leaseAt(first.yiaddr()).hostName());
        DhcpMessage second = dora(2, "Laptop");
        assertEquals(Optional.empty(), leaseAt(second.yiaddr()).hostName(), "name of another lease");
        assertFalse(second.options().has(DhcpWire.OPT_HOST_NAME));
        DhcpMessage third = dora(3, "printer");
        assertEquals(Optional.empty(), leaseAt(third.yiaddr()).hostName(), "name of a static host");
        // the owner renewing keeps its name; the static host gets its own
        assertEquals(Optional.of("laptop"), leaseAt(dora(1, "laptop").yiaddr()).hostName());
        DhcpMessage printer = dora(0x63, "evil");
        assertEquals(Optional.of("printer"), leaseAt(printer.yiaddr()).hostName());
        // once the first lease is released, the name is free again
        silent(from(1, DhcpMessageType.DHCPRELEASE).ciaddr(first.yiaddr()).serverId(SERVER).build());
        assertEquals(Optional.of("laptop"), leaseAt(dora(2, "laptop").yiaddr()).hostName());
        Set<String> published = new HashSet<>();
        for (DhcpLease l : core.leases()) {
            l.hostName().ifPresent(n -> assertTrue(published.add(n), "two leases named " + n));
        }
    }

    @Test
    void randomRequestsThroughDecoderCoreAndEncoderNeverThrow() {
        DhcpPoolConfig withHost = Pools.lan(List.of(Pools.hostByMac("02:11:22:33:44:03", "10.9.0.105", "printer"),
                Pools.hostByClientId("01:02:03", "10.9.0.106")));
        DhcpPoolConfig remote = Pools.pool("remote", "elsewhere", "172.16.5.0", 24, "172.16.5.10", "172.16.5.12",
                "172.16.5.1", Duration.ofMinutes(30), List.of(), Map.of());
        core = core(List.of(withHost, remote), DhcpSettings.defaults().withLeaseMax(6));
        SplittableRandom rnd = new SplittableRandom(11);
        int[] addresses = {0, ip("10.9.0.100"), ip("10.9.0.105"), ip("10.9.0.106"), ip("10.9.0.1"), ip("172.16.5.1"),
            ip("172.16.5.10"), ip("10.9.0.255"), -1, ip("8.8.8.8")};
        int replies = 0;
        for (int i = 0; i < 20_000; i++) {
            DhcpMessageType type = DhcpMessageType.values()[rnd.nextInt(DhcpMessageType.values().length)];
            Msgs.Builder b = from(rnd.nextInt(8), type).xid(i);
            if (rnd.nextBoolean()) {
                b.requested(addresses[rnd.nextInt(addresses.length)]);
            }
            if (rnd.nextInt(3) == 0) {
                b.serverId(rnd.nextBoolean() ? SERVER : addresses[rnd.nextInt(addresses.length)]);
            }
            if (rnd.nextInt(3) == 0) {
                b.ciaddr(addresses[rnd.nextInt(addresses.length)]);
            }
            if (rnd.nextInt(6) == 0) {
                b.giaddr(addresses[rnd.nextInt(addresses.length)]);
            }
            if (rnd.nextInt(4) == 0) {
                b.clientId(rnd.nextBoolean() ? new byte[] {1, 2, 3} : new byte[] {(byte) rnd.nextInt(4), 9});
            }
            if (rnd.nextInt(4) == 0) {
                b.hostName(new String[] {"laptop", "printer", "LAPTOP.x", "a b", "localhost", "x"}[rnd.nextInt(6)]);
            }
            if (rnd.nextInt(5) == 0) {
                b.option(80, new byte[0]).option(82, new byte[] {1, 1, 'p'}).prl(1, 3, 6, 12, 121);
            }
            if (rnd.nextInt(4) == 0) { // option 81: valid in both encodings, or random bytes
                byte[] fqdn = switch (rnd.nextInt(3)) {
                    case 0 -> new byte[] {5, 0, 0, 6, 'l', 'a', 'p', 't', 'o', 'p', 0};
                    case 1 -> new byte[] {0, 0, 0, 'p', 'r', 'i', 'n', 't', 'e', 'r', '.', 'x'};
                    default -> {
                        byte[] junk = new byte[rnd.nextInt(12)];
                        for (int j = 0; j < junk.length; j++) {
                            junk[j] = (byte) rnd.nextInt(256);
                        }
                        yield junk;
                    }
                };
                b.option(DhcpWire.OPT_CLIENT_FQDN, fqdn);
            }
            byte[] wire = toBytes(Msgs.encode(b.build()));
            for (int k = 0; k < rnd.nextInt(3); k++) {
                wire[rnd.nextInt(wire.length)] = (byte) rnd.nextInt(256);
            }
            now += rnd.nextInt(20) * SEC - (rnd.nextInt(50) == 0 ? 100 * SEC : 0);
            DhcpDecodeResult r = DhcpCodec.decode(io.netty.buffer.Unpooled.wrappedBuffer(wire));
            if (r instanceof DhcpDecodeResult.Decoded d) {
                DhcpOutcome o = core.handle(d.message(), LAN, addresses[rnd.nextInt(addresses.length)], now);
                if (o instanceof DhcpOutcome.Reply reply) {
                    replies++;
                    io.netty.buffer.ByteBuf out = io.netty.buffer.Unpooled.buffer();
                    DhcpCodec.encode(reply.message(), 576, out);
                    assertInstanceOf(DhcpDecodeResult.Decoded.class, DhcpCodec.decode(out));
                }
            }
            assertTrue(core.leaseCount() <= 6 + 1, "lease limit");
            Set<Integer> seen = new HashSet<>();
            for (DhcpLease l : core.leases()) {
                assertTrue(seen.add(DhcpText.ipv4(l.address())), "one lease per address");
            }
        }
        assertTrue(replies > 1000, "replies " + replies);
    }

    private static byte[] toBytes(io.netty.buffer.ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }
}
