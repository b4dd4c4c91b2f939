package io.warren.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each newer {@code [dns]} and {@code [[dhcp.POOL.host]]} key lands in its field; defaults when absent. */
class DnsSectionTest {

    private static WarrenConfig parse(String text) {
        ConfigResult r = new ConfigParser(FakeSecretFiles.fixtures(), Path.of("/fixtures")).parse("t.toml", text);
        assertTrue(r.isValid(), r.problems().toString());
        assertEquals(List.of(), r.problems());
        return r.config().orElseThrow();
    }

    private static DnsConfig dns(String body) {
        return parse("[dns]\n" + body).dns();
    }

    @Test
    void defaultsWhenAbsent() {
        DnsConfig d = dns("upstreams = [\"192.0.2.53\"]\n");
        assertEquals(DnsConfig.DEFAULT_UPSTREAM_TIMEOUT, d.upstreamTimeout());
        assertEquals(DnsConfig.DEFAULT_MAX_FORWARDS, d.maxForwards());
        assertEquals(DnsConfig.DEFAULT_MAX_NEGATIVE_TTL, d.maxNegativeTtl());
        assertEquals(DnsConfig.DEFAULT_RESOLV_FILE, d.resolvFile());
        assertEquals(Optional.empty(), d.effectiveLeaseDomain());
        assertEquals(List.of(), d.records());
    }

    @Test
    void forwarderKnobs() {
        DnsConfig d = dns("upstreams = [\"192.0.2.53\"]\nupstream-timeout = \"750ms\"\nmax-forwards = 150\n"
                + "max-negative-ttl = \"5m\"\ncache-size = 10000\n");
        assertEquals(Duration.ofMillis(750), d.upstreamTimeout());
        assertEquals(150, d.maxForwards());
        assertEquals(Duration.ofMinutes(5), d.maxNegativeTtl());
        assertEquals(10000, d.cacheSize());
        assertEquals(Duration.ZERO, dns("upstreams = []\nmax-negative-ttl = 0\n").maxNegativeTtl(), "0: never cache denials");
        assertEquals(Duration.ofSeconds(2), dns("upstreams = []\nupstream-timeout = 2\n").upstreamTimeout(), "plain seconds");
    }

    @Test
    void upstreamsFromAResolvFile() {
        DnsConfig d = dns("resolv-file = \"/run/systemd/resolve/resolv.conf\"\n");
        assertEquals(Path.of("/run/systemd/resolve/resolv.conf"), d.resolvFile());
        assertEquals(List.of(), d.upstreams());
    }

    @Test
    void domainsPerOrigin() {
        DnsConfig d = dns("upstreams = []\nlocal-domain = \"lan\"\npeer-domain = \"vpn.lan\"\n");
        assertEquals(Optional.of("lan"), d.effectiveLeaseDomain(), "defaults to local-domain");
        assertEquals(Optional.of("vpn.lan"), d.effectivePeerDomain());
        DnsConfig e = dns("upstreams = []\nlease-domain = \"dhcp.lan\"\n");
        assertEquals(Optional.of("dhcp.lan"), e.effectiveLeaseDomain());
        assertEquals(Optional.empty(), e.effectivePeerDomain());
    }

    @Test
    void splitDnsDomains() {
        DnsConfig d = dns("upstreams = []\n[dns.domains]\n\"corp.example\" = [\"10.1.0.53\", \"10.1.0.54:5353\"]\n");
        assertEquals(5353, d.domainUpstreams().get("corp.example").get(1).getPort());
    }

    @Test
    void staticRecordsOfEveryType() {
        DnsConfig d = dns("upstreams = []\n"
                + "[[dns.record]]\nname = \"nas.lan\"\ntype = \"A\"\nvalue = \"192.168.1.5\"\n"
                + "[[dns.record]]\nname = \"nas.lan.\"\ntype = \"aaaa\"\nvalue = \"fd00::5\"\nttl = 600\n"
                + "[[dns.record]]\nname = \"files.lan\"\ntype = \"CNAME\"\nvalue = \"nas.lan\"\n"
                + "[[dns.record]]\nname = \"lan\"\ntype = \"MX\"\nvalue = \"10 nas.lan\"\n"
                + "[[dns.record]]\nname = \"lan\"\ntype = \"TXT\"\nvalue = \"\\\"v=spf1 -all\\\"\"\n"
                + "[[dns.record]]\nname = \"5.1.168.192.in-addr.arpa\"\ntype = \"PTR\"\nvalue = \"nas.lan\"\n"
                + "[[dns.record]]\nname = \"_smb._tcp.lan\"\ntype = \"SRV\"\nvalue = \"0 5 445 nas.lan\"\n");
        assertEquals(List.of(
                new DnsRecord("nas.lan", "A", "192.168.1.5", Optional.empty()),
                new DnsRecord("nas.lan", "AAAA", "fd00::5", Optional.of(600L)),
                new DnsRecord("files.lan", "CNAME", "nas.lan", Optional.empty()),
                new DnsRecord("lan", "MX", "10 nas.lan", Optional.empty()),
                new DnsRecord("lan", "TXT", "\"v=spf1 -all\"", Optional.empty()),
                new DnsRecord("5.1.168.192.in-addr.arpa", "PTR", "nas.lan", Optional.empty()),
                new DnsRecord("_smb._tcp.lan", "SRV", "0 5 445 nas.lan", Optional.empty())), d.records());
    }

    @Test
    void dhcpHostWithItsOwnOptions() throws Exception {
        WarrenConfig c = parse("[dhcp.lan]\ninterface = \"eth1\"\nsubnet = \"192.168.1.0/24\"\n"
                + "range = [\"192.168.1.100\", \"192.168.1.200\"]\nrouter = \"192.168.1.1\"\n"
                + "[[dhcp.lan.host]]\nmac = \"02:00:00:00:00:01\"\naddress = \"192.168.1.10\"\n"
                + "router = \"192.168.1.254\"\ndns = [\"192.168.1.53\", \"192.168.1.54\"]\noptions = { 42 = \"192.168.1.1\" }\n"
                + "[[dhcp.lan.host]]\nmac = \"02:00:00:00:00:02\"\naddress = \"192.168.1.11\"\n");
        List<DhcpHost> hosts = c.dhcpPools().get("lan").hosts();
        assertEquals(Optional.of(InetAddress.getByName("192.168.1.254")), hosts.get(0).router());
        assertEquals(List.of(InetAddress.getByName("192.168.1.53"), InetAddress.getByName("192.168.1.54")),
                hosts.get(0).dns());
        assertEquals(List.of("192.168.1.1"), hosts.get(0).options().get(42));
        assertTrue(hosts.get(0).hasOwnOptions());
        assertEquals(false, hosts.get(1).hasOwnOptions());
    }

    @Test
    void changingAHostsOptionsIsAPoolChangeOnReload() {
        String base = "[dhcp.lan]\ninterface = \"eth1\"\nsubnet = \"192.168.1.0/24\"\n"
                + "range = [\"192.168.1.100\", \"192.168.1.200\"]\n"
                + "[[dhcp.lan.host]]\nmac = \"02:00:00:00:00:01\"\naddress = \"192.168.1.10\"\n";
        ConfigDiff d = ConfigDiff.between(parse(base), parse(base + "router = \"192.168.1.254\"\n"));
        assertEquals(1, d.dhcpPools().changed().size());
        ConfigDiff r = ConfigDiff.between(parse("[dns]\nupstreams = []\n"),
                parse("[dns]\nupstreams = []\n[[dns.record]]\nname = \"a.lan\"\ntype = \"A\"\nvalue = \"192.168.1.9\"\n"));
        assertTrue(r.dns().isPresent(), "a new static record restarts the DNS server");
    }
}
