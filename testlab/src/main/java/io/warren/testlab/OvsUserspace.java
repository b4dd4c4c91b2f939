package io.warren.testlab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An Open vSwitch userspace-datapath instance inside one namespace (shared/lab-notes.md recipe), a
 * real tunnel peer for GRE and VXLAN tests: private {@code OVS_RUNDIR/LOGDIR/DBDIR/SYSCONFDIR} under
 * the lab's temporary directory, {@code ovsdb-server} and {@code ovs-vswitchd --disable-system} spawned
 * by the lab (stopped by PID), and a {@code datapath_type=netdev} bridge {@code brul} that holds the
 * underlay port, with the underlay address on the bridge itself (OVS userspace tunnelling sends and
 * resolves neighbours through it; {@code arp_ignore=1} on the port keeps the kernel from answering
 * ARP there). Callers add their own bridges and tunnel ports with {@link #vsctl}.
 *
 * <p>Not thread-safe; one test uses it. Needs {@link #TOOLS}.
 */
public final class OvsUserspace {
    /** The executables this needs (for {@link NetLab#requireTools}). */
    public static final String[] TOOLS = {"ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-ofctl"};
    /** The underlay bridge. */
    public static final String UNDERLAY_BRIDGE = "brul";

    private final Netns ns;
    private final Path dir;
    private final List<String> env;
    private final List<LabProcess> daemons = new ArrayList<>();

    /**
     * Starts the daemons in {@code ns} and moves the address of {@code underlayPort} to {@code brul}.
     *
     * @param underlayCidr the underlay address with prefix, e.g. {@code 10.72.0.2/24}
     */
    public OvsUserspace(NetLab lab, Netns ns, String underlayPort, String underlayCidr) {
        this.ns = ns;
        try {
            this.dir = Files.createTempDirectory(lab.tempDir(), "ovs-" + ns.name() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.env = List.of("env", "OVS_RUNDIR=" + dir, "OVS_LOGDIR=" + dir, "OVS_DBDIR=" + dir, "OVS_SYSCONFDIR=" + dir);
        ns.exec("ovsdb-tool", "create", dir.resolve("conf.db").toString(), "/usr/share/openvswitch/vswitch.ovsschema");
        daemons.add(lab.spawn(ns, cmd("ovsdb-server", dir.resolve("conf.db").toString(),
                "--remote=punix:" + dir.resolve("db.sock"), "--log-file=" + dir.resolve("ovsdb-server.log"))));
        Wait.until(Duration.ofSeconds(10), "ovsdb-server socket", () -> Files.exists(dir.resolve("db.sock")));
        vsctl("--no-wait", "init");
        daemons.add(lab.spawn(ns, cmd("ovs-vswitchd", "unix:" + dir.resolve("db.sock"), "--disable-system",
                "--pidfile", "--log-file=" + dir.resolve("ovs-vswitchd.log")))); // the pidfile lets ovs-appctl find it
        addNetdevBridge(UNDERLAY_BRIDGE);
        vsctl("add-port", UNDERLAY_BRIDGE, underlayPort);
        ns.exec("ip", "addr", "flush", "dev", underlayPort);
        ns.sysctl("net.ipv4.conf." + underlayPort + ".arp_ignore", "1");
        ns.exec("ip", "addr", "add", underlayCidr, "dev", UNDERLAY_BRIDGE);
        ns.up(UNDERLAY_BRIDGE);
    }

    /** The namespace OVS runs in. */
    public Netns ns() {
        return ns;
    }

    /** The private directory (database, sockets, logs). */
    public Path dir() {
        return dir;
    }

    /** Adds a userspace-datapath bridge. */
    public void addNetdevBridge(String name) {
        vsctl("add-br", name, "--", "set", "bridge", name, "datapath_type=netdev");
    }

    /** {@code ovs-vsctl ARGS} against this instance's database (fails the test on error). */
    public ExecResult vsctl(String... args) {
        List<String> all = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + dir.resolve("db.sock"), "--timeout=20"));
        all.addAll(List.of(args));
        return ns.exec(cmd(all.toArray(String[]::new)));
    }

    /** {@code ovs-ofctl -O OpenFlow13 ARGS} (address a bridge as {@link #mgmt}). */
    public ExecResult ofctl(String... args) {
        List<String> all = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow13"));
        all.addAll(List.of(args));
        return ns.exec(cmd(all.toArray(String[]::new)));
    }

    /** {@code ovs-appctl ARGS} to this instance's ovs-vswitchd (found by its pidfile), allowed to fail. */
    public ExecResult appctl(String... args) {
        List<String> all = new ArrayList<>(List.of("ovs-appctl"));
        all.addAll(List.of(args));
        return ns.execAllowFail(cmd(all.toArray(String[]::new)));
    }

    /** The OpenFlow management socket of {@code bridge}, for {@link #ofctl}. */
    public String mgmt(String bridge) {
        return "unix:" + dir.resolve(bridge + ".mgmt");
    }

    private String[] cmd(String... argv) {
        List<String> all = new ArrayList<>(env);
        all.addAll(List.of(argv));
        return all.toArray(String[]::new);
    }

    /** Stops both daemons by PID, vswitchd first (the lab would at scope end anyway). */
    public void stop() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).stop();
        }
    }
}
