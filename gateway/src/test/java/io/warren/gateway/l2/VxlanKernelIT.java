package io.warren.gateway.l2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.transport.Transports;
import io.warren.gateway.tunnel.Tunnel;
import io.warren.gateway.tunnel.TunnelContext;
import io.warren.testlab.ExecResult;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Warren's VXLAN against the Linux kernel's vxlan driver as the real peer. Namespace {@code k}: kernel
 * VXLAN devices for VNI 100 and 200, each on a Linux bridge with a host namespace behind it. Namespace
 * {@code w}: Warren's tunnels (TAP devices enslaved to bridges by the factory) with their own hosts.
 * ARP resolves, ping and iperf3 TCP work across, and the two VNIs stay isolated.
 */
class VxlanKernelIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private Transports transports;
    private final List<Tunnel> tunnels = new ArrayList<>();
    private Netns w;

    @BeforeEach
    void requirements() {
        lab.requireRoot();
        lab.requireTools("ip", "ping", "iperf3", "ethtool", "tshark", "ss");
    }

    @AfterEach
    void stop() {
        if (w != null) {
            w.run(() -> tunnels.forEach(Tunnel::close));
        }
        if (transports != null) {
            transports.close();
        }
    }

    @Test
    void arpPingIperfAcrossKernelVxlanAndVnisStayIsolated() throws Exception {
        w = lab.netns("w");
        Netns k = lab.netns("k");
        lab.veth(w, "ul0", k, "ul0");
        w.addr("ul0", "10.70.0.1/24");
        k.addr("ul0", "10.70.0.2/24");
        Netns[] wHosts = {lab.netns("hw1"), lab.netns("hw2")};
        Netns[] kHosts = {lab.netns("hk1"), lab.netns("hk2")};
        int[] vnis = {100, 200};
        String[][] ips = {{"10.99.0.1", "10.99.0.2"}, {"10.99.0.11", "10.99.0.12"}};
        for (int i = 0; i < 2; i++) {
            int vni = vnis[i];
            k.exec("ip", "link", "add", "kx" + vni, "type", "vxlan", "id", Integer.toString(vni), "local", "10.70.0.2",
                    "remote", "10.70.0.1", "dstport", "4789", "dev", "ul0");
            lab.veth(k, "h" + vni, kHosts[i], "eth0");
            lab.bridge(k, "brk" + vni, "kx" + vni, "h" + vni);
            lab.veth(w, "h" + vni, wHosts[i], "eth0");
            lab.bridge(w, "brw" + vni, "h" + vni);
            for (Netns h : new Netns[] {wHosts[i], kHosts[i]}) {
                h.exec("ip", "link", "set", "eth0", "mtu", "1450");
            }
            w.exec("ip", "link", "set", "h" + vni, "mtu", "1450");
            k.exec("ip", "link", "set", "h" + vni, "mtu", "1450");
            wHosts[i].addr("eth0", ips[i][0] + "/24");
            kHosts[i].addr("eth0", ips[i][1] + "/24");
        }
        transports = Transports.create(1);
        L2TunnelFactory factory = new L2TunnelFactory();
        TunnelContext ctx = new TunnelContext(transports);
        for (int vni : vnis) {
            tunnels.add(w.call(() -> factory.open(L2Lab.vxlan("wx" + vni, vni, "10.70.0.2", "brw" + vni, 0), ctx)));
        }
        assertEquals("1450", w.exec("cat", "/sys/class/net/wx100/mtu").stdout().trim(), "TAP MTU from the underlay");
        assertTrue(w.exec("ip", "-o", "link", "show", "wx100").stdout().contains("master brw100"));

        L2Lab.Capture cap = new L2Lab.Capture(lab, k, "ul0", "udp port 4789", "-T", "fields", "-e", "vxlan.vni",
                "-e", "udp.srcport", "-e", "ip.src", "-e", "_ws.col.Protocol");
        for (int i = 0; i < 2; i++) {
            ExecResult ping = wHosts[i].execAllowFail("ping", "-c", "3", "-i", "0.2", "-W", "2", ips[i][1]);
            if (L2Lab.lossPercent(ping) != 0) {
                throw new AssertionError(ping.stdout() + "\ncounters " + tunnels.get(i).counters()
                        + "\nwire:\n" + String.join("\n", cap.stop())
                        + "\nk bridge fdb:\n" + k.exec("bridge", "fdb", "show").stdout()
                        + "\nw links:\n" + w.exec("ip", "-d", "link").stdout());
            }
            String neigh = wHosts[i].exec("ip", "neigh", "show", ips[i][1]).stdout();
            assertTrue(neigh.contains("lladdr"), "ARP resolved across VNI " + vnis[i] + ": " + neigh);
        }
        // Isolation: the VNI 100 host cannot reach the VNI 200 host on the kernel side, same subnet.
        ExecResult cross = wHosts[0].execAllowFail("ping", "-c", "2", "-i", "0.2", "-W", "1", ips[1][1]);
        assertEquals(100, L2Lab.lossPercent(cross), cross.stdout());
        ExecResult cross2 = kHosts[1].execAllowFail("ping", "-c", "2", "-i", "0.2", "-W", "1", ips[0][0]);
        assertEquals(100, L2Lab.lossPercent(cross2), cross2.stdout());
        List<String> wire = cap.stop();
        String all = String.join("\n", wire);
        assertTrue(all.contains("100\t") && all.contains("200\t") && all.contains("ICMP") && all.contains("ARP"), all);
        for (String line : wire) {
            String[] f = line.split("\t");
            if (f.length >= 3 && f[2].equals("10.70.0.1")) {
                int sport = Integer.parseInt(f[1]);
                assertTrue(sport >= 49152, "Warren's source port is in the dynamic range: " + line);
            }
        }

        int seconds = Integer.getInteger("l2.iperf.seconds", 2);
        double up = L2Lab.iperf(lab, kHosts[0], ips[0][1], wHosts[0], seconds);
        double down = L2Lab.iperf(lab, wHosts[0], ips[0][0], kHosts[0], seconds);
        System.out.printf("VXLAN Warren<->kernel iperf3: warren->kernel %.2f Gbit/s, kernel->warren %.2f Gbit/s%n",
                up / 1e9, down / 1e9);
        assertTrue(up > 50e6 && down > 50e6, "throughput " + up + " / " + down + " counters "
                + tunnels.get(0).counters() + "\nkernel: " + k.exec("ip", "-s", "link", "show", "kx100").stdout()
                + "\nw: " + w.exec("ip", "-s", "link", "show", "wx100").stdout()
                + w.exec("cat", "/proc/net/udp").stdout() + w.exec("nstat", "-az", "Udp*").stdout()
                + "\nping: " + wHosts[0].exec("ping", "-c", "5", "-i", "0.2", ips[0][1]).stdout());
        System.out.println("counters wx100: " + tunnels.get(0).counters());
    }

    /**
     * Jumbo frames on a 9000-byte underlay: the kernel's vxlan device and Warren's TAP both get MTU
     * 8950 (RFC 7348 §4.3: no fragmentation, so the whole frame rides one datagram) and 8000-byte
     * pings with DF cross both ways. Warren's shared VXLAN port used to cut every datagram above
     * 2048 bytes and drop it.
     */
    @Test
    void jumboFramesCrossOnA9000ByteUnderlay() throws Exception {
        w = lab.netns("w");
        Netns k = lab.netns("k");
        lab.veth(w, "ul0", k, "ul0");
        w.exec("ip", "link", "set", "ul0", "mtu", "9000");
        k.exec("ip", "link", "set", "ul0", "mtu", "9000");
        w.addr("ul0", "10.70.0.1/24");
        k.addr("ul0", "10.70.0.2/24");
        Netns wHost = lab.netns("hw1");
        Netns kHost = lab.netns("hk1");
        k.exec("ip", "link", "add", "kx100", "type", "vxlan", "id", "100", "local", "10.70.0.2",
                "remote", "10.70.0.1", "dstport", "4789", "dev", "ul0");
        lab.veth(k, "h100", kHost, "eth0");
        lab.veth(w, "h100", wHost, "eth0");
        for (Netns n : new Netns[] {k, w}) {
            n.exec("ip", "link", "set", "h100", "mtu", "8950");
        }
        lab.bridge(k, "brk100", "kx100", "h100");
        lab.bridge(w, "brw100", "h100");
        for (Netns h : new Netns[] {wHost, kHost}) {
            h.exec("ip", "link", "set", "eth0", "mtu", "8950");
        }
        wHost.addr("eth0", "10.99.0.1/24");
        kHost.addr("eth0", "10.99.0.2/24");
        transports = Transports.create(1);
        TunnelContext ctx = new TunnelContext(transports);
        tunnels.add(w.call(() -> new L2TunnelFactory().open(L2Lab.vxlan("wx100", 100, "10.70.0.2", "brw100", 0), ctx)));
        assertEquals("8950", w.exec("cat", "/sys/class/net/wx100/mtu").stdout().trim(), "TAP MTU from the underlay");
        assertEquals("8950", k.exec("cat", "/sys/class/net/kx100/mtu").stdout().trim());
        for (String[] way : new String[][] {{"w", "10.99.0.2"}, {"k", "10.99.0.1"}}) {
            Netns from = way[0].equals("w") ? wHost : kHost;
            ExecResult ping = from.execAllowFail("ping", "-c", "3", "-i", "0.2", "-W", "2", "-M", "do", "-s", "8000", way[1]);
            assertEquals(0, L2Lab.lossPercent(ping), way[0] + " -> " + way[1] + ": " + ping.stdout()
                    + "\ncounters " + tunnels.get(0).counters());
        }
    }

    /** Sends a tagged ARP request, then a tagged ICMP echo, and prints the VLAN of each reply. */
    private static final String TAGGED_PING = String.join("\n",
            "import sys",
            "from scapy.all import Ether, Dot1Q, ARP, IP, ICMP, srp1, conf, get_if_hwaddr",
            "conf.verb = 0",
            "iface, vlan, src, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]",
            "mac = get_if_hwaddr(iface)",
            "r = srp1(Ether(src=mac, dst='ff:ff:ff:ff:ff:ff') / Dot1Q(vlan=vlan)"
                    + " / ARP(op=1, hwsrc=mac, psrc=src, pdst=dst), iface=iface, timeout=2)",
            "if r is None or ARP not in r:",
            "    print('arp none')",
            "    sys.exit(0)",
            "print('arp vlan', r[Dot1Q].vlan if Dot1Q in r else 'untagged')",
            "e = srp1(Ether(src=mac, dst=r[ARP].hwsrc) / Dot1Q(vlan=vlan) / IP(src=src, dst=dst)"
                    + " / ICMP(id=7, seq=1), iface=iface, timeout=2)",
            "print('icmp vlan', 'none' if e is None or ICMP not in e else (e[Dot1Q].vlan if Dot1Q in e else 'untagged'))",
            "");

    /**
     * A trunk: a host sending 802.1Q-tagged frames (scapy; this kernel has neither 8021q nor bridge
     * VLAN filtering) on a port of Warren's bridge; tunnel wt10 maps VLAN 10 to VNI 110, wt20 VLAN 20
     * to VNI 120 (tag removed into the overlay, put back out of it); the kernel side has one untagged
     * host per VNI. The bridge floods every tagged broadcast to both TAPs: each VLAN reaches its own
     * VNI only, and replies come back with the right tag.
     */
    @Test
    void trunkVlansMapToVnisAndStayIsolated() throws Exception {
        lab.requireTools("/usr/bin/python3");
        w = lab.netns("w");
        Netns k = lab.netns("k");
        lab.veth(w, "ul0", k, "ul0");
        w.addr("ul0", "10.70.0.1/24");
        k.addr("ul0", "10.70.0.2/24");
        Netns trunkHost = lab.netns("ht");
        lab.veth(w, "trunk", trunkHost, "eth0");
        lab.bridge(w, "brt", "trunk");
        Netns[] kHosts = {lab.netns("hk10"), lab.netns("hk20")};
        int[] vlans = {10, 20};
        for (int i = 0; i < 2; i++) {
            int vni = 100 + vlans[i];
            k.exec("ip", "link", "add", "kx" + vni, "type", "vxlan", "id", Integer.toString(vni), "local", "10.70.0.2",
                    "remote", "10.70.0.1", "dstport", "4789", "dev", "ul0");
            lab.veth(k, "h" + vni, kHosts[i], "eth0");
            lab.bridge(k, "brk" + vni, "kx" + vni, "h" + vni);
        }
        kHosts[0].addr("eth0", "10.96.0.2/24");
        kHosts[1].addr("eth0", "10.96.1.2/24");
        kHosts[1].addr("eth0", "10.96.0.3/24"); // in VLAN 10's subnet, but on VNI 120

        transports = Transports.create(1);
        L2TunnelFactory factory = new L2TunnelFactory();
        TunnelContext ctx = new TunnelContext(transports);
        for (int vlan : vlans) {
            tunnels.add(w.call(() -> factory.open(L2Lab.vxlan("wt" + vlan, 100 + vlan, "10.70.0.2", "brt", vlan), ctx)));
        }
        java.nio.file.Path script = lab.tempDir().resolve("tagged_ping.py");
        java.nio.file.Files.writeString(script, TAGGED_PING);
        String v10 = trunkHost.exec("/usr/bin/python3", script.toString(), "eth0", "10", "10.96.0.1", "10.96.0.2").stdout();
        assertEquals("arp vlan 10\nicmp vlan 10", v10.strip(), "VLAN 10 <-> VNI 110; " + tunnels.get(0).counters());
        String v20 = trunkHost.exec("/usr/bin/python3", script.toString(), "eth0", "20", "10.96.1.1", "10.96.1.2").stdout();
        assertEquals("arp vlan 20\nicmp vlan 20", v20.strip(), "VLAN 20 <-> VNI 120; " + tunnels.get(1).counters());
        String cross = trunkHost.exec("/usr/bin/python3", script.toString(), "eth0", "10", "10.96.0.1", "10.96.0.3").stdout();
        assertEquals("arp none", cross.strip(), "VLAN 10 must not reach the host on VNI 120");
        assertTrue(tunnels.get(0).counters().getOrDefault("drop_vlan_unmapped", 0L) > 0,
                "VLAN 20 frames flooded by the bridge to wt10 are refused: " + tunnels.get(0).counters());
        assertTrue(tunnels.get(1).counters().getOrDefault("drop_vlan_unmapped", 0L) > 0,
                "VLAN 10 frames flooded by the bridge to wt20 are refused: " + tunnels.get(1).counters());
    }
}
