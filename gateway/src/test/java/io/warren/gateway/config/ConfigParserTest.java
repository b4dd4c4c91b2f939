package io.warren.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The valid full example and the shipped examples load; values land in the right fields. */
class ConfigParserTest {
    private static final Path EXAMPLES = Path.of("..", "packaging", "examples");

    static ConfigResult parseResource(String name) throws Exception {
        String text = Files.readString(Path.of(ConfigParserTest.class.getResource("/config/" + name).toURI()));
        return new ConfigParser(FakeSecretFiles.fixtures(), Path.of("/fixtures")).parse(name, text);
    }

    @Test
    void aDhcpPoolMayServeAHostInterface(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = dir.resolve("lan.toml");
        java.nio.file.Files.writeString(f, "[dhcp.office]\ninterface = \"eth1\"\nsubnet = \"192.168.50.0/24\"\n"
                + "range = [\"192.168.50.100\", \"192.168.50.199\"]\nrouter = \"192.168.50.1\"\n");
        ConfigResult r = ConfigLoader.load(f);
        assertTrue(r.isValid(), r.problems().toString());
        assertTrue(r.problems().isEmpty(), r.problems().toString());
        assertEquals("eth1", r.config().orElseThrow().dhcpPools().get("office").iface());
    }

    @Test
    void defaultQueuesAreOnePerTwoCpusFromOneToFour() {
        assertEquals(1, InterfaceConfig.defaultQueues(1));
        assertEquals(1, InterfaceConfig.defaultQueues(2));
        assertEquals(1, InterfaceConfig.defaultQueues(3));
        assertEquals(2, InterfaceConfig.defaultQueues(4));
        assertEquals(4, InterfaceConfig.defaultQueues(8));
        assertEquals(4, InterfaceConfig.defaultQueues(64));
    }

    @Test
    void fullExampleParsesWithoutAnyProblem() throws Exception {
        ConfigResult r = parseResource("valid-full.toml");
        assertEquals(List.of(), r.problems());
        WarrenConfig c = r.orThrow();

        InterfaceConfig wg0 = c.interfaces().get("wg0");
        assertEquals(51820, wg0.listenPort());
        assertEquals(List.of(IpPrefix.parse("10.10.0.1/24").get(), IpPrefix.parse("fd10::1/64").get()), wg0.addresses());
        assertEquals(0x51820, wg0.fwmark().getAsInt());
        assertEquals(2, wg0.queues());
        assertEquals("72DS1AukW0ngf1CHAYHruPAi0oCzPOKvStcM+w7S3is=", wg0.publicKey().toBase64());
        PeerConfig branch = wg0.peerNamed("branch").orElseThrow();
        assertEquals(new Endpoint("branch.example.net", 51820), branch.endpoint().orElseThrow());
        assertEquals(25, branch.persistentKeepalive());
        assertTrue(branch.presharedKey().isPresent());
        PeerConfig hub = wg0.peerNamed("hub").orElseThrow();
        assertEquals(new Endpoint("2001:db8::10", 51820), hub.endpoint().orElseThrow());
        assertTrue(hub.hub() && hub.relay());

        InterfaceConfig wg1 = c.interfaces().get("wg1");
        assertEquals(Path.of("/fixtures/keys/wg1.key"), wg1.privateKeyFile().orElseThrow());
        assertEquals(0, wg1.listenPort());
        assertEquals(InterfaceConfig.DEFAULT_MTU, wg1.mtu());
        assertEquals(InterfaceConfig.defaultQueues(), wg1.queues());

        TunnelConfig vx = c.tunnels().get("vx100");
        assertTrue(vx.layer2());
        assertEquals(new TunnelParams.Vxlan(100, 4789), vx.params());
        assertEquals("wg0/branch", vx.encryptedVia().orElseThrow());
        assertEquals(100, vx.vlan().getAsInt());
        TunnelParams.L2tpv3 pw = (TunnelParams.L2tpv3) c.tunnels().get("pw1").params();
        assertEquals(new TunnelParams.Cookie(0x0a0b0c0dL, 4), pw.localCookie());
        assertEquals(new TunnelParams.Cookie(0x0102030405060708L, 8), pw.remoteCookie());
        assertEquals(1702, c.tunnels().get("pw1").udpPort());
        assertEquals(io.warren.gateway.encap.l2tpv3.L2SpecificSublayer.DEFAULT, pw.sublayer());
        assertEquals(List.of("192.0.2.2"), c.tunnels().get("pw1").remotes());
        TunnelConfig vx200 = c.tunnels().get("vx200");
        assertEquals(List.of("198.51.100.20", "198.51.100.21", "vtep3.example.org"), vx200.remotes());
        assertEquals("198.51.100.20", vx200.remote());
        assertEquals(List.of(StaticMac.behind(io.warren.routing.Mac.of("02:00:00:00:02:01"), "198.51.100.21"),
                StaticMac.local(io.warren.routing.Mac.of("02:00:00:00:02:02"))), vx200.staticMacs());
        TunnelConfig pw2 = c.tunnels().get("pw2");
        assertEquals(io.warren.gateway.encap.l2tpv3.L2SpecificSublayer.NONE, ((TunnelParams.L2tpv3) pw2.params()).sublayer());
        assertEquals(List.of(StaticMac.behind(io.warren.routing.Mac.of("02:00:00:00:03:01"), "192.0.2.12")), pw2.staticMacs());
        assertTrue(vx.staticMacs().isEmpty());
        assertFalse(c.tunnels().get("gre1").layer2());
        assertTrue(c.tunnels().get("gu1").layer2());
        TunnelConfig gt1 = c.tunnels().get("gt1");
        assertTrue(gt1.layer2());
        assertEquals(new TunnelParams.Gre(java.util.OptionalLong.of(43), true, false), gt1.params());
        assertEquals(30, gt1.vlan().getAsInt());
        assertEquals("br-lan", gt1.bridge().orElseThrow());
        assertEquals(List.of(StaticMac.behind(io.warren.routing.Mac.of("02:00:00:00:04:01"), "198.51.100.7"),
                StaticMac.local(io.warren.routing.Mac.of("02:00:00:00:04:02"))), gt1.staticMacs());

        assertEquals(4, c.routes().size());
        assertInstanceOf(RouteVia.Peer.class, c.routes().get(1).via());
        assertEquals(200, c.routes().get(1).metric());
        assertEquals(RouteConfig.DEFAULT_METRIC, c.routes().get(0).metric());

        DhcpPoolConfig lan = c.dhcpPools().get("lan");
        assertEquals(Duration.ofHours(12), lan.leaseTime());
        assertEquals(List.of("1400"), lan.options().get(26));
        assertEquals("52:54:00:12:34:56", lan.hosts().get(0).mac().orElseThrow());
        assertEquals(Duration.ofHours(1), c.dhcpPools().get("pw").leaseTime());

        assertEquals(3, c.dns().listen().size());
        assertEquals(5353, c.dns().domainUpstreams().get("10.in-addr.arpa").get(0).getPort());
        assertEquals(1000, c.dns().cacheSize());
        assertEquals(new Endpoint("stun.example.net", NatTraversalConfig.STUN_PORT), c.natTraversal().stunServers().get(0));
        assertEquals(9587, c.metrics().listen().getPort());
    }

    @Test
    void emptyFileIsAValidConfigWithDefaults() {
        WarrenConfig c = new ConfigParser(new FakeSecretFiles(), Path.of("/")).parse("w.toml", "").config().orElseThrow();
        assertEquals(MetricsConfig.DEFAULT, c.metrics());
        assertEquals(ControlConfig.DEFAULT, c.control());
        assertFalse(c.dns().enabled());
    }

    @Test
    void shippedSiteToSiteExampleIsValid() throws Exception {
        assertShippedExampleValid("site-to-site.toml");
    }

    @Test
    void shippedSiteToSiteExampleIsValidWithItsCommentedL2KeysSwitchedOn() throws Exception {
        String text = Files.readString(EXAMPLES.resolve("site-to-site.toml"));
        // Only vx-shared's single remote gives way to the commented list (gre-branch keeps its own).
        String on = text.replace("local = \"10.255.0.1\"\nremote = \"10.255.0.2\"\n# Encrypt by sending the outer packets",
                        "local = \"10.255.0.1\"\n# Encrypt by sending the outer packets")
                .replace("#   remote = [", "remote = [").replace("#   static-macs", "static-macs");
        ConfigResult r = new ConfigParser(new FakeSecretFiles()
                .put("/etc/warren/wg0.key", "wK3EJPcxao7yQv3OKzQAmk9WKxxinyn+fKgKba6UlWg=\n", false),
                Path.of("/etc/warren")).parse("site-to-site.toml", on);
        assertEquals(List.of(), r.problems());
        TunnelConfig vx = r.orThrow().tunnels().get("vx-shared");
        assertEquals(List.of("10.255.0.2", "192.168.20.5"), vx.remotes());
        assertEquals(2, vx.staticMacs().size());
        TunnelConfig gt = r.orThrow().tunnels().get("gt-lab");
        assertTrue(gt.layer2(), "the gretap example");
        assertEquals(new TunnelParams.GreUdp(java.util.OptionalLong.of(300), 4754), gt.params());
        assertEquals(List.of(StaticMac.behind(io.warren.routing.Mac.of("02:00:0a:ff:01:01"), "10.255.0.2")),
                gt.staticMacs());
    }

    @Test
    void shippedRemoteAccessExampleIsValid() throws Exception {
        assertShippedExampleValid("remote-access.toml");
    }

    private static void assertShippedExampleValid(String name) throws Exception {
        String text = Files.readString(EXAMPLES.resolve(name));
        ConfigResult r = new ConfigParser(new FakeSecretFiles()
                .put("/etc/warren/wg0.key", "wK3EJPcxao7yQv3OKzQAmk9WKxxinyn+fKgKba6UlWg=\n", false),
                Path.of("/etc/warren")).parse(name, text);
        assertEquals(List.of(), r.problems());
        assertTrue(r.isValid());
    }

    @Test
    void collectsErrorsFromEverySectionNotJustTheFirst() {
        String text = String.join("\n",
                "[interface.wg0]",
                "listen-port = 0",
                "[tunnel.t]",
                "type = \"gre\"",
                "remote = \"not a host\"",
                "[[route]]",
                "prefix = \"10.0.0.1/8\"",
                "via = \"blackhole\"",
                "[metrics]",
                "listen = \"localhost:x\"");
        ConfigResult r = new ConfigParser(new FakeSecretFiles(), Path.of("/")).parse("w.toml", text);
        List<String> lines = r.errors().stream().map(ConfigError::format).toList();
        assertEquals(List.of(
                "w.toml:1: interface \"wg0\".private-key: missing (required): give private-key or private-key-file",
                "w.toml:2: interface \"wg0\".listen-port: 0 is out of range 1..65535",
                "w.toml:5: tunnel \"t\".remote: \"not a host\" is not an IP address or host name",
                "w.toml:7: route #1.prefix: \"10.0.0.1/8\" has host bits set; did you mean 10.0.0.0/8?",
                "w.toml:10: [metrics].listen: \"localhost:x\" is not an address (IP or IP:port)"), lines);
        BadConfigException e = assertThrows(BadConfigException.class, r::orThrow);
        assertEquals(5, e.errors().size());
    }

    @Test
    void privateKeysNeverAppearInMessages() {
        String almost = "wK3EJPcxao7yQv3OKzQAmk9WKxxinyn+fKgKba6UlWg";  // 43 chars, one short
        String text = "[interface.wg0]\nprivate-key = \"" + almost + "\"\n"
                + "[[interface.wg0.peer]]\npublic-key = \"" + almost + "\"\npreshared-key = \"" + almost + "\"\n";
        ConfigResult r = new ConfigParser(new FakeSecretFiles(), Path.of("/")).parse("w.toml", text);
        assertEquals(3, r.errors().size());
        r.problems().forEach(p -> assertFalse(p.format().contains(almost.substring(0, 10)), p.format()));
    }

    @Test
    void keyFileContentIsValidatedWithoutEchoingIt() {
        String secret = "not-a-key-but-secret-text";
        ConfigResult r = new ConfigParser(new FakeSecretFiles().put("/k/bad.key", secret, false), Path.of("/k"))
                .parse("w.toml", "[interface.wg0]\nprivate-key-file = \"bad.key\"\n");
        assertEquals(List.of("w.toml:2: interface \"wg0\".private-key-file: \"/k/bad.key\" does not hold a key: "
                + "not a WireGuard key: expected 44 base64 characters (32 bytes, as printed by 'wg genkey'), got 25"),
                r.problems().stream().map(ConfigError::format).toList());
    }

    @Test
    void loaderReportsMissingFileAsAProblem() {
        ConfigResult r = ConfigLoader.load(Path.of("/nonexistent/warren.toml"));
        assertEquals(List.of("warren.toml: cannot read /nonexistent/warren.toml: no such file"),
                r.problems().stream().map(ConfigError::format).toList());
    }
}
