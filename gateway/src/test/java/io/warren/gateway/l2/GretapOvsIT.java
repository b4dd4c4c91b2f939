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
import io.warren.testlab.OvsUserspace;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Warren's L2 GRE (gretap) against Open vSwitch's userspace GRE, an independent implementation
 * whose {@code type=gre} ports carry Ethernet frames (Transparent Ethernet Bridging, 0x6558) by
 * default; the kernel here has no gretap. A host behind Warren's TAP (on a Linux bridge) and a host
 * behind an OVS netdev bridge share one Ethernet segment: ARP and neighbour discovery, IPv4 and IPv6
 * pings, full-size DF pings at the computed TAP MTU, and iperf3 TCP both ways. tshark on the underlay
 * decodes every GRE packet: protocol type 0x6558, the configured key, and an Ethernet frame inside.
 */
class GretapOvsIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final long KEY = 4242;
    /** 1500 - IPv4 20 - GRE with key 8 - Ethernet 14. */
    private static final int MTU = 1458;

    private Transports transports;
    private Tunnel tunnel;
    private Netns w;
    private OvsUserspace ovs;

    @BeforeEach
    void requirements() {
        lab.requireRoot();
        lab.requireTools("ip", "ping", "iperf3", "ethtool", "ss", "tshark");
        lab.requireTools(OvsUserspace.TOOLS);
    }

    @AfterEach
    void stop() {
        if (tunnel != null) {
            w.run(tunnel::close);
        }
        if (transports != null) {
            transports.close();
        }
        if (ovs != null) {
            ovs.stop();
        }
    }

    @Test
    void keyedGretapCarriesArpIpv4AndIpv6BetweenHostsBehindWarrenAndOvs() throws Exception {
        w = lab.netns("gtw");
        Netns o = lab.netns("gto");
        lab.veth(w, "ul0", o, "ul0");
        w.addr("ul0", "10.73.0.1/24");
        ovs = new OvsUserspace(lab, o, "ul0", "10.73.0.2/24");

        Netns hw = host("gthw", w, "lan0", "10.99.0.1", "fd99::1");
        lab.bridge(w, "brw", "lan0");
        Netns ho = host("gtho", o, "lan0", "10.99.0.2", "fd99::2");
        ovs.addNetdevBridge("brx");
        ovs.vsctl("add-port", "brx", "lan0");
        ovs.vsctl("add-port", "brx", "gt0", "--", "set", "interface", "gt0", "type=gre",
                "options:remote_ip=10.73.0.1", "options:key=" + KEY, "mtu_request=" + MTU);
        o.up("brx");

        transports = Transports.create(1);
        TunnelConfig c = new TunnelConfig("gt0", TunnelType.GRE, true, Optional.empty(), List.of("10.73.0.2"),
                new TunnelParams.Gre(OptionalLong.of(KEY), false, false), Optional.empty(), OptionalInt.empty(),
                Optional.of("brw"), OptionalInt.empty(), List.of());
        L2TunnelFactory factory = new L2TunnelFactory();
        tunnel = w.call(() -> factory.open(c, new TunnelContext(transports)));
        assertEquals(Integer.toString(MTU), w.exec("cat", "/sys/class/net/gt0/mtu").stdout().trim(),
                "TAP MTU: 1500 - 20 - 8 - 14");

        L2Lab.Capture cap = new L2Lab.Capture(lab, w, "ul0", "ip proto 47", "-T", "fields", "-E", "separator=|",
                "-e", "gre.proto", "-e", "gre.key", "-e", "eth.type", "-e", "_ws.col.Protocol");
        ping(hw, "10.99.0.2");
        ping(hw, "fd99::2");
        ping(ho, "10.99.0.1");
        ping(ho, "fd99::1");
        // Full-size frames fit the TAP MTU end to end (OVS neither fragments nor sends frag-needed).
        pingBig(hw, "10.99.0.2", MTU - 28);
        pingBig(ho, "fd99::1", MTU - 48);
        List<String> lines = cap.stop();
        List<String> gre = lines.stream().filter(l -> l.matches("^0x\\p{XDigit}+\\|.*")).toList();
        assertTrue(gre.size() >= 16, "GRE packets seen:\n" + String.join("\n", lines));
        boolean v4 = false;
        boolean v6 = false;
        for (String line : gre) {
            String[] f = line.split("\\|", -1);
            assertEquals("0x6558", f[0], "Transparent Ethernet Bridging: " + line);
            assertEquals(Long.toString(KEY), Long.decode(f[1]).toString(), "the key: " + line);
            String[] types = f[2].split(",");
            assertTrue(types.length == 2 && List.of("0x0800", "0x86dd", "0x0806").contains(types[1]),
                    "an Ethernet frame inside the outer one: " + line);
            v4 |= f[3].equals("ICMP");
            v6 |= f[3].equals("ICMPv6");
        }
        assertTrue(v4 && v6, "IPv4 and IPv6 inside:\n" + String.join("\n", gre));
        String fdb = ovs.appctl("fdb/show", "brx").stdout();
        assertTrue(fdb.contains(mac(hw)), "OVS learned Warren's host behind GRE: " + fdb);

        int seconds = Integer.getInteger("l2.iperf.seconds", 3);
        double up = L2Lab.iperf(lab, ho, "10.99.0.2", hw, seconds);
        double down = L2Lab.iperf(lab, hw, "10.99.0.1", ho, seconds);
        System.out.printf("gretap Warren<->OVS userspace iperf3: warren->ovs %.2f Gbit/s, ovs->warren %.2f Gbit/s%n",
                up / 1e9, down / 1e9);
        System.out.println("counters gt0: " + tunnel.counters());
        assertTrue(up > 20e6 && down > 20e6, "throughput " + up + " / " + down + " counters " + tunnel.counters());
        assertEquals(0L, tunnel.counters().getOrDefault("drop_gre_key_mismatch", 0L));
        assertEquals(0L, tunnel.counters().getOrDefault("drop_gre_not_ethernet", 0L));
    }

    /** A host namespace behind {@code ifname} of {@code gw}, its MTU the tunnel's. */
    private static Netns host(String name, Netns gw, String ifname, String ip, String ip6) {
        Netns h = lab.netns(name);
        lab.veth(gw, ifname, h, "eth0");
        h.exec("ip", "link", "set", "eth0", "mtu", Integer.toString(MTU));
        gw.exec("ip", "link", "set", ifname, "mtu", Integer.toString(MTU));
        h.addr("eth0", ip + "/24");
        h.addr("eth0", ip6 + "/64");
        return h;
    }

    private static String mac(Netns host) {
        return host.exec("cat", "/sys/class/net/eth0/address").stdout().trim();
    }

    private void ping(Netns from, String to) {
        ExecResult r = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            r = from.execAllowFail("ping", "-c", "3", "-i", "0.2", "-W", "2", to);
            if (L2Lab.lossPercent(r) == 0) {
                return;
            }
        }
        throw new AssertionError("ping " + to + ": " + r.stdout() + r.stderr() + "\ncounters " + tunnel.counters()
                + "\novs: " + ovs.appctl("dpif/show").stdout() + ovs.appctl("tnl/neigh/show").stdout());
    }

    private void pingBig(Netns from, String to, int payload) {
        ExecResult r = from.execAllowFail("ping", "-c", "2", "-i", "0.2", "-W", "2", "-M", "do", "-s",
                Integer.toString(payload), to);
        assertEquals(0, L2Lab.lossPercent(r), "full-size ping " + to + ": " + r.stdout() + r.stderr()
                + "\ncounters " + tunnel.counters());
    }
}
