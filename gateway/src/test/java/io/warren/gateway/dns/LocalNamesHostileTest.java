package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Type;

import io.warren.gateway.config.DnsConfig;

/**
 * Hostile local-name input: resolv.conf and hosts(5) text with garbage, host names from clients,
 * reverse names of malformed addresses. Nothing throws; nothing valid is lost; nothing makes the
 * server forward to itself.
 */
class LocalNamesHostileTest {
    private static final InetSocketAddress WILDCARD_V4 = DnsFixtures.sock("0.0.0.0", 53);
    private static final InetSocketAddress WILDCARD_V6 = DnsFixtures.sock("::", 53);

    /** Listening on a wildcard address at port 53 we are every loopback resolver: forwarding there loops. */
    @Test
    void resolvConfNeverNamesOurselvesBehindAWildcardListenAddress() {
        String text = String.join("\n", "nameserver 127.0.0.1", "nameserver 127.0.0.53", "nameserver ::1",
                "nameserver 10.53.0.1");
        assertEquals(List.of(DnsFixtures.sock("::1", 53), DnsFixtures.sock("10.53.0.1", 53)),
                ResolvConf.nameservers(text, List.of(WILDCARD_V4)), "a v4 wildcard socket is not ::1");
        assertEquals(List.of(DnsFixtures.sock("10.53.0.1", 53)),
                ResolvConf.nameservers(text, List.of(WILDCARD_V6)), "a dual-stack wildcard is both loopbacks");
        assertEquals(List.of(DnsFixtures.sock("127.0.0.1", 53), DnsFixtures.sock("127.0.0.53", 53),
                DnsFixtures.sock("::1", 53), DnsFixtures.sock("10.53.0.1", 53)),
                ResolvConf.nameservers(text, List.of(DnsFixtures.sock("0.0.0.0", 5353))), "another port is not us");
    }

    @Test
    void resolvConfGarbageIsSkippedAndNoGroupAddressBecomesAnUpstream() {
        String text = String.join("\r\n", "\u0000\u0001nameserver 10.0.0.9", "nameserver\t10.0.0.1",
                "nameserver 10.0.0.2 # comment", "NAMESERVER 10.0.0.3", "nameserver 224.0.0.251",
                "nameserver ff02::fb", "nameserver 255.255.255.255", "nameserver 10.0.0.256",
                "nameserver 10.0.0.4:53", "nameserver [fd00::1]", "nameserver " + "1".repeat(10_000),
                "\ufeffnameserver 10.0.0.5", "nameserver ::ffff:10.0.0.1");
        assertEquals(List.of(DnsFixtures.sock("10.0.0.1", 53), DnsFixtures.sock("10.0.0.2", 53)),
                ResolvConf.nameservers(text, List.of()));
    }

    /** hosts(5) names may be written absolute; such an entry was accepted by the parser and then lost. */
    @Test
    void hostsFileNamesWithATrailingDotAreLoadedNotLost(@TempDir Path dir) throws IOException {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, String.join("\n", "192.0.2.10 printer.home.example. printer",
                "192.0.2.11 nas.", "192.0.2.12 a..b", "garbage line here", "192.0.2.13 " + "x".repeat(64),
                "192.0.2.14 ok"));
        LocalZone zone = new LocalZone(5, 60);
        DnsConfig config = new DnsConfig(true, List.of(DnsFixtures.sock("127.0.0.1", 53)), List.of(), Map.of(),
                Optional.of("lan"), List.of(hosts), 10);
        DnsServer.loadLocalNames(config, zone, 5);
        for (String name : new String[] {"printer.home.example", "printer", "printer.lan", "nas", "ok", "ok.lan"}) {
            assertInstanceOf(LocalAnswer.Records.class, zone.lookup(DnsFixtures.name(name), Type.A), name);
        }
        assertInstanceOf(LocalAnswer.NxDomain.class, zone.lookup(DnsFixtures.name("nas.lan"), Type.A),
                "an absolute name is not also put under the local domain");
        assertInstanceOf(LocalAnswer.NxDomain.class, zone.lookup(DnsFixtures.name("printer.home.example.lan"),
                Type.A));
        for (String lost : new String[] {"a..b", "x".repeat(64)}) {
            assertInstanceOf(LocalAnswer.NotLocal.class, zone.lookup(DnsFixtures.name("192.0.2.12"), Type.A), lost);
        }
    }

    @Test
    void hostileHostNamesAreRefusedAndNeverThrow() {
        NameSource lan = new LocalZone(5, 60).source(NameOrigin.DHCP_LEASE, DnsFixtures.name("lan"));
        String[] hostile = {null, "", ".", "..", "-x", "x-", "a..b", "a b", "a\u0000b", "caf\u00e9", "*", "*.lan",
            "_sip._tcp", "x".repeat(64), ("a".repeat(63) + ".").repeat(4), "a/b", "a\\.b", "a\nb", "\u202eevil"};
        for (String h : hostile) {
            assertFalse(lan.add(h, DnsFixtures.ip("192.0.2.1")), String.valueOf(h));
            assertFalse(lan.remove(h, DnsFixtures.ip("192.0.2.1")));
            assertEquals(0, lan.removeAll(h));
        }
        assertTrue(lan.add("ok", DnsFixtures.ip("192.0.2.1")));
        assertTrue(lan.add("ok", DnsFixtures.ip("192.0.2.1")), "a duplicate is harmless");
        assertTrue(lan.remove("ok", DnsFixtures.ip("192.0.2.1")));
        assertFalse(lan.remove("ok", DnsFixtures.ip("192.0.2.1")), "removed once");
    }

    @Test
    void reverseNamesOfMalformedAddressesAreNotLocalOrNxdomainNeverAnError() {
        LocalZone zone = new LocalZone(5, 60);
        zone.source(NameOrigin.DHCP_LEASE, DnsFixtures.name("lan")).add("pc", DnsFixtures.ip("192.0.2.7"));
        zone.source(NameOrigin.VPN_PEER, DnsFixtures.name("vpn")).add("peer", DnsFixtures.ip("fe80::7%1"));
        zone.source(NameOrigin.VPN_PEER, DnsFixtures.name("vpn")).add("mapped", DnsFixtures.ip("::ffff:192.0.2.8"));
        String[] names = {"7.2.0.192.in-addr.arpa", "7.2.0.192.IN-ADDR.ARPA", "8.2.0.192.in-addr.arpa",
            "2.0.192.in-addr.arpa", "1.7.2.0.192.in-addr.arpa", "256.2.0.192.in-addr.arpa", "x.2.0.192.in-addr.arpa",
            "-1.2.0.192.in-addr.arpa", "in-addr.arpa", "ip6.arpa", "7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.e.f.ip6.arpa",
            "g.0.0.0.ip6.arpa"};
        for (String n : names) {
            for (int type : new int[] {Type.PTR, Type.A, Type.ANY}) {
                LocalAnswer a = zone.lookup(DnsFixtures.name(n), type);
                assertTrue(a != null, n);
            }
        }
        assertEquals("pc.lan.", ((org.xbill.DNS.PTRRecord) ((LocalAnswer.Records) zone.lookup(
                DnsFixtures.name("7.2.0.192.IN-ADDR.ARPA"), Type.PTR)).answer().get(0)).getTarget().toString());
        assertInstanceOf(LocalAnswer.Records.class, zone.lookup(DnsFixtures.name("8.2.0.192.in-addr.arpa"), Type.PTR),
                "a v4-mapped peer address is its IPv4 address");
        assertInstanceOf(ARecord.class, ((LocalAnswer.Records) zone.lookup(DnsFixtures.name("mapped.vpn"), Type.A))
                .answer().get(0));
        assertNull(LocalZone.hostName("a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "."
                + "d".repeat(61), DnsFixtures.name("lan")), "over 255 bytes with the domain");
    }
}
