package io.warren.gateway.tunnel.gre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.config.ConfigLoader;
import io.warren.gateway.config.ConfigResult;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.daemon.TunnelService;
import io.warren.testlab.ExecResult;
import io.warren.testlab.LabProcess;
import io.warren.testlab.NetLab;
import io.warren.testlab.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Warren to Warren over an IPv6 underlay (outer IPv6: raw GRE, RFC 2784 over IPv6, and GRE-in-UDP
 * with the mandatory UDP checksum, RFC 8086 §3.3), carrying inner IPv4 and IPv6 between LAN hosts.
 * Opened from TOML through the daemon's tunnel service; IPv6 forwarding comes only from the
 * tunnel's {@code forwarding = true} (per-device force_forwarding: {@code all.forwarding} stays 0).
 * tshark checks the outer packets are IPv6 (next header 47, or 17 to port 4754) between the
 * underlay addresses.
 */
class GreIpv6UnderlayIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private GreSites sites;
    private final java.util.List<Runnable> cleanup = new java.util.ArrayList<>();

    @BeforeEach
    void requirements() {
        lab.requireRoot();
        lab.requireTools("ip", "ping", "tshark", "iperf3", "sysctl");
        sites = new GreSites(lab);
    }

    @AfterEach
    void close() {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).run();
        }
        if (sites != null) {
            sites.close();
        }
    }

    /** Adds the IPv6 plan to a GreSites site: underlay 2001:db8:50::n, LAN fd7n::/64. */
    private static void ipv6(GreSites.Site s) {
        int n = s.n();
        s.gw().exec("ip", "addr", "add", "2001:db8:50::" + n + "/64", "dev", "ul0", "nodad");
        s.gw().exec("ip", "addr", "add", "fd7" + n + "::1/64", "dev", "lan0", "nodad");
        s.host().exec("ip", "addr", "add", "fd7" + n + "::2/64", "dev", "eth0", "nodad");
        s.host().exec("ip", "-6", "route", "add", "default", "via", "fd7" + n + "::1");
    }

    private TunnelService start(GreSites.Site s, String typeAndOptions, int other) throws Exception {
        String toml = "[tunnel.g6]\n" + typeAndOptions
                + "local = \"2001:db8:50::" + s.n() + "\"\n"
                + "remote = \"2001:db8:50::" + other + "\"\n"
                + "forwarding = true\nforwarding-interfaces = [\"lan0\"]\n"
                + "[[route]]\nprefix = \"10." + other + ".0.0/24\"\nvia = \"tunnel:g6\"\n"
                + "[[route]]\nprefix = \"fd7" + other + "::/64\"\nvia = \"tunnel:g6\"\n";
        Path file = lab.tempDir().resolve(s.gw().name() + ".toml");
        Files.writeString(file, toml);
        ConfigResult parsed = ConfigLoader.load(file);
        assertTrue(parsed.isValid(), parsed.problems().toString());
        WarrenConfig config = parsed.config().orElseThrow();
        TunnelService svc = TunnelService.standard();
        s.gw().run(() -> svc.start(config));
        cleanup.add(() -> s.gw().run(svc::close));
        return svc;
    }

    private void run(String typeAndOptions, int overhead, String filter, String expectField, String outerNext) throws Exception {
        GreSites.Site a = sites.site(1, 1500);
        GreSites.Site b = sites.site(2, 1500);
        ipv6(a);
        ipv6(b);
        assertEquals("0", a.gw().readSysctl("net.ipv6.conf.all.forwarding"));
        TunnelService sa = start(a, typeAndOptions, 2);
        start(b, typeAndOptions, 1);
        assertEquals(Integer.toString(1500 - overhead), a.gw().exec("cat", "/sys/class/net/g6/mtu").stdout().trim(),
                "1500 - 40 (IPv6) - GRE headers");

        LabProcess cap = lab.spawn(b.gw(), "tshark", "-l", "-n", "-i", "ul0", "-f", filter, "-T", "fields",
                "-E", "separator=|", "-e", "ipv6.nxt", "-e", expectField, "-e", "ip.dst", "-e", "ipv6.dst");
        Wait.until(Duration.ofSeconds(10), "tshark capturing", () -> cap.output().contains("Capturing on"));
        Thread.sleep(1000);
        ExecResult v4 = a.host().execAllowFail("ping", "-n", "-c", "3", "-i", "0.2", "-W", "3", "10.2.0.2");
        ExecResult v6 = a.host().execAllowFail("ping", "-6", "-n", "-c", "3", "-i", "0.2", "-W", "3", "fd72::2");
        ExecResult v6big = a.host().execAllowFail("ping", "-6", "-n", "-c", "2", "-M", "do", "-s",
                Integer.toString(1500 - overhead - 48), "-W", "3", "fd72::2");
        Thread.sleep(1000);
        cap.stop();
        String counters = sa.tunnels().get("g6").counters().toString();
        assertEquals(0, v4.exitCode(), "inner IPv4: " + v4.stdout() + v4.stderr() + counters);
        assertEquals(0, v6.exitCode(), "inner IPv6: " + v6.stdout() + v6.stderr() + counters);
        assertEquals(0, v6big.exitCode(), "full-size inner IPv6: " + v6big.stdout() + v6big.stderr());
        assertEquals("0", a.gw().readSysctl("net.ipv6.conf.all.forwarding"), "only per-device forwarding");
        java.util.List<String> outer = cap.output().lines().filter(l -> l.matches("^\\d+(,\\d+)*\\|.*")).toList();
        assertTrue(outer.size() >= 16, "outer IPv6 packets seen: " + cap.output());
        for (String line : outer) {
            String[] f = line.split("\\|", -1);
            assertEquals(outerNext, f[0].split(",")[0], "outer next header: " + line);
            assertTrue(f[3].startsWith("2001:db8:50::"), "outer IPv6 between the underlay addresses: " + line);
        }
        double gbps = iperf(b, a);
        System.out.printf("IPv6 underlay %s: iperf3 (inner IPv6) %.2f Gbit/s%s%n",
                typeAndOptions.replace('\n', ' '), gbps / 1e9, sites.counters());
        assertTrue(gbps > 1e6, "iperf3 moved data");
    }

    /** iperf3 TCP over inner IPv6 for 2 s; bits/s received. */
    private static double iperf(GreSites.Site server, GreSites.Site client) {
        LabProcess srv = lab.spawn(server.host(), "iperf3", "-s", "-1", "-B", "fd72::2");
        Wait.until(Duration.ofSeconds(5), "iperf3 server",
                () -> server.host().execAllowFail("ss", "-ltn").stdout().contains(":5201"));
        ExecResult r = client.host().execAllowFail("iperf3", "-c", "fd72::2", "-t", "2", "-J");
        srv.waitFor(Duration.ofSeconds(5));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "\"sum_received\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)").matcher(r.stdout());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void greOverIpv6CarriesIpv4AndIpv6() throws Exception {
        run("type = \"gre\"\nkey = 6\n", 40 + 8, "ip6 proto 47", "gre.key", "47");
    }

    @Test
    void greInUdpOverIpv6CarriesIpv4AndIpv6() throws Exception {
        run("type = \"gre-udp\"\nsequence = true\n", 40 + 8 + 8, "ip6 and udp port 4754", "udp.dstport", "17");
    }
}
