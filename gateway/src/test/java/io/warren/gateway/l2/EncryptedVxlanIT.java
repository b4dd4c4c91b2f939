package io.warren.gateway.l2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.gateway.config.ConfigLoader;
import io.warren.gateway.config.ConfigResult;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.daemon.RunningInterface;
import io.warren.gateway.transport.Transports;
import io.warren.gateway.tunnel.Tunnel;
import io.warren.gateway.tunnel.TunnelContext;
import io.warren.testlab.ExecResult;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The L2 overlays, VXLAN, L2TPv3 over UDP (cookies, sequencing) and L2 GRE (over IP protocol 47 and
 * GRE-in-UDP), between two Warren gateways carried inside Warren's WireGuard: each end addresses the
 * other at its WireGuard tunnel address, so the kernel routes the overlay's packets into the
 * WireGuard TUN. The tunnels come from a TOML config
 * ({@code [interface.*]} and {@code [tunnel.*]} with {@code encrypted-via}). tshark on the underlay
 * sees only WireGuard (UDP 51820), never VXLAN, L2TPv3 or GRE.
 */
class EncryptedVxlanIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final SecureRandom RANDOM = new SecureRandom();

    private Transports transports;
    private final List<Runnable> cleanup = new ArrayList<>();

    @BeforeEach
    void requirements() {
        lab.requireRoot();
        lab.requireTools("ip", "ping", "ethtool", "tshark");
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

    private static final String VXLAN = "type = \"vxlan\"\nvni = 5001\n";

    /** L2TPv3 over UDP with a 4-byte cookie each way and sequencing (the session ids mirror per side). */
    private static String l2tpv3(int self) {
        return "type = \"l2tpv3\"\nencapsulation = \"udp\"\nsequence = true\n"
                + "local-session-id = " + (7000 + self) + "\nremote-session-id = " + (7003 - self) + "\n"
                + "local-cookie = \"0a0b0c0" + self + "\"\nremote-cookie = \"0a0b0c0" + (3 - self) + "\"\n";
    }

    private static String site(String wg, NoisePrivateKey key, NoisePrivateKey peer, int self, int other,
                               String tunnel) {
        return "[interface." + wg + "]\n"
                + "private-key = \"" + key.toBase64() + "\"\n"
                + "listen-port = 51820\n"
                + "address = [\"10.61.0." + self + "/24\"]\n"
                + "[[interface." + wg + ".peer]]\n"
                + "public-key = \"" + peer.publicKey().toBase64() + "\"\n"
                + "endpoint = \"10.50.0." + other + ":51820\"\n"
                + "allowed-ips = [\"10.61.0." + other + "/32\"]\n"
                + "[tunnel.evx0]\n"
                + tunnel
                + "remote = \"10.61.0." + other + "\"\n"
                + "encrypted-via = \"" + wg + "\"\n";
    }

    private void start(Netns ns, String toml, String wg) throws Exception {
        Path file = lab.tempDir().resolve(ns.name() + ".toml");
        Files.writeString(file, toml);
        ConfigResult parsed = ConfigLoader.load(file);
        assertTrue(parsed.isValid(), parsed.problems().toString());
        WarrenConfig config = parsed.config().orElseThrow();
        RunningInterface ri = ns.call(() -> RunningInterface.open(config.interfaces().get(wg), transports));
        cleanup.add(() -> ns.run(ri::close));
        L2TunnelFactory factory = new L2TunnelFactory();
        Tunnel t = ns.call(() -> factory.open(config.tunnels().get("evx0"), new TunnelContext(transports)));
        cleanup.add(() -> ns.run(t::close));
    }

    @Test
    void vxlanInsideWireGuardShowsOnlyWireGuardOnTheUnderlay() throws Exception {
        overlayInsideWireGuard(side -> VXLAN, 50);
    }

    @Test
    void l2tpv3InsideWireGuardShowsOnlyWireGuardOnTheUnderlay() throws Exception {
        // Outer IPv4 20 + UDP 8 + L2TPv3 over UDP 8 (RFC 3931 §4.1.2.2) + cookie 4 + default sublayer 4
        // (§4.6) + inner Ethernet 14.
        overlayInsideWireGuard(EncryptedVxlanIT::l2tpv3, 58);
    }

    @Test
    void gretapInsideWireGuardShowsOnlyWireGuardOnTheUnderlay() throws Exception {
        // Outer IPv4 20 + GRE with key 8 + inner Ethernet 14; the raw protocol 47 socket is routed into wg.
        overlayInsideWireGuard(side -> "type = \"gre\"\nmode = \"l2\"\nkey = 77\n", 42);
    }

    @Test
    void gretapOverUdpInsideWireGuardShowsOnlyWireGuardOnTheUnderlay() throws Exception {
        // Outer IPv4 20 + UDP 8 + GRE with key and sequence number 12 + inner Ethernet 14.
        overlayInsideWireGuard(side -> "type = \"gre-udp\"\nmode = \"l2\"\nkey = 78\nsequence = true\n", 54);
    }

    /**
     * Two Warren gateways joined by WireGuard, the overlay tunnel {@code evx0} between their WireGuard
     * addresses: ping and full-size DF ping over the overlay, and the underlay carries only WireGuard.
     * {@code tunnel} gives the tunnel's type block for side 1 or 2; {@code overhead} is its TAP MTU
     * below the WireGuard interface's.
     */
    private void overlayInsideWireGuard(IntFunction<String> tunnel, int overhead)
            throws Exception {
        Netns a = lab.netns("ea");
        Netns b = lab.netns("eb");
        lab.veth(a, "ul0", b, "ul0");
        a.addr("ul0", "10.50.0.1/24");
        b.addr("ul0", "10.50.0.2/24");
        transports = Transports.create(1);
        NoisePrivateKey ka = NoisePrivateKey.generate(RANDOM);
        NoisePrivateKey kb = NoisePrivateKey.generate(RANDOM);
        String wa = lab.uniqueName("wa");
        String wb = lab.uniqueName("wb");
        start(a, site(wa, ka, kb, 1, 2, tunnel.apply(1)), wa);
        start(b, site(wb, kb, ka, 2, 1, tunnel.apply(2)), wb);
        int wgMtu = Integer.parseInt(a.exec("cat", "/sys/class/net/" + wa + "/mtu").stdout().trim());
        assertEquals(Integer.toString(wgMtu - overhead), a.exec("cat", "/sys/class/net/evx0/mtu").stdout().trim(),
                "TAP MTU sized from the WireGuard interface it is routed through");
        a.addr("evx0", "10.97.0.1/24");
        b.addr("evx0", "10.97.0.2/24");

        L2Lab.Capture cap = new L2Lab.Capture(lab, b, "ul0", "ip", "-T", "fields", "-E", "separator=|",
                "-e", "ip.proto", "-e", "udp.dstport", "-e", "udp.srcport", "-e", "_ws.col.Protocol");
        ExecResult ping = a.execAllowFail("ping", "-c", "5", "-i", "0.2", "-W", "3", "10.97.0.2");
        ExecResult big = a.execAllowFail("ping", "-c", "2", "-s", Integer.toString(wgMtu - overhead - 28), "-M", "do",
                "-W", "3", "10.97.0.2");
        List<String> raw = cap.stop();
        List<String> wire = raw.stream().filter(l -> l.matches("^(0x)?\\p{XDigit}+\\|.*")).toList();
        assertEquals(0, L2Lab.lossPercent(ping), ping.stdout() + ping.stderr() + "\n" + String.join("\n", wire));
        assertEquals(0, L2Lab.lossPercent(big), "full-size frames fit: " + big.stdout());
        assertTrue(wire.size() >= 10, String.join("\n", raw));
        for (String line : wire) {
            String[] f = line.split("\\|", -1);
            assertEquals("17", f[0], "only UDP on the underlay: " + line);
            assertTrue(f[1].equals("51820") && f[2].equals("51820"), "only WireGuard: " + line);
            assertEquals("WireGuard", f[3], line);
        }
    }
}
