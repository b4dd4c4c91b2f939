package io.warren.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.gateway.config.ConfigLoader;
import io.warren.gateway.config.ConfigResult;
import io.warren.gateway.config.InterfaceConfig;
import io.warren.gateway.daemon.RunningInterface;
import io.warren.testlab.ExecResult;
import io.warren.testlab.LabProcess;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Warren's WireGuard interface against stock wireguard-go (Debian's package), each in its own
 * network namespace joined by a veth underlay: handshakes started by either side, ping, iperf3 TCP
 * both ways, the stock {@code wg} tool reading Warren's interface, IPv6 as outer transport, roaming.
 */
class WireGuardGoInteropIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final SecureRandom RANDOM = new SecureRandom();

    private Netns warren;
    private Netns stock;
    private String warrenIf;
    private String stockIf;
    private NoisePrivateKey warrenKey;
    private NoisePrivateKey stockKey;
    private Transports transports;
    private RunningInterface running;
    private LabProcess wireguardGo;

    @BeforeEach
    void requirements() {
        lab.requireRoot();
        lab.requireTools("wireguard-go", "wg", "ping", "iperf3");
    }

    @AfterEach
    void stopWarren() {
        if (running != null) {
            warren.run(() -> running.close());
        }
        if (transports != null) {
            transports.close();
        }
    }

    /** Builds both namespaces; {@code v6} selects an IPv6 underlay. */
    private void topology(boolean v6) throws Exception {
        topology(v6, 1);
    }

    /** As above, Warren's TUN device with {@code queues} queues ({@code IFF_MULTI_QUEUE} when more than 1). */
    private void topology(boolean v6, int queues) throws Exception {
        warren = lab.netns("wgw");
        stock = lab.netns("wgs");
        lab.veth(warren, "ul0", stock, "ul0");
        warren.addr("ul0", v6 ? "fd50::1/64" : "10.50.0.1/24");
        stock.addr("ul0", v6 ? "fd50::2/64" : "10.50.0.2/24");
        warrenIf = lab.uniqueName("wa");
        stockIf = lab.uniqueName("ws");
        warrenKey = NoisePrivateKey.generate(RANDOM);
        stockKey = NoisePrivateKey.generate(RANDOM);

        wireguardGo = lab.spawn(stock, "wireguard-go", "-f", stockIf);
        Wait.until(Duration.ofSeconds(10), "wireguard-go's UAPI socket",
                () -> Files.exists(Path.of("/var/run/wireguard/" + stockIf + ".sock")));
        Path keyFile = lab.tempDir().resolve("stock.key");
        Files.writeString(keyFile, stockKey.toBase64() + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        stock.exec("wg", "set", stockIf, "private-key", keyFile.toString(), "listen-port", "51820",
                "peer", warrenKey.publicKey().toBase64(), "allowed-ips", "10.60.0.1/32,fd60::1/128",
                "endpoint", v6 ? "[fd50::1]:51820" : "10.50.0.1:51820");
        stock.exec("ip", "addr", "add", "10.60.0.2/24", "dev", stockIf);
        stock.exec("ip", "addr", "add", "fd60::2/64", "dev", stockIf, "nodad");
        stock.exec("ip", "link", "set", stockIf, "up");

        String toml = "[interface." + warrenIf + "]\n"
                + "private-key = \"" + warrenKey.toBase64() + "\"\n"
                + "listen-port = 51820\n"
                + "address = [\"10.60.0.1/24\", \"fd60::1/64\"]\n"
                + "queues = " + queues + "\n"
                + "[[interface." + warrenIf + ".peer]]\n"
                + "public-key = \"" + stockKey.publicKey().toBase64() + "\"\n"
                + "endpoint = \"" + (v6 ? "[fd50::2]:51820" : "10.50.0.2:51820") + "\"\n"
                + "allowed-ips = [\"10.60.0.2/32\", \"fd60::2/128\"]\n";
        Path configFile = lab.tempDir().resolve("warren.toml");
        Files.writeString(configFile, toml);
        ConfigResult parsed = ConfigLoader.load(configFile);
        assertTrue(parsed.isValid(), parsed.problems().toString());
        InterfaceConfig ic = parsed.config().orElseThrow().interfaces().get(warrenIf);
        transports = Transports.create(1);
        running = warren.call(() -> RunningInterface.open(ic, transports));
    }

    private static int lossPercent(ExecResult ping) {
        Matcher m = Pattern.compile("(\\d+)% packet loss").matcher(ping.stdout());
        return m.find() ? Integer.parseInt(m.group(1)) : 100;
    }

    @Test
    void warrenInitiatesPingAndWgShowReadsWarren() throws Exception {
        topology(false);
        ExecResult ping = warren.execAllowFail("ping", "-c", "5", "-i", "0.2", "-W", "2", "10.60.0.2");
        assertEquals(0, lossPercent(ping), ping.stdout() + ping.stderr());
        ExecResult ping6 = warren.execAllowFail("ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", "fd60::2");
        assertEquals(0, lossPercent(ping6), ping6.stdout() + ping6.stderr());

        String show = warren.exec("wg", "show", warrenIf).stdout();
        assertTrue(show.contains("peer: " + stockKey.publicKey().toBase64()), show);
        assertTrue(show.contains("endpoint: 10.50.0.2:51820"), show);
        assertTrue(show.contains("latest handshake:"), show);
        assertTrue(show.contains("transfer:"), show);
        assertTrue(show.contains("allowed ips: 10.60.0.2/32, fd60::2/128"), show);
        String stockView = stock.exec("wg", "show", stockIf, "latest-handshakes").stdout();
        assertTrue(stockView.matches("(?s)\\S+\\t[1-9][0-9]+\\s*"), stockView);
    }

    @Test
    void wireguardGoInitiatesAndIperfRunsBothWays() throws Exception {
        topology(false);
        pingAndIperfBothWays(1);
    }

    /**
     * Two TUN queues, one reader each: four TCP streams (TSO super-packets through the virtio-net
     * header on whichever queue the kernel picks) in both directions.
     */
    @Test
    void multiQueueTunCarriesTcpWithOffloadsBothWays() throws Exception {
        topology(false, 2);
        String queues = warren.exec("ls", "/sys/class/net/" + warrenIf + "/queues").stdout();
        assertTrue(queues.contains("tx-1") && queues.contains("rx-1"), "two queues: " + queues);
        pingAndIperfBothWays(4);
    }

    private void pingAndIperfBothWays(int streams) throws Exception {
        ExecResult ping = stock.execAllowFail("ping", "-c", "5", "-i", "0.2", "-W", "2", "10.60.0.1");
        assertEquals(0, lossPercent(ping), ping.stdout() + ping.stderr());

        LabProcess server = lab.spawn(stock, "iperf3", "-s", "-B", "10.60.0.2", "-1");
        Wait.until(Duration.ofSeconds(5), "iperf3 server listening",
                () -> stock.execAllowFail("ss", "-ltn", "sport = :5201").stdout().contains("5201"));
        ExecResult up = warren.execAllowFail("iperf3", "-c", "10.60.0.2", "-t", "3", "-P", String.valueOf(streams), "-J");
        assertEquals(0, up.exitCode(), up.stdout() + up.stderr());
        assertTrue(bitsPerSecond(up.stdout()) > 10e6, "warren -> wireguard-go: " + bitsPerSecond(up.stdout()));
        server.waitFor(Duration.ofSeconds(5));

        LabProcess server2 = lab.spawn(stock, "iperf3", "-s", "-B", "10.60.0.2", "-1");
        Wait.until(Duration.ofSeconds(5), "iperf3 server listening",
                () -> stock.execAllowFail("ss", "-ltn", "sport = :5201").stdout().contains("5201"));
        ExecResult down = warren.execAllowFail("iperf3", "-c", "10.60.0.2", "-t", "3", "-R", "-P",
                String.valueOf(streams), "-J");
        assertEquals(0, down.exitCode(), down.stdout() + down.stderr());
        assertTrue(bitsPerSecond(down.stdout()) > 10e6, "wireguard-go -> warren: " + bitsPerSecond(down.stdout()));
        server2.waitFor(Duration.ofSeconds(5));
    }

    /** The receiver's average from iperf3's JSON summary. */
    static double bitsPerSecond(String json) {
        Matcher m = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)").matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void ipv6OuterTransport() throws Exception {
        topology(true);
        ExecResult ping = warren.execAllowFail("ping", "-c", "5", "-i", "0.2", "-W", "2", "10.60.0.2");
        assertEquals(0, lossPercent(ping), ping.stdout() + ping.stderr());
        String show = warren.exec("wg", "show", warrenIf, "endpoints").stdout();
        assertTrue(show.contains("[fd50::2]:51820"), show);
    }

    @Test
    void roamingPeerIsFollowed() throws Exception {
        topology(false);
        ExecResult ping = warren.execAllowFail("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.60.0.2");
        assertEquals(0, lossPercent(ping), ping.stdout() + ping.stderr());
        // The stock peer moves to a new underlay address and port.
        // (Delete first: deleting a primary address also deletes its secondaries.)
        stock.exec("ip", "addr", "del", "10.50.0.2/24", "dev", "ul0");
        stock.exec("ip", "addr", "add", "10.50.0.3/24", "dev", "ul0");
        stock.exec("wg", "set", stockIf, "listen-port", "51999");
        ExecResult fromStock = stock.execAllowFail("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.60.0.1");
        assertEquals(0, lossPercent(fromStock), fromStock.stdout() + fromStock.stderr());
        Wait.until(Duration.ofSeconds(5), "Warren follows the peer to 10.50.0.3:51999",
                () -> warren.exec("wg", "show", warrenIf, "endpoints").stdout().contains("10.50.0.3:51999"));
        ExecResult again = warren.execAllowFail("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.60.0.2");
        assertEquals(0, lossPercent(again), again.stdout() + again.stderr());
    }
}
