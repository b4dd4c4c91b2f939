package io.warren.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.noise.CookieGenerator;
import io.warren.crypto.noise.Handshake;
import io.warren.crypto.noise.MessageInitiation;
import io.warren.crypto.noise.StaticIdentity;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.primitives.PresharedKey;
import io.warren.gateway.config.ConfigLoader;
import io.warren.gateway.config.ConfigResult;
import io.warren.gateway.config.InterfaceConfig;
import io.warren.gateway.daemon.RunningInterface;
import io.warren.testlab.ExecResult;
import io.warren.testlab.LabProcess;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The WireGuard interface under stress, against stock wireguard-go: rekeying (with a clock 30x
 * faster than real time, so REKEY_AFTER_TIME passes every 4 s) loses no ping; a flood of
 * initiations puts Warren under load, it answers with cookie replies and the existing session keeps
 * working; and two Warren gateways join two sites' LANs.
 */
class WireGuardResilienceIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final SecureRandom RANDOM = new SecureRandom();
    private Transports transports;
    private RunningInterface[] running = new RunningInterface[2];
    private Netns[] runningIn = new Netns[2];

    @BeforeEach
    void requirements() {
        lab.requireRoot();
        lab.requireTools("wireguard-go", "wg", "ping");
        transports = Transports.create(1);
    }

    @AfterEach
    void stop() {
        for (int i = 0; i < running.length; i++) {
            RunningInterface ri = running[i];
            if (ri != null) {
                runningIn[i].run(ri::close);
            }
        }
        transports.close();
    }

    private static String toml(String ifName, NoisePrivateKey key, String address, NoisePrivateKey peer,
                               String endpoint, String... allowed) {
        StringBuilder sb = new StringBuilder();
        sb.append("[interface.").append(ifName).append("]\n")
                .append("private-key = \"").append(key.toBase64()).append("\"\n")
                .append("listen-port = 51820\n")
                .append("address = [\"").append(address).append("\"]\n")
                .append("[[interface.").append(ifName).append(".peer]]\n")
                .append("public-key = \"").append(peer.publicKey().toBase64()).append("\"\n");
        if (endpoint != null) {
            sb.append("endpoint = \"").append(endpoint).append("\"\n");
        }
        sb.append("allowed-ips = [");
        for (int i = 0; i < allowed.length; i++) {
            sb.append(i == 0 ? "" : ", ").append('"').append(allowed[i]).append('"');
        }
        return sb.append("]\n").toString();
    }

    private RunningInterface openWarren(int slot, Netns ns, String ifName, String toml, LongSupplier clock) throws Exception {
        Path file = lab.tempDir().resolve(ifName + ".toml");
        Files.writeString(file, toml);
        ConfigResult parsed = ConfigLoader.load(file);
        assertTrue(parsed.isValid(), parsed.problems().toString());
        InterfaceConfig ic = parsed.config().orElseThrow().interfaces().get(ifName);
        RunningInterface ri = ns.call(() -> RunningInterface.open(ic, transports, clock));
        running[slot] = ri;
        runningIn[slot] = ns;
        return ri;
    }

    /** Warren in one namespace, wireguard-go in another, joined by 10.50.0.0/24. */
    private record Pair(Netns warren, Netns stock, String warrenIf, String stockIf, NoisePrivateKey warrenKey,
                        RunningInterface ri) {
    }

    private Pair pair(LongSupplier clock) throws Exception {
        Netns warren = lab.netns("rw");
        Netns stock = lab.netns("rs");
        lab.veth(warren, "ul0", stock, "ul0");
        warren.addr("ul0", "10.50.0.1/24");
        stock.addr("ul0", "10.50.0.2/24");
        String warrenIf = lab.uniqueName("ra");
        String stockIf = lab.uniqueName("rb");
        NoisePrivateKey warrenKey = NoisePrivateKey.generate(RANDOM);
        NoisePrivateKey stockKey = NoisePrivateKey.generate(RANDOM);
        lab.spawn(stock, "wireguard-go", "-f", stockIf);
        Wait.until(Duration.ofSeconds(10), "wireguard-go's UAPI socket",
                () -> Files.exists(Path.of("/var/run/wireguard/" + stockIf + ".sock")));
        Path keyFile = lab.tempDir().resolve(stockIf + ".key");
        Files.writeString(keyFile, stockKey.toBase64() + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        stock.exec("wg", "set", stockIf, "private-key", keyFile.toString(), "listen-port", "51820",
                "peer", warrenKey.publicKey().toBase64(), "allowed-ips", "10.60.0.1/32", "endpoint", "10.50.0.1:51820");
        stock.exec("ip", "addr", "add", "10.60.0.2/24", "dev", stockIf);
        stock.exec("ip", "link", "set", stockIf, "up");
        RunningInterface ri = openWarren(0, warren, warrenIf,
                toml(warrenIf, warrenKey, "10.60.0.1/24", stockKey, "10.50.0.2:51820", "10.60.0.2/32"), clock);
        return new Pair(warren, stock, warrenIf, stockIf, warrenKey, ri);
    }

    private static int lossPercent(ExecResult ping) {
        Matcher m = Pattern.compile("(\\d+)% packet loss").matcher(ping.stdout());
        return m.find() ? Integer.parseInt(m.group(1)) : 100;
    }

    @Test
    void rekeyingLosesNoPing() throws Exception {
        long start = System.nanoTime();
        Pair p = pair(() -> start + (System.nanoTime() - start) * 30);
        ExecResult ping = p.warren().execAllowFail("ping", "-c", "240", "-i", "0.05", "-W", "1", "10.60.0.2");
        assertEquals(0, lossPercent(ping), ping.stdout());
        long handshakes = p.ri().wireGuard().peers().get(0).handshakes();
        assertTrue(handshakes >= 3, "12 s at 30x is 360 protocol seconds: 3 rekeys, saw " + handshakes + " handshakes");
    }

    @Test
    void initiationFloodIsAnsweredWithCookiesWhileTheSessionKeepsWorking() throws Exception {
        Pair p = pair(System::nanoTime);
        ExecResult warmup = p.warren().execAllowFail("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.60.0.2");
        assertEquals(0, lossPercent(warmup), warmup.stdout());

        // An initiation from an unknown key with a valid mac1 (which needs only Warren's public key).
        StaticIdentity stranger = new StaticIdentity(NoisePrivateKey.generate(RANDOM));
        Handshake hs = new Handshake(stranger, p.warrenKey().publicKey(), PresharedKey.NONE);
        MessageInitiation init = new CookieGenerator(p.warrenKey().publicKey())
                .addMacs(hs.createInitiation(System.currentTimeMillis() * 1_000_000L, 7, RANDOM), System.nanoTime());
        byte[] wire = init.encode();

        LabProcess ping = lab.spawn(p.warren(), "ping", "-c", "40", "-i", "0.05", "-W", "1", "10.60.0.2");
        int cookies = p.stock().call(() -> {
            try (DatagramChannel ch = DatagramChannel.open()) {
                ch.bind(new InetSocketAddress("10.50.0.2", 0));
                ch.configureBlocking(false);
                InetSocketAddress target = new InetSocketAddress("10.50.0.1", 51820);
                ByteBuffer in = ByteBuffer.allocate(256);
                int replies = 0;
                for (int i = 0; i < 3000; i++) {
                    ch.send(ByteBuffer.wrap(wire), target);
                    if (i % 100 == 99) {
                        Thread.sleep(20); // ~3000 initiations in about 1 s
                    }
                    in.clear();
                    while (ch.receive(in) != null) {
                        if (in.position() == 64 && in.get(0) == 3) {
                            replies++;
                        }
                        in.clear();
                    }
                }
                long until = System.nanoTime() + 1_000_000_000L;
                while (System.nanoTime() < until) {
                    in.clear();
                    if (ch.receive(in) != null && in.position() == 64 && in.get(0) == 3) {
                        replies++;
                    }
                }
                return replies;
            }
        });
        assertEquals(0, ping.waitFor(Duration.ofSeconds(20)), ping.output());
        assertTrue(ping.output().contains(" 0% packet loss"), ping.output());
        assertTrue(cookies > 100, "under load Warren answers initiations without mac2 with cookie replies: " + cookies);
    }

    @Test
    void twoWarrenGatewaysJoinTwoSites() throws Exception {
        Netns gwA = lab.netns("ga");
        Netns gwB = lab.netns("gb");
        Netns hostA = lab.netns("ha");
        Netns hostB = lab.netns("hb");
        lab.veth(gwA, "ul0", gwB, "ul0");
        gwA.addr("ul0", "10.50.0.1/24");
        gwB.addr("ul0", "10.50.0.2/24");
        lab.veth(gwA, "lan0", hostA, "eth0");
        lab.veth(gwB, "lan0", hostB, "eth0");
        gwA.addr("lan0", "10.1.0.1/24");
        hostA.addr("eth0", "10.1.0.10/24");
        gwB.addr("lan0", "10.2.0.1/24");
        hostB.addr("eth0", "10.2.0.10/24");
        hostA.exec("ip", "route", "add", "default", "via", "10.1.0.1");
        hostB.exec("ip", "route", "add", "default", "via", "10.2.0.1");
        gwA.sysctl("net.ipv4.ip_forward", "1");
        gwB.sysctl("net.ipv4.ip_forward", "1");
        NoisePrivateKey keyA = NoisePrivateKey.generate(RANDOM);
        NoisePrivateKey keyB = NoisePrivateKey.generate(RANDOM);
        String ifA = lab.uniqueName("sa");
        String ifB = lab.uniqueName("sb");
        openWarren(0, gwA, ifA, toml(ifA, keyA, "10.99.0.1/24", keyB, "10.50.0.2:51820", "10.99.0.2/32", "10.2.0.0/24"),
                System::nanoTime);
        openWarren(1, gwB, ifB, toml(ifB, keyB, "10.99.0.2/24", keyA, null, "10.99.0.1/32", "10.1.0.0/24"),
                System::nanoTime);
        ExecResult ping = hostA.execAllowFail("ping", "-c", "5", "-i", "0.2", "-W", "2", "10.2.0.10");
        assertEquals(0, lossPercent(ping), ping.stdout() + ping.stderr());
        ExecResult back = hostB.execAllowFail("ping", "-c", "5", "-i", "0.2", "-W", "2", "10.1.0.10");
        assertEquals(0, lossPercent(back), back.stdout() + back.stderr());
        String routes = gwA.exec("ip", "route", "show", "10.2.0.0/24").stdout();
        assertTrue(routes.contains("dev " + ifA), "Warren installed the kernel route for the peer's LAN: " + routes);
    }
}
