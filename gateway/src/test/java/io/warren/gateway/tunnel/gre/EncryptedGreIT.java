package io.warren.gateway.tunnel.gre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.gateway.config.ConfigDiff;
import io.warren.gateway.config.ConfigLoader;
import io.warren.gateway.config.ConfigResult;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.daemon.RunningInterface;
import io.warren.gateway.daemon.TunnelService;
import io.warren.gateway.transport.Transports;
import io.warren.testlab.ExecResult;
import io.warren.testlab.LabProcess;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GRE and GRE-in-UDP carried inside Warren's WireGuard, from TOML ({@code encrypted-via}) through
 * the daemon's tunnel service: hosts behind two gateways ping (full-size DF packets too) and move
 * data with iperf3; tshark on the underlay sees only WireGuard on UDP 51820, never IP protocol 47 nor
 * UDP 4754. The gateway namespaces start with IP forwarding off: {@code forwarding = true} with
 * {@code forwarding-interfaces = ["lan0"]} switches it on for the tunnel and LAN devices, and a
 * reload that removes the tunnel puts the LAN port back to off.
 */
class EncryptedGreIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final SecureRandom RANDOM = new SecureRandom();

    private Transports transports;
    private final List<Runnable> cleanup = new ArrayList<>();

    @BeforeEach
    void requirements() {
        lab.requireRoot();
        lab.requireTools("ip", "ping", "ethtool", "tshark", "iperf3");
    }

    @AfterEach
    void stop() {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).run();
        }
        if (transports != null) {
            transports.close();
        }
    }

    private static String wireGuard(String wg, NoisePrivateKey key, NoisePrivateKey peer, int self, int other) {
        return "[interface." + wg + "]\n"
                + "private-key = \"" + key.toBase64() + "\"\n"
                + "listen-port = 51820\n"
                + "address = [\"10.62.0." + self + "/24\"]\n"
                + "[[interface." + wg + ".peer]]\n"
                + "name = \"other\"\n"
                + "public-key = \"" + peer.publicKey().toBase64() + "\"\n"
                + "endpoint = \"10.50.0." + other + ":51820\"\n"
                + "allowed-ips = [\"10.62.0." + other + "/32\"]\n";
    }

    private static String tunnel(String wg, String typeAndOptions, int other) {
        return "[tunnel.eg0]\n" + typeAndOptions
                + "remote = \"10.62.0." + other + "\"\n"
                + "encrypted-via = \"" + wg + "/other\"\n"
                + "forwarding = true\n"
                + "forwarding-interfaces = [\"lan0\"]\n"
                + "[[route]]\n"
                + "prefix = \"10.7" + other + ".0.0/24\"\n"
                + "via = \"tunnel:eg0\"\n";
    }

    private static WarrenConfig load(Netns ns, String name, String toml) throws Exception {
        Path file = lab.tempDir().resolve(ns.name() + "-" + name + ".toml");
        Files.writeString(file, toml);
        ConfigResult parsed = ConfigLoader.load(file);
        assertTrue(parsed.isValid(), parsed.problems().toString());
        return parsed.config().orElseThrow();
    }

    /** Host h{n} (10.7n.0.2) behind gateway g{n} (LAN 10.7n.0.1 on lan0, underlay 10.50.0.n on ul0). */
    private record Site(int n, Netns host, Netns gw) {
    }

    private static Site site(int n) {
        Netns host = lab.netns("eh" + n);
        Netns gw = lab.netns("eg" + n);
        lab.veth(host, "eth0", gw, "lan0");
        host.addr("eth0", "10.7" + n + ".0.2/24");
        host.exec("ip", "route", "add", "default", "via", "10.7" + n + ".0.1");
        host.exec("ethtool", "-K", "eth0", "tx", "off");
        gw.addr("lan0", "10.7" + n + ".0.1/24");
        return new Site(n, host, gw);
    }

    private TunnelService startGateway(Site s, WarrenConfig config, String wg) {
        RunningInterface ri = s.gw().call(() -> RunningInterface.open(config.interfaces().get(wg), transports));
        cleanup.add(() -> s.gw().run(ri::close));
        TunnelService svc = TunnelService.standard();
        s.gw().run(() -> svc.start(config));
        cleanup.add(() -> s.gw().run(svc::close));
        return svc;
    }

    private void runEncrypted(String typeAndOptions, int greOverhead) throws Exception {
        Site a = site(1);
        Site b = site(2);
        lab.veth(a.gw(), "ul0", b.gw(), "ul0");
        a.gw().addr("ul0", "10.50.0.1/24");
        b.gw().addr("ul0", "10.50.0.2/24");
        for (Site s : List.of(a, b)) {
            assertEquals("0", s.gw().readSysctl("net.ipv4.ip_forward"), "the namespace starts without forwarding");
            assertEquals("0", s.gw().readSysctl("net.ipv4.conf.lan0.forwarding"));
        }
        transports = Transports.create(1);
        NoisePrivateKey ka = NoisePrivateKey.generate(RANDOM);
        NoisePrivateKey kb = NoisePrivateKey.generate(RANDOM);
        String wa = lab.uniqueName("wa");
        String wb = lab.uniqueName("wb");
        WarrenConfig ca = load(a.gw(), "full", wireGuard(wa, ka, kb, 1, 2) + tunnel(wa, typeAndOptions, 2));
        WarrenConfig cb = load(b.gw(), "full", wireGuard(wb, kb, ka, 2, 1) + tunnel(wb, typeAndOptions, 1));
        TunnelService sa = startGateway(a, ca, wa);
        TunnelService sb = startGateway(b, cb, wb);
        assertEquals("1", a.gw().readSysctl("net.ipv4.conf.lan0.forwarding"), "forwarding = true: LAN port");
        assertEquals("1", a.gw().readSysctl("net.ipv4.conf.eg0.forwarding"), "and the tunnel device");
        assertEquals("0", a.gw().readSysctl("net.ipv4.ip_forward"), "per device only, never the global switch");

        int wgMtu = Integer.parseInt(a.gw().exec("cat", "/sys/class/net/" + wa + "/mtu").stdout().trim());
        int greMtu = Integer.parseInt(a.gw().exec("cat", "/sys/class/net/eg0/mtu").stdout().trim());
        assertEquals(wgMtu - greOverhead, greMtu, "tunnel MTU = WireGuard MTU - GRE overhead");

        LabProcess cap = lab.spawn(a.gw(), "tshark", "-l", "-n", "-i", "ul0", "-f", "ip", "-T", "fields",
                "-E", "separator=|", "-e", "ip.proto", "-e", "udp.srcport", "-e", "udp.dstport");
        Wait.until(Duration.ofSeconds(10), "tshark capturing", () -> cap.output().contains("Capturing on"));
        Thread.sleep(1000);
        ExecResult ping = a.host().execAllowFail("ping", "-n", "-c", "5", "-i", "0.2", "-W", "3", "10.72.0.2");
        ExecResult big = a.host().execAllowFail("ping", "-n", "-c", "2", "-M", "do", "-s",
                Integer.toString(greMtu - 28), "-W", "3", "10.72.0.2");
        double gbps = iperf(a, b);
        Thread.sleep(1000);
        cap.stop();
        assertEquals(0, ping.exitCode(), ping.stdout() + ping.stderr() + counters(sa));
        assertEquals(0, big.exitCode(), "full-size DF packets fit: " + big.stdout() + big.stderr());
        List<String> wire = cap.output().lines().filter(l -> l.matches("^\\d+\\|.*")).toList();
        assertTrue(wire.size() >= 100, cap.output());
        for (String line : wire) {
            String[] f = line.split("\\|", -1);
            assertNotEquals("47", f[0], "no bare GRE on the underlay: " + line);
            assertEquals("17", f[0], "only UDP: " + line);
            assertTrue(f[1].equals("51820") && f[2].equals("51820"), "only WireGuard, never GRE-in-UDP: " + line);
        }
        System.out.printf("encrypted %s: iperf3 %.2f Gbit/s, %d underlay packets, all WireGuard%s%n",
                typeAndOptions.replace('\n', ' '), gbps, wire.size(), counters(sa) + counters(sb));

        // Remove the tunnel by reload: forwarding goes back to what the namespace had.
        WarrenConfig without = load(a.gw(), "without", wireGuard(wa, ka, kb, 1, 2));
        a.gw().run(() -> sa.apply(ca, without, ConfigDiff.between(ca, without)));
        assertEquals("0", a.gw().readSysctl("net.ipv4.conf.lan0.forwarding"), "restored when the tunnel is removed");
        assertTrue(sa.tunnels().isEmpty());
        ExecResult after = a.host().execAllowFail("ping", "-n", "-c", "1", "-W", "1", "10.72.0.2");
        assertNotEquals(0, after.exitCode(), "no tunnel, no path: " + after.stdout());
    }

    @Test
    void greWithKeySequenceAndChecksumInsideWireGuard() throws Exception {
        runEncrypted("type = \"gre\"\nkey = 42\nsequence = true\nchecksum = true\n", 20 + 16);
    }

    @Test
    void greInUdpWithSequenceNumbersInsideWireGuard() throws Exception {
        runEncrypted("type = \"gre-udp\"\nkey = 43\nsequence = true\n", 20 + 8 + 12);
    }

    private double iperf(Site client, Site server) {
        LabProcess srv = lab.spawn(server.host(), "iperf3", "-s", "-1", "-B", "10.72.0.2");
        Wait.until(Duration.ofSeconds(5), "iperf3 server",
                () -> server.host().execAllowFail("ss", "-ltn").stdout().contains(":5201"));
        ExecResult r = client.host().execAllowFail("iperf3", "-c", "10.72.0.2", "-t", "2", "-J");
        srv.waitFor(Duration.ofSeconds(5));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        Matcher m = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)")
                .matcher(r.stdout());
        double gbps = m.find() ? Double.parseDouble(m.group(1)) / 1e9 : 0;
        assertTrue(gbps > 0.001, "iperf3 moved data: " + r.stdout());
        return gbps;
    }

    private static String counters(TunnelService s) {
        StringBuilder sb = new StringBuilder();
        s.tunnels().forEach((n, t) -> {
            sb.append('\n').append(n).append(':');
            t.counters().forEach((k, v) -> sb.append(v == 0 ? "" : " " + k + "=" + v));
        });
        return sb.toString();
    }
}
