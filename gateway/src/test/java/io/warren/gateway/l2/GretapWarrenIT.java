package io.warren.gateway.l2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.config.TunnelConfig;
import io.warren.gateway.config.TunnelParams;
import io.warren.gateway.config.TunnelType;
import io.warren.gateway.transport.Transports;
import io.warren.gateway.tunnel.Tunnel;
import io.warren.gateway.tunnel.TunnelContext;
import io.warren.testlab.ExecResult;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * L2 GRE Warren to Warren: over IP protocol 47 with key, sequence numbers and checksums (Open
 * vSwitch, the other peer here, does not do GRE sequencing), and GRE-in-UDP (RFC 8086) with a key,
 * over an IPv6 underlay. IPv4 and IPv6 pings and full-size DF pings between the TAP devices; tshark
 * decodes every underlay packet as GRE with protocol type 0x6558, the key and, when sequencing,
 * consecutive sequence numbers per direction.
 */
class GretapWarrenIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

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

    private void open(Netns ns, TunnelConfig c) {
        L2TunnelFactory f = new L2TunnelFactory();
        Tunnel t = ns.call(() -> f.open(c, new TunnelContext(transports)));
        cleanup.add(() -> ns.run(t::close));
    }

    private static TunnelConfig config(TunnelType type, String remote, TunnelParams p) {
        return new TunnelConfig("gt0", type, true, Optional.empty(), List.of(remote), p, Optional.empty(),
                OptionalInt.empty(), Optional.empty(), OptionalInt.empty(), List.of());
    }

    /** Two namespaces on one veth underlay ({@code a} and {@code b} addresses), TAP addresses set. */
    private Netns[] pair(String ulA, String ulB) {
        Netns a = lab.netns("gta");
        Netns b = lab.netns("gtb");
        lab.veth(a, "ul0", b, "ul0");
        a.addr("ul0", ulA);
        b.addr("ul0", ulB);
        transports = Transports.create(1);
        return new Netns[] {a, b};
    }

    private static void addresses(Netns a, Netns b) {
        a.addr("gt0", "10.96.0.1/24");
        a.addr("gt0", "fd96::1/64");
        b.addr("gt0", "10.96.0.2/24");
        b.addr("gt0", "fd96::2/64");
    }

    /** Pings both families, small and full-size; returns tshark's per-packet GRE fields. */
    private static List<String> pingAndDecode(Netns a, Netns b, int mtu, String filter, String... decodeAs)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(decodeAs));
        args.addAll(List.of("-T", "fields", "-E", "separator=|", "-e", "gre.proto", "-e", "gre.key",
                "-e", "gre.sequence_number", "-e", "ip.src", "-e", "ipv6.src", "-e", "_ws.col.Protocol"));
        L2Lab.Capture cap = new L2Lab.Capture(lab, b, "ul0", filter, args.toArray(String[]::new));
        List<ExecResult> pings = List.of(
                a.execAllowFail("ping", "-c", "4", "-i", "0.2", "-W", "2", "10.96.0.2"),
                a.execAllowFail("ping", "-c", "4", "-i", "0.2", "-W", "2", "fd96::2"),
                a.execAllowFail("ping", "-c", "2", "-M", "do", "-s", Integer.toString(mtu - 28), "-W", "2", "10.96.0.2"),
                b.execAllowFail("ping", "-c", "2", "-M", "do", "-s", Integer.toString(mtu - 48), "-W", "2", "fd96::1"));
        List<String> lines = cap.stop();
        for (ExecResult p : pings) {
            assertEquals(0, L2Lab.lossPercent(p), p.stdout() + p.stderr() + "\n" + String.join("\n", lines));
        }
        List<String> gre = lines.stream().filter(l -> l.matches("^0x\\p{XDigit}+\\|.*")).toList();
        assertTrue(gre.size() >= 24, String.join("\n", lines));
        return gre;
    }

    @Test
    void overIpWithKeySequenceAndChecksum() throws Exception {
        Netns[] ns = pair("10.74.0.1/24", "10.74.0.2/24");
        TunnelParams p = new TunnelParams.Gre(OptionalLong.of(0x01020304L), true, true);
        open(ns[0], config(TunnelType.GRE, "10.74.0.2", p));
        open(ns[1], config(TunnelType.GRE, "10.74.0.1", p));
        addresses(ns[0], ns[1]);
        int mtu = 1500 - 20 - 16 - 14;
        assertEquals(Integer.toString(mtu), ns[0].exec("cat", "/sys/class/net/gt0/mtu").stdout().trim());
        List<String> gre = pingAndDecode(ns[0], ns[1], mtu, "ip proto 47");
        java.util.Map<String, Long> next = new java.util.HashMap<>();
        for (String line : gre) {
            String[] f = line.split("\\|", -1);
            assertEquals("0x6558", f[0], line);
            assertEquals(0x01020304L, Long.decode(f[1]), line);
            long seq = Long.parseLong(f[2]);
            String outerSource = f[3].split(",")[0];
            Long expected = next.put(outerSource, seq + 1);
            if (expected != null) {
                assertEquals((long) expected, seq, "consecutive sequence numbers from " + outerSource + ": " + line);
            }
        }
        assertTrue(gre.stream().anyMatch(l -> l.endsWith("|ICMPv6")) && gre.stream().anyMatch(l -> l.endsWith("|ICMP")),
                String.join("\n", gre));
    }

    @Test
    void overUdpOnAnIpv6UnderlayWithKey() throws Exception {
        Netns[] ns = pair("fd74::1/64", "fd74::2/64");
        TunnelParams p = new TunnelParams.GreUdp(OptionalLong.of(7), 4754);
        open(ns[0], config(TunnelType.GRE_UDP, "fd74::2", p));
        open(ns[1], config(TunnelType.GRE_UDP, "fd74::1", p));
        addresses(ns[0], ns[1]);
        int mtu = 1500 - 40 - 8 - 8 - 14;
        assertEquals(Integer.toString(mtu), ns[0].exec("cat", "/sys/class/net/gt0/mtu").stdout().trim());
        List<String> gre = pingAndDecode(ns[0], ns[1], mtu, "udp port 4754", "-d", "udp.port==4754,gre");
        for (String line : gre) {
            String[] f = line.split("\\|", -1);
            assertEquals("0x6558", f[0], line);
            assertEquals(7L, Long.decode(f[1]), line);
            assertTrue(f[2].isEmpty(), "no sequence numbers: " + line);
        }
    }
}
