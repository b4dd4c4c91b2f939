package io.warren.gateway.tunnel.gre;

import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.OvsUserspace;
import java.util.ArrayList;
import java.util.List;

/**
 * An Open vSwitch userspace-datapath GRE endpoint inside a gateway namespace ({@link OvsUserspace}:
 * private directories, daemons stopped by PID, the underlay on netdev bridge {@code brul}), with a
 * netdev bridge {@code brt} joining the LAN port to an L3 GRE port
 * ({@code packet_type=legacy_l3}) with explicit flows; the LAN host reaches the gateway MAC
 * through a static neighbour entry (nothing answers ARP on {@code brt}).
 */
final class OvsSite {
    static final String GW_MAC = "02:00:00:00:00:01";

    private final OvsUserspace ovs;

    OvsSite(NetLab lab, GreSites.Site site, String remote, Long key, int greMtu) throws Exception {
        Netns ns = site.gw();
        ovs = new OvsUserspace(lab, ns, "ul0", site.underlayIp() + "/24");
        ovs.addNetdevBridge("brt");
        ovs.vsctl("add-port", "brt", "lan0", "--", "set", "interface", "lan0", "ofport_request=1");
        List<String> gre = new ArrayList<>(List.of("add-port", "brt", "gre0", "--", "set", "interface", "gre0",
                "ofport_request=2", "type=gre", "options:remote_ip=" + remote, "options:packet_type=legacy_l3",
                "mtu_request=" + greMtu));
        if (key != null) {
            gre.add("options:key=" + key);
        }
        ovs.vsctl(gre.toArray(String[]::new));
        ns.exec("ip", "addr", "flush", "dev", "lan0");
        String mgmt = ovs.mgmt("brt");
        ovs.ofctl("del-flows", mgmt);
        ovs.ofctl("add-flow", mgmt, "in_port=1,ip,actions=output:2");
        ovs.ofctl("add-flow", mgmt, "in_port=2,actions=mod_dl_src:" + GW_MAC + ",mod_dl_dst:" + hostMac(site)
                + ",output:1");
        site.host().exec("ip", "neigh", "replace", "10." + site.n() + ".0.1", "lladdr", GW_MAC, "dev", "eth0");
    }

    private static String hostMac(GreSites.Site site) {
        return site.host().exec("cat", "/sys/class/net/eth0/address").stdout().trim();
    }

    /** Stops both daemons by PID (the lab would at scope end anyway). */
    void stop() {
        ovs.stop();
    }
}
