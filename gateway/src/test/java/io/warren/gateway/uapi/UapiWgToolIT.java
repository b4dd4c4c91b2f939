package io.warren.gateway.uapi;

import static io.warren.gateway.uapi.UapiFixtures.endpoint;
import static io.warren.gateway.uapi.UapiFixtures.ip;
import static io.warren.gateway.uapi.UapiFixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stock {@code wg} tool (wireguard-tools) against {@link UapiServer} and the fake device, in the
 * real {@code /var/run/wireguard}: {@code wg show}, {@code show dump}, {@code set}, {@code setconf},
 * {@code syncconf}, {@code addconf}, {@code showconf} run as real processes. Each test uses a fresh
 * random interface name and removes its socket. Needs root (the directory is root's) and {@code wg}.
 */
class UapiWgToolIT {
    private static final Path WG = Path.of("/usr/bin/wg");
    private static final Base64.Encoder B64 = Base64.getEncoder();

    @TempDir
    Path tmp;

    private final FakeUapiDevice device = new FakeUapiDevice(UapiFixtures.populated());
    private String iface;
    private UapiServer server;

    @BeforeAll
    static void needWgAndRoot() {
        Assumptions.assumeTrue(Files.isExecutable(WG),
                "SKIPPED LOUDLY: /usr/bin/wg missing; install it: apt-get install --no-install-recommends wireguard-tools");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "SKIPPED LOUDLY: needs root to create sockets in /var/run/wireguard");
    }

    @BeforeEach
    void startServer() throws IOException {
        byte[] r = new byte[4];
        new SecureRandom().nextBytes(r);
        iface = "wu" + HexFormat.of().formatHex(r);
        server = UapiServer.start(UapiServer.Config.defaults(iface), device);
    }

    @AfterEach
    void stopServer() throws IOException {
        try {
            server.close();
        } finally {
            Path sock = UapiServer.DEFAULT_DIR.resolve(iface + ".sock");
            Files.deleteIfExists(sock);
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private Run wg(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(WG.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "wg", ".out");
        Path err = Files.createTempFile(tmp, "wg", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("WG_COLOR_MODE", "never");
        pb.environment().put("WG_HIDE_KEYS", "never");
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            fail("wg " + String.join(" ", args) + " did not finish in 10 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Run wgOk(String... args) throws IOException, InterruptedException {
        Run run = wg(args);
        assertEquals(0, run.exit(), () -> "wg " + String.join(" ", args) + " failed: " + run.err());
        return run;
    }

    private static String b64(UapiKey key) {
        return B64.encodeToString(key.bytes());
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void showDumpPrintsEveryFieldOfTheFakeDevice() throws Exception {
        String[] lines = wgOk("show", iface, "dump").out().split("\n");
        UapiKey priv = UapiFixtures.privateKey();
        assertEquals(String.join("\t", b64(priv), b64(DeviceChangeApplier.publicKeyOf(priv)), "51820", "0x1234"),
                lines[0]);
        assertEquals(String.join("\t", b64(key(0x10)), b64(key(0x20)), "[fd00::1]:51820", "10.1.2.0/24,fd00:1::/64",
                "1700000123", "2222", "1111", "25"), lines[1]);
        assertEquals(String.join("\t", b64(key(0x30)), b64(key(0x50)), "192.0.2.7:4500", "10.9.0.1/32",
                "1700000999", "4444", "3333", "65535"), lines[2]);
        assertEquals(3, lines.length);
    }

    @Test
    void wgShowIsNotStarvedByFiftySilentConnections() throws Exception {
        List<java.nio.channels.SocketChannel> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                silent.add(java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(server.socketPath())));
            }
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                assertTrue(wgOk("show", iface).out().contains("interface: " + iface + "\n"));
                long took = System.nanoTime() - t0;
                assertTrue(took < 1_000_000_000L, "wg show took " + took / 1_000_000 + " ms; the idle timeout is 5 s");
            }
        } finally {
            for (java.nio.channels.SocketChannel ch : silent) {
                ch.close();
            }
        }
    }

    @Test
    void showWorksByNameWithoutAKernelLink() throws Exception {
        String out = wgOk("show", iface).out();
        assertTrue(out.contains("interface: " + iface + "\n"), out);
        assertTrue(out.contains("public key: " + b64(DeviceChangeApplier.publicKeyOf(UapiFixtures.privateKey()))), out);
        assertTrue(out.contains("listening port: 51820"), out);
        assertTrue(out.contains("fwmark: 0x1234"), out);
        assertTrue(out.contains("peer: " + b64(key(0x10))), out);
        assertTrue(out.contains("endpoint: [fd00::1]:51820"), out);
        assertTrue(out.contains("allowed ips: 10.1.2.0/24, fd00:1::/64"), out);
        assertTrue(out.contains("persistent keepalive: every 25 seconds"), out);
        assertTrue(Files.exists(server.socketPath(), LinkOption.NOFOLLOW_LINKS), "wg's liveness probe kept it");
    }

    @Test
    void showInterfacesListsTheUserspaceSocket() throws Exception {
        Run run = wg("show", "interfaces");
        assertEquals(0, run.exit(), run.err());
        assertTrue(List.of(run.out().trim().split("\\s+")).contains(iface), run.out());
        // `wg show` with no name lists kernel links (RTM_GETLINK dump) plus the sockets in the directory.
        Run all = wg("show");
        assertEquals(0, all.exit(), all.err());
        assertTrue(all.out().contains("interface: " + iface + "\n"), all.out());
        Run allDump = wg("show", "all", "dump");
        assertTrue(allDump.out().lines().anyMatch(l -> l.startsWith(iface + "\t" + b64(UapiFixtures.privateKey()))),
                allDump.out());
    }

    @Test
    void setChangesPortAndOnePeer() throws Exception {
        Path psk = file("psk", b64(key(0x21)) + "\n");
        wgOk("set", iface, "listen-port", "4242", "fwmark", "0x77",
                "peer", b64(key(0x44)), "preshared-key", psk.toString(), "allowed-ips", "10.20.0.1/16,fd00:20::/64",
                "endpoint", "192.0.2.44:51000", "persistent-keepalive", "21");
        DeviceState s = device.state();
        assertEquals(4242, s.listenPort());
        assertEquals(0x77, s.fwmark());
        PeerState p = s.peer(key(0x44)).orElseThrow();
        assertEquals(key(0x21), p.presharedKey());
        assertEquals(List.of(ip("10.20.0.0/16"), ip("fd00:20::/64")), p.allowedIps());
        assertEquals(Optional.of(endpoint("192.0.2.44:51000")), p.endpoint());
        assertEquals(21, p.persistentKeepaliveInterval());
        assertEquals(3, s.peers().size());

        wgOk("set", iface, "peer", b64(key(0x10)), "remove");
        assertTrue(device.state().peer(key(0x10)).isEmpty());
    }

    @Test
    void setWithAnInvalidValueIsReportedAndChangesNothing() throws Exception {
        DeviceState before = device.state();
        device.markPortBusy(4343);
        Run run = wg("set", iface, "listen-port", "4343", "peer", b64(key(0x45)), "allowed-ips", "10.45.0.0/16");
        assertFalse(run.exit() == 0, "wg must report the EADDRINUSE");
        assertTrue(run.err().contains("Address already in use"), run.err());
        assertEquals(before, device.state());
    }

    private static final String CONF_PEER_72 = "[Peer]\n"
            + "PublicKey = " + b64(key(0x72)) + "\n"
            + "PresharedKey = " + b64(key(0x73)) + "\n"
            + "AllowedIPs = 10.72.0.0/16, fd00:72::/64\n"
            + "Endpoint = [fd00::72]:51820\n"
            + "PersistentKeepalive = 15\n";

    @Test
    void setconfReplacesEverythingAndShowconfPrintsIt() throws Exception {
        String conf = "[Interface]\nPrivateKey = " + b64(key(0x61)) + "\nListenPort = 12912\nFwMark = 0x99\n\n"
                + CONF_PEER_72;
        wgOk("setconf", iface, file("wu.conf", conf).toString());
        DeviceState s = device.state();
        assertEquals(Optional.of(DeviceChangeApplier.clamp(key(0x61))), s.privateKey());
        assertEquals(12912, s.listenPort());
        assertEquals(0x99, s.fwmark());
        assertEquals(List.of(new PeerState(key(0x72), key(0x73), Optional.of(endpoint("[fd00::72]:51820")), 0, 0, 0, 0,
                15, List.of(ip("10.72.0.0/16"), ip("fd00:72::/64")))), s.peers());

        String shown = wgOk("showconf", iface).out();
        Map<String, String> kv = shown.lines().filter(l -> l.contains(" = "))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(" = ")), l -> l.substring(l.indexOf(" = ") + 3)));
        assertEquals(b64(DeviceChangeApplier.clamp(key(0x61))), kv.get("PrivateKey"));
        assertEquals("12912", kv.get("ListenPort"));
        assertEquals("0x99", kv.get("FwMark"));
        assertEquals(b64(key(0x72)), kv.get("PublicKey"));
        assertEquals(b64(key(0x73)), kv.get("PresharedKey"));
        assertEquals("10.72.0.0/16, fd00:72::/64", kv.get("AllowedIPs"));
        assertEquals("[fd00::72]:51820", kv.get("Endpoint"));
        assertEquals("15", kv.get("PersistentKeepalive"));
    }

    @Test
    void syncconfRemovesMissingPeersAndKeepsCountersOfKeptOnes() throws Exception {
        String conf = "[Interface]\nPrivateKey = " + b64(UapiFixtures.privateKey()) + "\nListenPort = 51820\n\n"
                + "[Peer]\nPublicKey = " + b64(key(0x10)) + "\nAllowedIPs = 10.1.2.0/24, 10.111.0.0/16\n\n"
                + CONF_PEER_72;
        wgOk("syncconf", iface, file("sync.conf", conf).toString());
        DeviceState s = device.state();
        assertEquals(List.of(key(0x10), key(0x72)), s.peers().stream().map(PeerState::publicKey).toList());
        PeerState kept = s.peer(key(0x10)).orElseThrow();
        assertEquals(List.of(ip("10.1.2.0/24"), ip("10.111.0.0/16")), kept.allowedIps());
        assertEquals(1111, kept.txBytes(), "syncconf does not recreate a kept peer");
        assertEquals(2222, kept.rxBytes());
    }

    @Test
    void addconfAddsAPeerAndKeepsTheRest() throws Exception {
        wgOk("addconf", iface, file("add.conf", CONF_PEER_72).toString());
        DeviceState s = device.state();
        assertEquals(List.of(key(0x10), key(0x30), key(0x72)), s.peers().stream().map(PeerState::publicKey).toList());
        assertEquals(51820, s.listenPort());
    }
}
