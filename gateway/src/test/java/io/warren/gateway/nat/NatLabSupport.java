package io.warren.gateway.nat;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.gateway.config.ConfigLoader;
import io.warren.gateway.config.ConfigResult;
import io.warren.gateway.config.WarrenConfig;
import io.warren.testlab.ExecResult;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers shared by the NAT namespace tests: config text, stock wireguard-go peers, ping loss. */
final class NatLabSupport {
    private NatLabSupport() {
    }

    /** A peer entry for {@link #iface}. */
    record PeerText(NoisePrivateKey key, String endpoint, int keepalive, boolean hub, String... allowed) {
        String toml(String ifName) {
            StringBuilder sb = new StringBuilder("[[interface.").append(ifName).append(".peer]]\n")
                    .append("public-key = \"").append(key.publicKey().toBase64()).append("\"\n");
            if (endpoint != null) {
                sb.append("endpoint = \"").append(endpoint).append("\"\n");
            }
            if (keepalive > 0) {
                sb.append("persistent-keepalive = ").append(keepalive).append('\n');
            }
            if (hub) {
                sb.append("hub = true\n");
            }
            sb.append("allowed-ips = [");
            for (int i = 0; i < allowed.length; i++) {
                sb.append(i == 0 ? "" : ", ").append('"').append(allowed[i]).append('"');
            }
            return sb.append("]\n").toString();
        }
    }

    static String iface(String ifName, NoisePrivateKey key, int port, String address, PeerText... peers) {
        StringBuilder sb = new StringBuilder("[interface.").append(ifName).append("]\n")
                .append("private-key = \"").append(key.toBase64()).append("\"\n")
                .append("listen-port = ").append(port).append('\n')
                .append("address = [\"").append(address).append("\"]\n");
        for (PeerText p : peers) {
            sb.append(p.toml(ifName));
        }
        return sb.toString();
    }

    static WarrenConfig parse(NetLab lab, String name, String toml) throws Exception {
        Path file = lab.tempDir().resolve(name + ".toml");
        Files.writeString(file, toml);
        ConfigResult parsed = ConfigLoader.load(file);
        assertTrue(parsed.isValid(), parsed.problems().toString());
        return parsed.config().orElseThrow();
    }

    /** Starts wireguard-go as {@code ifName} in {@code ns} with {@code key} on UDP 51820, address set, up. */
    static void stockPeer(NetLab lab, Netns ns, String ifName, NoisePrivateKey key, String address) throws Exception {
        lab.spawn(ns, "wireguard-go", "-f", ifName);
        Wait.until(Duration.ofSeconds(10), "wireguard-go's UAPI socket",
                () -> Files.exists(Path.of("/var/run/wireguard/" + ifName + ".sock")));
        Path keyFile = lab.tempDir().resolve(ifName + ".key");
        Files.writeString(keyFile, key.toBase64() + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        ns.exec("wg", "set", ifName, "private-key", keyFile.toString(), "listen-port", "51820");
        ns.exec("ip", "addr", "add", address, "dev", ifName);
        ns.exec("ip", "link", "set", ifName, "up");
    }

    static int lossPercent(ExecResult ping) {
        Matcher m = Pattern.compile("(\\d+)% packet loss").matcher(ping.stdout());
        return m.find() ? Integer.parseInt(m.group(1)) : 100;
    }

    /** Short conntrack UDP timeouts in a NAT namespace, so that idle mappings expire in seconds. */
    static void shortUdpTimeouts(Netns nat) {
        nat.sysctl("net.netfilter.nf_conntrack_udp_timeout", "2");
        nat.sysctl("net.netfilter.nf_conntrack_udp_timeout_stream", "3");
    }
}
