package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Type;

class LocalZoneTest {
    private final LocalZone zone = new LocalZone(7, 45);
    private final NameSource leases = zone.source(NameOrigin.DHCP_LEASE, DnsFixtures.name("lan"));
    private final NameSource fixed = zone.source(NameOrigin.DHCP_STATIC, DnsFixtures.name("lan"));
    private final NameSource peers = zone.source(NameOrigin.VPN_PEER, DnsFixtures.name("vpn.lan"));
    private final NameSource hosts = zone.source(NameOrigin.STATIC, Name.root);

    private List<Record> records(String name, int type) {
        return assertInstanceOf(LocalAnswer.Records.class, zone.lookup(DnsFixtures.name(name), type)).answer();
    }

    @Test
    void leaseNamesAnswerAAaaaAndPtrWithTheClientsCase() {
        assertTrue(leases.add("laptop", DnsFixtures.ip("192.168.7.23")));
        assertTrue(leases.add("laptop", DnsFixtures.ip("fd00:7::23")));
        ARecord a = (ARecord) records("LapTop.LAN", Type.A).get(0);
        assertEquals("LapTop.LAN.", a.getName().toString());
        assertEquals(DnsFixtures.ip("192.168.7.23"), a.getAddress());
        assertEquals(7, a.getTTL());
        AAAARecord aaaa = (AAAARecord) records("laptop.lan", Type.AAAA).get(0);
        assertEquals(DnsFixtures.ip("fd00:7::23"), aaaa.getAddress());
        PTRRecord ptr = (PTRRecord) records(ReverseMap.fromAddress(DnsFixtures.ip("192.168.7.23")).toString(), Type.PTR).get(0);
        assertEquals(DnsFixtures.name("laptop.lan"), ptr.getTarget());
        PTRRecord ptr6 = (PTRRecord) records(ReverseMap.fromAddress(DnsFixtures.ip("fd00:7::23")).toString(),
                Type.PTR).get(0);
        assertEquals(DnsFixtures.name("laptop.lan"), ptr6.getTarget());
        assertEquals(2, records("laptop.lan", Type.ANY).size());
    }

    @Test
    void oneAddressPublishedByTwoOriginsIsOneRecord() {
        NameSource statics = zone.source(NameOrigin.DHCP_STATIC, DnsFixtures.name("lan"));
        assertTrue(statics.add("printer", DnsFixtures.ip("192.168.7.20")));
        assertTrue(leases.add("printer", DnsFixtures.ip("192.168.7.20")));
        assertEquals(1, records("printer.lan", Type.A).size(), "an RRset holds no duplicates (RFC 2181 §5)");
        assertEquals(1, records(ReverseMap.fromAddress(DnsFixtures.ip("192.168.7.20")).toString(), Type.PTR).size());
        leases.remove("printer", DnsFixtures.ip("192.168.7.20"));
        assertEquals(1, records("printer.lan", Type.A).size(), "the static name stays when the lease goes");
    }

    @Test
    void unknownNamesInsideLocalDomainsAreNxdomainWithSoa() {
        LocalAnswer.NxDomain nx = assertInstanceOf(LocalAnswer.NxDomain.class,
                zone.lookup(DnsFixtures.name("ghost.lan"), Type.A));
        assertEquals(DnsFixtures.name("lan"), nx.soa().getName());
        assertEquals(45, nx.soa().getMinimum());
        assertInstanceOf(LocalAnswer.NxDomain.class, zone.lookup(DnsFixtures.name("x.y.vpn.lan"), Type.AAAA));
        assertInstanceOf(LocalAnswer.NotLocal.class, zone.lookup(DnsFixtures.name("example.com"), Type.A));
        assertInstanceOf(LocalAnswer.NotLocal.class, zone.lookup(DnsFixtures.name("xlan"), Type.A));
        assertInstanceOf(LocalAnswer.NotLocal.class,
                zone.lookup(ReverseMap.fromAddress(DnsFixtures.ip("10.9.9.9")), Type.PTR), "unknown reverse names go upstream");
    }

    @Test
    void knownNameWithoutTheTypeAndEmptyNonTerminalsAreNodata() {
        leases.add("printer", DnsFixtures.ip("192.168.7.9"));
        assertInstanceOf(LocalAnswer.NoData.class, zone.lookup(DnsFixtures.name("printer.lan"), Type.AAAA));
        assertInstanceOf(LocalAnswer.NoData.class, zone.lookup(DnsFixtures.name("printer.lan"), Type.MX));
        assertInstanceOf(LocalAnswer.NoData.class, zone.lookup(DnsFixtures.name("vpn.lan"), Type.A),
                "vpn.lan is a local domain itself");
        peers.add("alice.phones", DnsFixtures.ip("10.66.0.2"));
        assertInstanceOf(LocalAnswer.NoData.class, zone.lookup(DnsFixtures.name("phones.vpn.lan"), Type.A),
                "RFC 8020: empty non-terminal");
        assertEquals(DnsFixtures.name("lan"), ((org.xbill.DNS.SOARecord) records("lan", Type.SOA).get(0)).getName());
    }

    @Test
    void removalOnlyTouchesTheOriginThatPublished() {
        fixed.add("nas", DnsFixtures.ip("192.168.7.5"));
        leases.add("nas", DnsFixtures.ip("192.168.7.5"));
        assertEquals(1, leases.removeAll("nas"));
        assertEquals(1, records("nas.lan", Type.A).size(), "static DHCP entry stays");
        assertFalse(leases.remove("nas", DnsFixtures.ip("192.168.7.5")));
        assertTrue(fixed.remove("nas", DnsFixtures.ip("192.168.7.5")));
        assertInstanceOf(LocalAnswer.NxDomain.class, zone.lookup(DnsFixtures.name("nas.lan"), Type.A));
        assertInstanceOf(LocalAnswer.NotLocal.class,
                zone.lookup(ReverseMap.fromAddress(DnsFixtures.ip("192.168.7.5")), Type.PTR));
        assertEquals(0, zone.size());
    }

    @Test
    void peersLiveUnderTheirOwnDomainAndAbsoluteNamesStayAbsolute() {
        peers.add("bob", DnsFixtures.ip("10.66.0.3"));
        hosts.add("nas.home.example.", DnsFixtures.ip("192.168.7.6"));
        assertEquals(1, records("bob.vpn.lan", Type.A).size());
        assertInstanceOf(LocalAnswer.NxDomain.class, zone.lookup(DnsFixtures.name("bob.lan"), Type.A));
        assertEquals(1, records("nas.home.example", Type.A).size());
        assertInstanceOf(LocalAnswer.NoData.class, zone.lookup(DnsFixtures.name("nas.home.example"), Type.TXT));
    }

    @Test
    void invalidHostNamesFromClientsAreRefused() {
        for (String bad : new String[] {"", "-lead", "trail-", "sp ace", "under_score", "a..b", "ünï",
                "x".repeat(64), "semi;colon", "a/b", String.join(".", java.util.Collections.nCopies(130, "ab"))}) {
            assertFalse(leases.add(bad, DnsFixtures.ip("192.168.7.99")), bad);
        }
        assertEquals(0, zone.size());
        assertTrue(leases.add("Good-Name7", DnsFixtures.ip("192.168.7.99")));
    }

    private static Record rr(String name, int type, String data) {
        try {
            return Record.fromString(DnsFixtures.name(name), type, org.xbill.DNS.DClass.IN, 300, data, Name.root);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(data, e);
        }
    }

    @Test
    void staticRecordsAnswerTheirTypeAndNoDataForOthers() {
        zone.addRecord(rr("lan", Type.MX, "10 nas.lan"));
        zone.addRecord(rr("lan", Type.TXT, "\"v=spf1 -all\""));
        zone.addRecord(rr("_smb._tcp.lan", Type.SRV, "0 5 445 nas.lan"));
        zone.addRecord(rr("nas.lan", Type.A, "192.168.1.5"));
        fixed.add("nas", DnsFixtures.ip("192.168.1.5")); // the same address published twice: one record
        assertEquals("10 nas.lan.", records("LAN", Type.MX).get(0).rdataToString());
        assertEquals("LAN.", records("LAN", Type.MX).get(0).getName().toString(), "client's case");
        assertEquals(300, records("lan", Type.TXT).get(0).getTTL(), "the record's own TTL");
        assertEquals(1, records("_smb._tcp.lan", Type.SRV).size());
        assertEquals(1, records("nas.lan", Type.A).size());
        assertInstanceOf(LocalAnswer.NoData.class, zone.lookup(DnsFixtures.name("_smb._tcp.lan"), Type.TXT));
        assertInstanceOf(LocalAnswer.NoData.class, zone.lookup(DnsFixtures.name("_tcp.lan"), Type.A),
                "an empty non-terminal above a static record");
    }

    @Test
    void staticCnameIsChasedThroughLocalNamesOnly() {
        zone.addRecord(rr("www.lan", Type.CNAME, "web.lan"));
        zone.addRecord(rr("web.lan", Type.CNAME, "nas.lan"));
        zone.addRecord(rr("ext.lan", Type.CNAME, "example.org"));
        zone.addRecord(rr("loop1.lan", Type.CNAME, "loop2.lan"));
        zone.addRecord(rr("loop2.lan", Type.CNAME, "loop1.lan"));
        leases.add("nas", DnsFixtures.ip("192.168.1.5"));
        List<Record> chain = records("www.lan", Type.A);
        assertEquals(List.of(Type.CNAME, Type.CNAME, Type.A), chain.stream().map(Record::getType).toList());
        assertEquals(1, records("www.lan", Type.CNAME).size(), "asked for the CNAME itself");
        assertEquals(1, records("ext.lan", Type.A).size(), "a target outside local data ends the answer");
        assertTrue(records("loop1.lan", Type.A).size() <= StaticRecords.MAX_CHAIN, "a loop stops");
    }

    @Test
    void staticPtrAndZoneVersion() {
        long v = zone.version();
        zone.addRecord(rr("9.1.168.192.in-addr.arpa", Type.PTR, "printer.lan"));
        assertTrue(zone.version() != v, "every change moves the version");
        assertEquals(DnsFixtures.name("printer.lan"),
                ((PTRRecord) records("9.1.168.192.in-addr.arpa", Type.PTR).get(0)).getTarget());
    }

    @Test
    void leaseNamesCannotJoinOrShadowConfiguredNames() {
        NameSource lanPeers = zone.source(NameOrigin.VPN_PEER, DnsFixtures.name("lan")); // peer domain = lease domain
        lanPeers.add("alice", DnsFixtures.ip("10.66.0.2"));
        fixed.add("printer", DnsFixtures.ip("192.168.7.20"));
        hosts.add("nas.lan.", DnsFixtures.ip("192.168.7.5"));
        zone.addRecord(rr("www.lan", Type.CNAME, "nas.lan"));
        for (String name : new String[] {"alice", "printer", "nas", "www", "ALICE", "vpn"}) {
            assertFalse(leases.add(name, DnsFixtures.ip("192.168.7.66")), name);
        }
        assertEquals(List.of(DnsFixtures.ip("10.66.0.2")),
                records("alice.lan", Type.A).stream().map(r -> ((ARecord) r).getAddress()).toList());
        assertEquals(1, records("printer.lan", Type.A).size());
        assertEquals(1, records("nas.lan", Type.A).size());
        assertInstanceOf(LocalAnswer.NoData.class, zone.lookup(DnsFixtures.name("vpn.lan"), Type.A),
                "the peer domain's apex stays without an address");
        // a lease may not leave its domain with an absolute name
        assertFalse(leases.add("evil.example.", DnsFixtures.ip("192.168.7.66")));
        assertInstanceOf(LocalAnswer.NotLocal.class, zone.lookup(DnsFixtures.name("evil.example"), Type.A));
        // the same address (a static host's own lease) is fine; a configured name added later evicts a lease
        assertTrue(leases.add("printer", DnsFixtures.ip("192.168.7.20")));
        assertTrue(leases.add("bob", DnsFixtures.ip("192.168.7.67")));
        lanPeers.add("bob", DnsFixtures.ip("10.66.0.3"));
        assertEquals(List.of(DnsFixtures.ip("10.66.0.3")),
                records("bob.lan", Type.A).stream().map(r -> ((ARecord) r).getAddress()).toList());
        assertInstanceOf(LocalAnswer.NotLocal.class,
                zone.lookup(ReverseMap.fromAddress(DnsFixtures.ip("192.168.7.67")), Type.PTR));
        assertFalse(leases.remove("bob", DnsFixtures.ip("192.168.7.67")), "the evicted lease's removal is a no-op");
    }
}
