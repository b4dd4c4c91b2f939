package io.warren.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.gateway.uapi.UapiServer;
import io.warren.tun.testing.MemoryTunDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stock {@code wg} tool sets low-order peer keys on a real interface through the UAPI socket:
 * accepted, as the Linux kernel and wireguard-go 0.0.20220316 accept them (checked here with
 * {@code wg set} on wireguard-go: exit 0, the peer listed), and the whole set is applied.
 */
class UapiLowOrderPeerIT {
    private static final Path WG = Path.of("/usr/bin/wg");

    @TempDir
    Path tmp;

    private String wg(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(WG.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "wg", ".out");
        Path err = Files.createTempFile(tmp, "wg", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("WG_HIDE_KEYS", "never");
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            fail("wg " + String.join(" ", args) + " did not finish in 10 s");
        }
        assertEquals(0, p.exitValue(), "wg " + String.join(" ", args) + ": " + Files.readString(err));
        return Files.readString(out);
    }

    @Test
    void wgSetWithLowOrderPeerKeysIsAcceptedWhole() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(WG), "SKIPPED LOUDLY: /usr/bin/wg missing (wireguard-tools)");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "SKIPPED LOUDLY: needs root");
        byte[] r = new byte[3];
        new SecureRandom().nextBytes(r);
        String iface = "wgcfg" + HexFormat.of().formatHex(r);
        Base64.Encoder b64 = Base64.getEncoder();
        String zero = b64.encodeToString(new byte[32]);
        String order8 = "4Ot6fDtBuK4WVuP68Z/EatoJjeucMrH9hmIFFl9JuAA=";
        String good = b64.encodeToString(NoisePrivateKey.generate(new SecureRandom()).publicKey().bytes());
        Path key = Files.writeString(tmp.resolve("key"),
                b64.encodeToString(NoisePrivateKey.generate(new SecureRandom()).bytes()) + "\n");
        try (Transports transports = Transports.create(1);
                WireGuardInterface w = new WireGuardInterface(iface, new MemoryTunDevice(iface), 1420, transports);
                UapiServer server = UapiServer.start(UapiServer.Config.defaults(iface), new WireGuardUapiDevice(w))) {
            try {
                wg("set", iface, "private-key", key.toString(), "listen-port", "0",
                        "peer", zero, "allowed-ips", "10.61.1.0/24",
                        "peer", order8, "allowed-ips", "10.61.2.0/24", "endpoint", "127.0.0.1:9",
                        "peer", good, "allowed-ips", "10.61.3.0/24");
                String dump = wg("show", iface, "dump");
                for (String k : List.of(zero, order8, good)) {
                    assertTrue(dump.contains(k), k + " missing: " + dump);
                }
                assertEquals(3, w.peers().size());
                assertTrue(dump.contains("10.61.3.0/24"), dump);
            } finally {
                Files.deleteIfExists(UapiServer.DEFAULT_DIR.resolve(iface + ".sock"));
            }
        }
    }
}
