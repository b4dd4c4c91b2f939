package io.warren.gateway.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.gateway.config.ConfigLoader;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.systemd.SdNotify;
import io.warren.testlab.ExecResult;
import io.warren.testlab.LabProcess;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reload acceptance: two whole Warren daemons (in-process, each on a thread inside its
 * namespace) joined by a WireGuard tunnel carry an iperf3 TCP stream while peers are added to and
 * removed from one of them by reload; the untouched tunnel never stalls, its session is never
 * renegotiated, and a reload of an invalid file changes nothing.
 */
class HotReloadIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final SecureRandom RANDOM = new SecureRandom();
    private final List<WarrenDaemon> daemons = new ArrayList<>();
    private final List<CompletableFuture<Integer>> exits = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (WarrenDaemon d : daemons) {
            d.submit(new DaemonEvent.Stop("test"));
        }
        for (CompletableFuture<Integer> e : exits) {
            e.get(20, TimeUnit.SECONDS);
        }
    }

    private static String config(String ifName, NoisePrivateKey key, String address, NoisePrivateKey peer,
                                 String endpoint, String allowed, List<NoisePrivateKey> extraPeers) {
        StringBuilder sb = new StringBuilder("[interface." + ifName + "]\n")
                .append("private-key = \"").append(key.toBase64()).append("\"\n")
                .append("listen-port = 51820\naddress = [\"").append(address).append("\"]\n")
                .append("[[interface.").append(ifName).append(".peer]]\n")
                .append("public-key = \"").append(peer.publicKey().toBase64()).append("\"\n");
        if (endpoint != null) {
            sb.append("endpoint = \"").append(endpoint).append("\"\n");
        }
        sb.append("allowed-ips = [\"").append(allowed).append("\"]\n");
        int n = 10;
        for (NoisePrivateKey extra : extraPeers) {
            sb.append("[[interface.").append(ifName).append(".peer]]\n")
                    .append("public-key = \"").append(extra.publicKey().toBase64()).append("\"\n")
                    .append("allowed-ips = [\"10.99.0.").append(n++).append("/32\"]\n");
        }
        return sb.append("[metrics]\nenabled = false\n[control]\nsocket = \"")
                .append(lab.tempDir().resolve(ifName + ".ctl")).append("\"\n").toString();
    }

    private WarrenDaemon start(Netns ns, Path file) throws Exception {
        WarrenConfig config = ConfigLoader.load(file).config().orElseThrow();
        WarrenDaemon daemon = new WarrenDaemon(WarrenDaemon.standardServices(), ConfigLoader::load,
                SdNotify.forSocket(null), false);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        ns.run(() -> {
            Thread t = new Thread(() -> exit.complete(daemon.run(config, file, new PrintWriter(new StringWriter()))),
                    "daemon-" + ns.name());
            t.setDaemon(true);
            t.start();
        });
        daemons.add(daemon);
        exits.add(exit);
        return daemon;
    }

    private static io.warren.gateway.daemon.ReloadOutcome reload(WarrenDaemon d) throws Exception {
        CompletableFuture<ReloadOutcome> done = new CompletableFuture<>();
        assertTrue(d.submit(new DaemonEvent.Reload("test", done)));
        return done.get(20, TimeUnit.SECONDS);
    }

    @Test
    void iperfThroughAnUntouchedTunnelSurvivesPeersAddedAndRemovedByReload() throws Exception {
        lab.requireRoot();
        lab.requireTools("iperf3", "wg");
        Netns a = lab.netns("ra");
        Netns b = lab.netns("rb");
        lab.veth(a, "ul0", b, "ul0");
        a.addr("ul0", "10.50.0.1/24");
        b.addr("ul0", "10.50.0.2/24");
        String ifA = lab.uniqueName("ha");
        String ifB = lab.uniqueName("hb");
        NoisePrivateKey keyA = NoisePrivateKey.generate(RANDOM);
        NoisePrivateKey keyB = NoisePrivateKey.generate(RANDOM);
        Path fileA = lab.tempDir().resolve("a.toml");
        Path fileB = lab.tempDir().resolve("b.toml");
        Files.writeString(fileA, config(ifA, keyA, "10.99.0.1/24", keyB, "10.50.0.2:51820", "10.99.0.2/32", List.of()));
        Files.writeString(fileB, config(ifB, keyB, "10.99.0.2/24", keyA, null, "10.99.0.1/32", List.of()));
        WarrenDaemon daemonA = start(a, fileA);
        start(b, fileB);
        Wait.until(Duration.ofSeconds(20), "both interfaces answer wg",
                () -> a.execAllowFail("wg", "show", ifA).exitCode() == 0 && b.execAllowFail("wg", "show", ifB).exitCode() == 0);
        ExecResult ping = a.execAllowFail("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.99.0.2");
        assertTrue(ping.stdout().contains(" 0% packet loss"), ping.stdout());
        String handshakeBefore = a.exec("wg", "show", ifA, "latest-handshakes").stdout();

        LabProcess server = lab.spawn(b, "iperf3", "-s", "-1", "-B", "10.99.0.2");
        Wait.until(Duration.ofSeconds(5), "iperf3 listening",
                () -> b.execAllowFail("ss", "-ltn", "sport = :5201").stdout().contains("5201"));
        LabProcess client = lab.spawn(a, "iperf3", "-c", "10.99.0.2", "-t", "8", "-i", "1", "-J");

        // While the stream runs: add three peers, remove them, add one back, then an invalid file.
        List<NoisePrivateKey> extra = List.of(NoisePrivateKey.generate(RANDOM), NoisePrivateKey.generate(RANDOM),
                NoisePrivateKey.generate(RANDOM));
        String valid = config(ifA, keyA, "10.99.0.1/24", keyB, "10.50.0.2:51820", "10.99.0.2/32", List.of());
        for (List<NoisePrivateKey> peers : List.of(extra, List.<NoisePrivateKey>of(), extra.subList(0, 1))) {
            Thread.sleep(1500);
            Files.writeString(fileA, config(ifA, keyA, "10.99.0.1/24", keyB, "10.50.0.2:51820", "10.99.0.2/32", peers));
            ReloadOutcome outcome = reload(daemonA);
            assertTrue(outcome.applied(), outcome.messages().toString());
            assertEquals(1 + peers.size(), daemonA.runningConfig().interfaces().get(ifA).peers().size());
        }
        Files.writeString(fileA, valid.replace("listen-port = 51820", "listen-port = 70000"));
        ReloadOutcome rejected = reload(daemonA);
        assertFalse(rejected.applied());
        assertTrue(rejected.messages().toString().contains("listen-port"), rejected.messages().toString());
        assertEquals(2, daemonA.runningConfig().interfaces().get(ifA).peers().size(), "the invalid file changed nothing");

        assertEquals(0, client.waitFor(Duration.ofSeconds(30)), client.output());
        server.waitFor(Duration.ofSeconds(5));
        Matcher m = Pattern.compile("\"sum\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)").matcher(client.output());
        int intervals = 0;
        while (m.find()) {
            double bps = Double.parseDouble(m.group(1));
            intervals++;
            assertTrue(bps > 1e6, "no interval of the stream stalled: interval " + intervals + " had " + bps + " bit/s");
        }
        assertTrue(intervals >= 8, "iperf3 reported every second: " + intervals);
        assertEquals(handshakeBefore, a.exec("wg", "show", ifA, "latest-handshakes").stdout().lines()
                .filter(l -> l.startsWith(keyB.publicKey().toBase64())).findFirst().map(l -> l + "\n").orElse(""),
                "the untouched peer kept its session (no new handshake)");
    }

    /**
     * A plain VXLAN tunnel to the kernel's: a reload raising its {@code mtu} above what the 1500
     * underlay carries (1450 after outer IP, UDP, VXLAN and Ethernet) is rejected before the running
     * tunnel is touched; pings keep crossing the same TAP, and the reply says which key and why.
     */
    @Test
    void aPlainTunnelMtuTheUnderlayCannotCarryKeepsTheRunningTunnel() throws Exception {
        lab.requireRoot();
        Netns a = lab.netns("rka");
        Netns b = lab.netns("rkb");
        lab.veth(a, "ul0", b, "ul0");
        a.addr("ul0", "10.51.0.1/24");
        b.addr("ul0", "10.51.0.2/24");
        b.exec("ip", "link", "add", "kx0", "type", "vxlan", "id", "4242", "local", "10.51.0.2", "remote", "10.51.0.1",
                "dstport", "4789", "dev", "ul0");
        b.addr("kx0", "10.97.0.2/24");
        b.up("kx0");
        String vx = lab.uniqueName("vx");
        String tunnel = "[tunnel." + vx + "]\ntype = \"vxlan\"\nvni = 4242\nremote = \"10.51.0.2\"\n";
        String tail = "[metrics]\nenabled = false\n[control]\nsocket = \"" + lab.tempDir().resolve(vx + ".ctl") + "\"\n";
        Path file = lab.tempDir().resolve("vx.toml");
        Files.writeString(file, tunnel + tail);
        WarrenDaemon daemon = start(a, file);
        Wait.until(Duration.ofSeconds(10), "the TAP is up",
                () -> a.execAllowFail("ip", "link", "show", vx).stdout().contains(",UP"));
        a.addr(vx, "10.97.0.1/24");
        String index = a.exec("cat", "/sys/class/net/" + vx + "/ifindex").stdout().strip();
        ExecResult ping = a.execAllowFail("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.97.0.2");
        assertTrue(ping.stdout().contains(" 0% packet loss"), ping.stdout());

        LabProcess during = lab.spawn(a, "ping", "-c", "20", "-i", "0.1", "-W", "1", "10.97.0.2");
        Files.writeString(file, tunnel + "mtu = 1500\n" + tail);
        ReloadOutcome rejected = reload(daemon);
        assertFalse(rejected.applied());
        assertEquals(List.of("vx.toml:5: tunnel \"" + vx + "\".mtu: mtu 1500 does not fit the underlay toward 10.51.0.2"
                + " (1500 - 50 bytes of outer IP, UDP, VXLAN and Ethernet headers = 1450)"), rejected.messages());
        during.waitFor(Duration.ofSeconds(10));
        assertTrue(during.output().contains(" 0% packet loss"), "no ping lost across the rejected reload: "
                + during.output());
        assertEquals(index, a.exec("cat", "/sys/class/net/" + vx + "/ifindex").stdout().strip(), "the same TAP");
        assertTrue(daemon.runningConfig().tunnels().get(vx).mtu().isEmpty(), "the running config is kept");

        Files.writeString(file, tunnel + "mtu = 1400\n" + tail);
        ReloadOutcome fits = reload(daemon);
        assertTrue(fits.applied(), fits.messages().toString());
        Wait.until(Duration.ofSeconds(10), "the TAP is back with mtu 1400",
                () -> a.execAllowFail("ip", "link", "show", vx).stdout().contains("mtu 1400"));
    }
}
