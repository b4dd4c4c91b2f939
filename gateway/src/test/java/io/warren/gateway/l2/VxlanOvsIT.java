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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Warren's VXLAN against Open vSwitch's userspace VXLAN (an independent implementation, netdev
 * datapath) and, on the same VNI, the kernel's vxlan driver: Warren's tunnel for VNI 100 has both as
 * its {@code remote} list (head-end replication), so one ARP broadcast reaches a host behind each.
 *
 * <p>Underlay: a Linux bridge in namespace {@code ul} joining Warren ({@code w}, 10.72.0.1), OVS
 * ({@code o}, 10.72.0.2, address on its netdev bridge {@code brul}) and the kernel ({@code k},
 * 10.72.0.3). Overlay: per VNI, a host behind Warren's TAP (on a Linux bridge) and a host behind an OVS
 * bridge with a {@code type=vxlan options:key=VNI} port; a kernel host on VNI 100. ARP, ping and iperf3
 * TCP cross Warren <-> OVS; VNI 100 and 200 stay isolated although they share one subnet.
 */
class VxlanOvsIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private Transports transports;
    private final List<Tunnel> tunnels = new ArrayList<>();
    private Netns w;
    private OvsUserspace ovs;

    @BeforeEach
    void requirements() {
        lab.requireRoot();
        lab.requireTools("ip", "ping", "iperf3", "ethtool", "ss");
        lab.requireTools(OvsUserspace.TOOLS);
    }

    @AfterEach
    void stop() {
        if (w != null) {
            w.run(() -> tunnels.forEach(Tunnel::close));
        }
        if (transports != null) {
            transports.close();
        }
        if (ovs != null) {
            ovs.stop();
        }
    }

    private static TunnelConfig vxlan(String name, int vni, List<String> remotes, String bridge) {
        return new TunnelConfig(name, TunnelType.VXLAN, true, Optional.empty(), remotes,
                new TunnelParams.Vxlan(vni, 4789), Optional.empty(), OptionalInt.empty(), Optional.of(bridge),
                OptionalInt.empty(), List.of());
    }

    @Test
    void arpPingIperfAcrossOvsUserspaceVxlanAndVnisStayIsolated() throws Exception {
        Netns ul = lab.netns("ul");
        w = lab.netns("w");
        Netns o = lab.netns("o");
        Netns k = lab.netns("k");
        lab.veth(ul, "pw", w, "ul0");
        lab.veth(ul, "po", o, "ul0");
        lab.veth(ul, "pk", k, "ul0");
        lab.bridge(ul, "br0", "pw", "po", "pk");
        w.addr("ul0", "10.72.0.1/24");
        k.addr("ul0", "10.72.0.3/24");
        ovs = new OvsUserspace(lab, o, "ul0", "10.72.0.2/24");

        int[] vnis = {100, 200};
        String[][] ips = {{"10.98.0.1", "10.98.0.2"}, {"10.98.0.11", "10.98.0.12"}};
        Netns[] wHosts = new Netns[2];
        Netns[] oHosts = new Netns[2];
        for (int i = 0; i < 2; i++) {
            int vni = vnis[i];
            wHosts[i] = host("hw" + vni, w, "h" + vni, ips[i][0]);
            lab.bridge(w, "brw" + vni, "h" + vni);
            oHosts[i] = host("ho" + vni, o, "lan" + vni, ips[i][1]);
            ovs.addNetdevBridge("brx" + vni);
            ovs.vsctl("add-port", "brx" + vni, "lan" + vni);
            ovs.vsctl("add-port", "brx" + vni, "vx" + vni, "--", "set", "interface", "vx" + vni, "type=vxlan",
                    "options:remote_ip=10.72.0.1", "options:key=" + vni);
            o.up("brx" + vni);
        }
        k.exec("ip", "link", "add", "kx100", "type", "vxlan", "id", "100", "local", "10.72.0.3",
                "remote", "10.72.0.1", "dstport", "4789", "dev", "ul0");
        Netns kHost = host("hk100", k, "h100", "10.98.0.3");
        lab.bridge(k, "brk100", "kx100", "h100");

        transports = Transports.create(1);
        L2TunnelFactory factory = new L2TunnelFactory();
        TunnelContext ctx = new TunnelContext(transports);
        tunnels.add(w.call(() -> factory.open(vxlan("wx100", 100, List.of("10.72.0.2", "10.72.0.3"), "brw100"), ctx)));
        tunnels.add(w.call(() -> factory.open(vxlan("wx200", 200, List.of("10.72.0.2"), "brw200"), ctx)));

        for (int i = 0; i < 2; i++) {
            ping(wHosts[i], ips[i][1], i, "OVS host on VNI " + vnis[i]);
            String neigh = wHosts[i].exec("ip", "neigh", "show", ips[i][1]).stdout();
            assertTrue(neigh.contains("lladdr"), "ARP resolved across OVS VNI " + vnis[i] + ": " + neigh);
        }
        ping(kHost, ips[0][0], 0, "Warren host from the kernel host on VNI 100");
        ping(wHosts[0], "10.98.0.3", 0, "kernel host on VNI 100 (second remote of wx100)");
        String fdb = ovs.appctl("fdb/show", "brx100").stdout();
        assertTrue(fdb.lines().anyMatch(l -> l.contains(mac(wHosts[0]))), "OVS learned Warren's host behind VXLAN: " + fdb);

        // Isolation: VNI 100 and VNI 200 share the subnet but not the segment.
        ExecResult cross = wHosts[0].execAllowFail("ping", "-c", "2", "-i", "0.2", "-W", "1", ips[1][1]);
        assertEquals(100, L2Lab.lossPercent(cross), cross.stdout());
        ExecResult cross2 = oHosts[1].execAllowFail("ping", "-c", "2", "-i", "0.2", "-W", "1", ips[0][0]);
        assertEquals(100, L2Lab.lossPercent(cross2), cross2.stdout());

        int seconds = Integer.getInteger("l2.iperf.seconds", 3);
        double up = L2Lab.iperf(lab, oHosts[0], ips[0][1], wHosts[0], seconds);
        double down = L2Lab.iperf(lab, wHosts[0], ips[0][0], oHosts[0], seconds);
        System.out.printf("VXLAN Warren<->OVS userspace iperf3: warren->ovs %.2f Gbit/s, ovs->warren %.2f Gbit/s%n",
                up / 1e9, down / 1e9);
        assertTrue(up > 20e6 && down > 20e6, "throughput " + up + " / " + down + " counters " + tunnels.get(0).counters());
        System.out.println("counters wx100: " + tunnels.get(0).counters());
    }

    /** A host namespace behind {@code ifname} of {@code gw}, MTU 1450 (VXLAN over a 1500 underlay). */
    private static Netns host(String name, Netns gw, String ifname, String ip) {
        Netns h = lab.netns(name);
        lab.veth(gw, ifname, h, "eth0");
        h.exec("ip", "link", "set", "eth0", "mtu", "1450");
        gw.exec("ip", "link", "set", ifname, "mtu", "1450");
        h.addr("eth0", ip + "/24");
        return h;
    }

    private static String mac(Netns host) {
        return host.exec("cat", "/sys/class/net/eth0/address").stdout().trim();
    }

    private void ping(Netns from, String to, int tunnel, String what) {
        ExecResult r = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            r = from.execAllowFail("ping", "-c", "3", "-i", "0.2", "-W", "2", to);
            if (L2Lab.lossPercent(r) == 0) {
                return;
            }
        }
        throw new AssertionError(what + ": " + r.stdout() + "\ncounters " + tunnels.get(tunnel).counters()
                + "\novs: " + ovs.appctl("dpif/show").stdout() + ovs.appctl("ovs/route/show").stdout()
                + ovs.appctl("tnl/neigh/show").stdout());
    }
}
