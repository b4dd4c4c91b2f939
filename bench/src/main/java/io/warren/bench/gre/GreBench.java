package io.warren.bench.gre;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * iperf3 TCP through an L3 GRE tunnel: Warren's GRE against Open vSwitch's userspace-datapath GRE,
 * on the same topology, in alternating runs (root; not a test).
 *
 * <p>Topology, rebuilt for every run in namespaces this harness creates ({@code wgb<pid>-*}) and
 * deletes: host {@code hl} (10.1.0.2/24) - gateway {@code l} (LAN 10.1.0.1) - underlay veth
 * 192.0.2.1 - 192.0.2.2, TX checksum offload off (shared/lab-notes.md) - gateway {@code r} -
 * host {@code hr} (10.2.0.2/24); both hosts at MTU 1472 (the tunnel MTU). Per run, both gateways
 * are either OVS (ovsdb-server + ovs-vswitchd --disable-system, netdev bridges, GRE port
 * {@code packet_type=legacy_l3}, key 5, explicit flows) or the Warren daemon started with
 * {@code --warren CMD} ({@code {config}} replaced by a generated warren.toml holding
 * {@code [tunnel.gre1] type = "gre", key = 5} and a {@code [[route]] via = "tunnel:gre1"} to the
 * far LAN), so the runs compare GRE implementations end to end. Every process is stopped by PID.
 *
 * <p>Usage: {@code GreBench --warren "java -cp CP io.warren.gateway.Main run --config {config}"
 * [--rounds 3] [--seconds 5]}. Prints Gbit/s per run (receiver side, hl -> hr) and the ratio of
 * the medians, Warren / OVS.
 */
public final class GreBench {
    private static final Pattern RECEIVED =
            Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    private final String prefix = "wgb" + ProcessHandle.current().pid() + "-";
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Path dir;

    private GreBench() throws IOException {
        dir = Files.createTempDirectory("warren-grebench-");
    }

    public static void main(String[] args) throws Exception {
        String warren = null;
        int rounds = 3;
        int seconds = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warren" -> warren = args[++i];
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (warren == null) {
            throw new IllegalArgumentException("--warren CMD is required");
        }
        List<Double> ovs = new ArrayList<>();
        List<Double> ours = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (boolean useWarren : new boolean[] {false, true}) {
                GreBench b = new GreBench();
                try {
                    double g = b.run(useWarren ? warren : null, seconds);
                    (useWarren ? ours : ovs).add(g);
                    System.out.printf(Locale.ROOT, "round %d %-6s %.3f Gbit/s%n", r + 1, useWarren ? "warren" : "ovs", g);
                } finally {
                    b.cleanup();
                }
            }
        }
        double mo = median(ovs);
        double mw = median(ours);
        System.out.printf(Locale.ROOT, "median: warren %.3f Gbit/s, ovs %.3f Gbit/s, ratio %.2fx%n", mw, mo, mw / mo);
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private double run(String warren, int seconds) throws Exception {
        String hl = ns("hl");
        String l = ns("l");
        String r = ns("r");
        String hr = ns("hr");
        veth(hl, "eth0", l, "lan0");
        veth(l, "ul0", r, "ul0");
        veth(r, "lan0", hr, "eth0");
        // Hosts get the tunnel MTU: OVS neither fragments nor sends frag-needed, so 1500-byte hosts
        // would black-hole through it (Warren would clamp the MSS; the comparison stays like for like).
        sh(hl, "ip link set eth0 mtu 1472 && ip addr add 10.1.0.2/24 dev eth0 && ip route add default via 10.1.0.1");
        sh(hr, "ip link set eth0 mtu 1472 && ip addr add 10.2.0.2/24 dev eth0 && ip route add default via 10.2.0.1");
        if (warren == null) {
            ovs(l, "192.0.2.1", "192.0.2.2", hl, "10.1.0.1");
            ovs(r, "192.0.2.2", "192.0.2.1", hr, "10.2.0.1");
        } else {
            warren(l, warren, "l", "10.1.0.1", "192.0.2.1", "192.0.2.2", "10.2.0.0/24");
            warren(r, warren, "r", "10.2.0.1", "192.0.2.2", "192.0.2.1", "10.1.0.0/24");
        }
        waitFor(hl, "ping -c 1 -W 1 10.2.0.2", 30);
        spawn(hr, dir.resolve("iperf3-server.log"), "iperf3 -s -1 -B 10.2.0.2");
        waitFor(hr, "ss -ltn | grep -q :5201", 10);
        String json = sh(hl, "iperf3 -c 10.2.0.2 -t " + seconds + " -J");
        Matcher m = RECEIVED.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no iperf3 result: " + json);
        }
        return Double.parseDouble(m.group(1)) / 1e9;
    }

    /** The Warren daemon as the GRE endpoint in {@code ns}: generated config, IPv4 forwarding on. */
    private void warren(String ns, String command, String name, String lanIp, String local, String remote, String far)
            throws Exception {
        sh(ns, "ip addr add " + lanIp + "/24 dev lan0 && ip addr add " + local + "/24 dev ul0"
                + " && sysctl -q -w net.ipv4.ip_forward=1");
        Path config = dir.resolve("warren-" + name + ".toml");
        Files.writeString(config, """
                [tunnel.gre1]
                type = "gre"
                local = "%s"
                remote = "%s"
                key = 5

                [[route]]
                prefix = "%s"
                via = "tunnel:gre1"

                [metrics]
                enabled = false

                [control]
                socket = "%s"
                """.formatted(local, remote, far, dir.resolve("control-" + name + ".sock")), StandardCharsets.UTF_8);
        spawn(ns, dir.resolve("warren-" + name + ".log"), command.replace("{config}", config.toString()));
    }

    /** OVS userspace GRE endpoint in {@code ns} (lab-notes recipe) with a static neighbour on the host. */
    private void ovs(String ns, String local, String remote, String host, String gwIp) throws Exception {
        Path d = Files.createTempDirectory(dir, "ovs-");
        String env = "env OVS_RUNDIR=" + d + " OVS_LOGDIR=" + d + " OVS_DBDIR=" + d + " OVS_SYSCONFDIR=" + d + " ";
        String db = "unix:" + d.resolve("db.sock");
        String vsctl = env + "ovs-vsctl --db=" + db + " --timeout=20 ";
        sh(ns, "ovsdb-tool create " + d.resolve("conf.db") + " /usr/share/openvswitch/vswitch.ovsschema");
        spawn(ns, d.resolve("ovsdb.out"), env + "ovsdb-server " + d.resolve("conf.db") + " --remote=punix:" + d.resolve("db.sock"));
        waitFor(ns, "test -S " + d.resolve("db.sock"), 10);
        sh(ns, vsctl + "--no-wait init");
        spawn(ns, d.resolve("vswitchd.out"), env + "ovs-vswitchd " + db + " --disable-system");
        sh(ns, vsctl + "add-br brul -- set bridge brul datapath_type=netdev && " + vsctl + "add-port brul ul0"
                + " && sysctl -q -w net.ipv4.conf.ul0.arp_ignore=1 && ip addr add " + local + "/24 dev brul && ip link set brul up"
                + " && " + vsctl + "add-br brt -- set bridge brt datapath_type=netdev"
                + " && " + vsctl + "add-port brt lan0 -- set interface lan0 ofport_request=1"
                + " && " + vsctl + "add-port brt gre0 -- set interface gre0 ofport_request=2 type=gre options:remote_ip="
                + remote + " options:packet_type=legacy_l3 options:key=5 mtu_request=1472");
        String hostMac = sh(host, "cat /sys/class/net/eth0/address").trim();
        String of = env + "ovs-ofctl -O OpenFlow13 ";
        String mgmt = "unix:" + d.resolve("brt.mgmt");
        sh(ns, of + "del-flows " + mgmt + " && " + of + "add-flow " + mgmt + " in_port=1,ip,actions=output:2 && " + of
                + "add-flow " + mgmt + " in_port=2,actions=mod_dl_src:02:00:00:00:00:01,mod_dl_dst:" + hostMac + ",output:1");
        sh(host, "ip neigh replace " + gwIp + " lladdr 02:00:00:00:00:01 dev eth0");
    }

    private String ns(String name) throws Exception {
        String full = prefix + name;
        exec(List.of("ip", "netns", "add", full));
        namespaces.add(full);
        sh(full, "ip link set lo up");
        return full;
    }

    private void veth(String a, String ifA, String b, String ifB) throws Exception {
        exec(List.of("ip", "-n", a, "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", b));
        sh(a, "ethtool -K " + ifA + " tx off >/dev/null && ip link set " + ifA + " up");
        sh(b, "ethtool -K " + ifB + " tx off >/dev/null && ip link set " + ifB + " up");
    }

    private String sh(String ns, String command) throws Exception {
        return exec(List.of("ip", "netns", "exec", ns, "sh", "-c", command));
    }

    private void spawn(String ns, Path log, String command) throws IOException {
        processes.add(new ProcessBuilder("ip", "netns", "exec", ns, "sh", "-c", "exec " + command)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start());
    }

    private void waitFor(String ns, String command, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            Process p = new ProcessBuilder("ip", "netns", "exec", ns, "sh", "-c", command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("timed out: " + command + " in " + ns);
    }

    private static String exec(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
        }
        return out;
    }

    private void cleanup() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            try {
                exec(List.of("ip", "netns", "del", namespaces.get(i)));
            } catch (Exception e) {
                System.err.println("cannot delete namespace " + namespaces.get(i) + ": " + e.getMessage());
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot remove " + dir + ": " + e.getMessage());
        }
    }
}
