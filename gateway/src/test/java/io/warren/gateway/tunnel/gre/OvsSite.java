package io.warren.gateway.tunnel.gre;

import io.warren.testlab.LabProcess;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An Open vSwitch userspace-datapath GRE endpoint inside a gateway namespace (lab notes recipe):
 * private OVS_RUNDIR/LOGDIR/DBDIR, ovsdb-server and ovs-vswitchd in the foreground (stopped by PID
 * by the lab), a netdev bridge {@code brul} holding the underlay port with the underlay address,
 * and a netdev bridge {@code brt} joining the LAN port to an L3 GRE port
 * ({@code packet_type=legacy_l3}) with explicit flows; the LAN host reaches the gateway MAC
 * through a static neighbour entry (nothing answers ARP on {@code brt}).
 */
final class OvsSite {
    static final String GW_MAC = "02:00:00:00:00:01";

    private final Netns ns;
    private final Path dir;
    private final List<String> env;
    private final List<LabProcess> daemons = new ArrayList<>();

    OvsSite(NetLab lab, GreSites.Site site, String remote, Long key, int greMtu) throws Exception {
        this.ns = site.gw();
        this.dir = Files.createTempDirectory(lab.tempDir(), "ovs-" + site.n() + "-");
        this.env = List.of("env", "OVS_RUNDIR=" + dir, "OVS_LOGDIR=" + dir, "OVS_DBDIR=" + dir, "OVS_SYSCONFDIR=" + dir);
        String local = site.underlayIp();
        ns.exec("ovsdb-tool", "create", dir.resolve("conf.db").toString(), "/usr/share/openvswitch/vswitch.ovsschema");
        daemons.add(lab.spawn(ns, cmd("ovsdb-server", dir.resolve("conf.db").toString(),
                "--remote=punix:" + dir.resolve("db.sock"), "--log-file=" + dir.resolve("ovsdb-server.log"))));
        Wait.until(Duration.ofSeconds(10), "ovsdb-server socket", () -> Files.exists(dir.resolve("db.sock")));
        vsctl("--no-wait", "init");
        daemons.add(lab.spawn(ns, cmd("ovs-vswitchd", "unix:" + dir.resolve("db.sock"), "--disable-system",
                "--log-file=" + dir.resolve("ovs-vswitchd.log"))));
        vsctl("add-br", "brul", "--", "set", "bridge", "brul", "datapath_type=netdev");
        vsctl("add-port", "brul", "ul0");
        ns.exec("ip", "addr", "flush", "dev", "ul0");
        ns.sysctl("net.ipv4.conf.ul0.arp_ignore", "1");
        ns.exec("ip", "addr", "add", local + "/24", "dev", "brul");
        ns.up("brul");
        vsctl("add-br", "brt", "--", "set", "bridge", "brt", "datapath_type=netdev");
        vsctl("add-port", "brt", "lan0", "--", "set", "interface", "lan0", "ofport_request=1");
        List<String> gre = new ArrayList<>(List.of("add-port", "brt", "gre0", "--", "set", "interface", "gre0",
                "ofport_request=2", "type=gre", "options:remote_ip=" + remote, "options:packet_type=legacy_l3",
                "mtu_request=" + greMtu));
        if (key != null) {
            gre.add("options:key=" + key);
        }
        vsctl(gre.toArray(String[]::new));
        ns.exec("ip", "addr", "flush", "dev", "lan0");
        String mgmt = "unix:" + dir.resolve("brt.mgmt");
        ofctl("del-flows", mgmt);
        ofctl("add-flow", mgmt, "in_port=1,ip,actions=output:2");
        ofctl("add-flow", mgmt, "in_port=2,actions=mod_dl_src:" + GW_MAC + ",mod_dl_dst:" + hostMac(site)
                + ",output:1");
        site.host().exec("ip", "neigh", "replace", "10." + site.n() + ".0.1", "lladdr", GW_MAC, "dev", "eth0");
    }

    private static String hostMac(GreSites.Site site) {
        return site.host().exec("cat", "/sys/class/net/eth0/address").stdout().trim();
    }

    private String[] cmd(String... argv) {
        List<String> all = new ArrayList<>(env);
        all.addAll(List.of(argv));
        return all.toArray(String[]::new);
    }

    void vsctl(String... args) {
        List<String> all = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + dir.resolve("db.sock"), "--timeout=20"));
        all.addAll(List.of(args));
        ns.exec(cmd(all.toArray(String[]::new)));
    }

    void ofctl(String... args) {
        List<String> all = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13"));
        all.addAll(List.of(args));
        ns.exec(cmd(all.toArray(String[]::new)));
    }

    /** Stops both daemons by PID (the lab would at scope end anyway). */
    void stop() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).stop();
        }
    }
}
