package io.warren.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.cli.CliEnvironment;
import io.warren.gateway.cli.Daemon;
import io.warren.gateway.cli.ExitCodes;
import io.warren.gateway.cli.WarrenCli;
import io.warren.gateway.config.ConfigLoader;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.config.WgKey;
import io.warren.gateway.daemon.DaemonEvent;
import io.warren.gateway.daemon.WarrenDaemon;
import io.warren.gateway.systemd.SdNotify;
import io.warren.testlab.ExecResult;
import io.warren.testlab.LabProcess;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole appliance in namespaces: a real {@link WarrenDaemon} (in-process, on a thread inside
 * the gateway namespace) with a private LAN behind it; {@code warren client add} over the control
 * socket; the printed wg-quick config, stripped as {@code wg-quick strip} does, brought up with
 * stock wireguard-go + {@code wg setconf} in a client namespace reaches the LAN host; then
 * {@code warren status}, a {@code promtool check metrics} of a scrape, reloads that add and remove
 * another client under a ping flood (no loss on the untouched tunnel), and a reload of an invalid
 * file that changes nothing and says why.
 */
class ControlClientAddIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private Netns gw;
    private WarrenDaemon daemon;
    private CompletableFuture<Integer> exit;

    @BeforeEach
    void requirements() {
        lab.requireRoot();
        lab.requireTools("wireguard-go", "wg", "ping", "promtool");
    }

    @AfterEach
    void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.submit(new DaemonEvent.Stop("test"));
            assertEquals(ExitCodes.OK, exit.get(20, TimeUnit.SECONDS));
        }
    }

    private static final class Cli {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code;

        Cli(String... args) {
            CliEnvironment env = new CliEnvironment(new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                    new PrintWriter(err, true), new SecureRandom(), Daemon.DRY_RUN, new SocketControlTransport());
            code = WarrenCli.execute(env, args);
        }
    }

    @Test
    void clientAddStatusMetricsAndReloads() throws Exception {
        gw = lab.netns("cgw");
        Netns lan = lab.netns("clan");
        Netns cl = lab.netns("ccl");
        lab.veth(gw, "ul0", cl, "ul0");
        lab.veth(gw, "lan0", lan, "lan0");
        gw.addr("ul0", "10.70.0.1/24");
        cl.addr("ul0", "10.70.0.2/24");
        gw.addr("lan0", "192.168.77.1/24");
        lan.addr("lan0", "192.168.77.2/24");
        lan.exec("ip", "route", "add", "default", "via", "192.168.77.1");
        gw.sysctl("net.ipv4.ip_forward", "1");

        String gwIf = lab.uniqueName("cg");
        String clIf = lab.uniqueName("cc");
        Path sock = lab.tempDir().resolve("control.sock");
        Path file = lab.tempDir().resolve("warren.toml");
        String toml = "# Warren test gateway\n[interface." + gwIf + "]\n"
                + "private-key = \"" + WgKey.generatePrivate(new SecureRandom()).toBase64() + "\"\n"
                + "listen-port = 51820\naddress = [\"10.77.0.1/24\"]\n\n"
                + "[metrics]\nlisten = \"127.0.0.1:19587\"\n\n[control]\nsocket = \"" + sock + "\"\n";
        Files.writeString(file, toml);
        WarrenConfig config = ConfigLoader.load(file).config().orElseThrow();
        daemon = new WarrenDaemon(WarrenDaemon.standardServices(), ConfigLoader::load, SdNotify.forSocket(null), false);
        exit = new CompletableFuture<>();
        gw.run(() -> {
            Thread t = new Thread(() -> exit.complete(daemon.run(config, file, new PrintWriter(new StringWriter()))), "daemon");
            t.setDaemon(true);
            t.start();
        });
        Wait.until(Duration.ofSeconds(20), "control socket", () -> Files.exists(sock));

        Cli add = new Cli("client", "add", "alice", "--socket", sock.toString(), "--endpoint", "10.70.0.1",
                "--allowed-ips", "10.77.0.0/24,192.168.77.0/24");
        assertEquals(0, add.code, add.err.toString());
        String printed = add.out.toString();
        Matcher m = Pattern.compile("(?s)(\\[Interface\\].*?PersistentKeepalive = 25\n)").matcher(printed);
        assertTrue(m.find(), printed);
        String clientConfig = m.group(1);
        assertTrue(clientConfig.contains("Address = 10.77.0.2/32\n"), clientConfig);
        assertTrue(clientConfig.contains("Endpoint = 10.70.0.1:51820\n"), clientConfig);
        assertTrue(printed.contains("\u2588"), "a QR code follows the config");
        assertTrue(Files.readString(file).startsWith(toml), "the file keeps its text and comments");

        Path conf = lab.tempDir().resolve("client.conf");
        Files.writeString(conf, ClientOnboarding.strip(clientConfig));
        LabProcess wgGo = lab.spawn(cl, "wireguard-go", "-f", clIf);
        Wait.until(Duration.ofSeconds(10), "wireguard-go socket", () -> Files.exists(Path.of("/var/run/wireguard/" + clIf + ".sock")));
        cl.exec("wg", "setconf", clIf, conf.toString());
        cl.exec("ip", "addr", "add", "10.77.0.2/32", "dev", clIf);
        cl.exec("ip", "link", "set", clIf, "up");
        cl.exec("ip", "route", "add", "10.77.0.0/24", "dev", clIf);
        cl.exec("ip", "route", "add", "192.168.77.0/24", "dev", clIf);
        ExecResult ping = cl.execAllowFail("ping", "-c", "3", "-i", "0.2", "-W", "2", "192.168.77.2");
        assertEquals(0, loss(ping), ping.stdout() + ping.stderr());

        Cli status = new Cli("status", "--socket", sock.toString());
        assertEquals(0, status.code, status.err.toString());
        String s = status.out.toString();
        assertTrue(s.contains("interface: " + gwIf + "\n"), s);
        assertTrue(s.contains("peer: alice ("), s);
        assertTrue(s.contains("  endpoint: 10.70.0.2:"), s);
        assertTrue(s.matches("(?s).*  latest handshake: (Now|\\d+ seconds? ago)\n.*"), s);
        assertTrue(s.contains("  transfer: "), s);
        Cli json = new Cli("status", "--json", "--socket", sock.toString());
        assertTrue(json.out.toString().contains("\"name\" : \"alice\""), json.out.toString());

        String scrape = gw.call(() -> {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:19587/metrics").openConnection();
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        });
        assertTrue(scrape.contains("warren_peer_received_bytes_total{interface=\"" + gwIf + "\",peer=\"alice\"}"), scrape);
        assertTrue(scrape.contains("warren_peer_latest_handshake_age_seconds{"), scrape);
        assertTrue(scrape.contains("warren_interface_dropped_packets_total{interface=\"" + gwIf + "\",reason=\"outbound_no_peer\"}"), scrape);
        Path scraped = lab.tempDir().resolve("scrape.txt");
        Files.writeString(scraped, scrape);
        ExecResult promtool = gw.execAllowFail("sh", "-c", "promtool check metrics < " + scraped);
        assertEquals(0, promtool.exitCode(), promtool.stdout() + promtool.stderr());
        assertEquals("", (promtool.stdout() + promtool.stderr()).strip(), "promtool finds nothing to lint");

        // Reloads that add and remove another client while alice pings the LAN: no loss.
        LabProcess flood = lab.spawn(cl, "ping", "-c", "400", "-i", "0.01", "-W", "2", "192.168.77.2");
        String before = Files.readString(file);
        for (int i = 0; i < 3; i++) {
            Cli bob = new Cli("client", "add", "bob" + i, "--socket", sock.toString(), "--endpoint", "10.70.0.1");
            assertEquals(0, bob.code, bob.err.toString());
            Files.writeString(file, before);
            Cli reload = new Cli("reload", "--socket", sock.toString());
            assertEquals(0, reload.code, reload.err.toString());
            assertTrue(reload.out.toString().contains("peers of " + gwIf + ": +0 -1 ~0"), reload.out.toString());
        }
        assertEquals(0, flood.waitFor(Duration.ofSeconds(30)), flood.output());
        assertTrue(flood.output().contains(" 0% packet loss"), flood.output());

        // An invalid file changes nothing and says where and why.
        Files.writeString(file, before.replace("listen-port = 51820", "listen-port = 70000"));
        Cli bad = new Cli("reload", "--socket", sock.toString());
        assertEquals(ExitCodes.INVALID, bad.code);
        assertTrue(bad.err.toString().contains("warren.toml:"), bad.err.toString());
        assertTrue(bad.err.toString().contains("listen-port"), bad.err.toString());
        ExecResult still = cl.execAllowFail("ping", "-c", "2", "-i", "0.2", "-W", "2", "192.168.77.2");
        assertEquals(0, loss(still), still.stdout());
        Files.writeString(file, before);
        wgGo.stop();
    }

    private static int loss(ExecResult ping) {
        Matcher m = Pattern.compile("(\\d+)% packet loss").matcher(ping.stdout());
        return m.find() ? Integer.parseInt(m.group(1)) : 100;
    }

}
