package io.warren.testlab;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The network-namespace lab, a JUnit 5 extension:
 * <pre>{@code @RegisterExtension static final NetLab lab = NetLab.create();}</pre>
 *
 * <p>Scope: objects created while a test method runs (including its {@code @BeforeEach}) are removed
 * after that test; objects created in {@code @BeforeAll} or outside JUnit are removed after all tests
 * ({@link #close()}). A JVM shutdown hook closes the lab for interrupted runs, and {@link #create()}
 * first deletes stale namespaces of earlier crashed runs (creator PID dead).
 */
public final class NetLab implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        AutoCloseable {
    private static final AtomicInteger LAB_SEQ = new AtomicInteger();
    private static final Path WIREGUARD_SOCKETS = Path.of("/var/run/wireguard");
    private static final long CAP_NET_ADMIN = 12;
    private static final long CAP_SYS_ADMIN = 21;

    private final long pid = ProcessHandle.current().pid();
    private final int labSeq = LAB_SEQ.incrementAndGet();
    private final AtomicInteger ifSeq = new AtomicInteger();
    private final Path tempDir;
    private final Thread shutdownHook;
    private final Scope classScope = new Scope();
    private Scope testScope; // guarded by this; non-null while a test method runs
    private final Set<String> issuedIfNames = new LinkedHashSet<>(); // guarded by this
    private boolean closed; // guarded by this
    private String ipPath;

    /** Resources of one lifetime, removed together. */
    private static final class Scope {
        final List<LabProcess> processes = new ArrayList<>();
        final List<Netns> namespaces = new ArrayList<>();
    }

    private NetLab() {
        try {
            this.tempDir = Files.createTempDirectory("warren-lab-" + pid + "-" + labSeq + "-");
        } catch (IOException e) {
            throw new LabException("cannot create lab temp dir: " + e.getMessage(), e);
        }
        this.shutdownHook = new Thread(this::closeQuietly, "netlab-shutdown-" + labSeq);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Creates a lab and removes leftovers of crashed earlier runs (only those whose creator PID is dead). */
    public static NetLab create() {
        NetLab lab = new NetLab();
        if (isRoot() && Tools.find("ip").isPresent()) {
            StaleSweeper.sweep(lab);
        }
        return lab;
    }

    // ---- requirements -------------------------------------------------------------------------------

    /** Skips the calling test (JUnit assumption) unless running as root with CAP_NET_ADMIN and CAP_SYS_ADMIN. */
    public void requireRoot() {
        if (!isRoot()) {
            Assumptions.abort("SKIPPED: needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN to create network namespaces);"
                    + " running as euid " + NativeNs.libc().geteuid() + ". Run the integration tests as root.");
        }
        long caps = effectiveCapabilities();
        if ((caps & (1L << CAP_NET_ADMIN)) == 0 || (caps & (1L << CAP_SYS_ADMIN)) == 0) {
            Assumptions.abort("SKIPPED: root but without CAP_NET_ADMIN/CAP_SYS_ADMIN (CapEff="
                    + Long.toHexString(caps) + "); a privileged container or VM is needed");
        }
    }

    /** Skips the calling test unless every executable exists; the message names it and its Debian package. */
    public void requireTools(String... executables) {
        for (String exe : executables) {
            if (Tools.find(exe).isEmpty()) {
                Assumptions.abort(Tools.missingMessage(exe));
            }
        }
    }

    // ---- building -----------------------------------------------------------------------------------

    /** Creates namespace {@code wl<pid>-<lab>-<shortName>} with loopback up. */
    public Netns netns(String shortName) {
        requireRoot();
        requireTools("ip");
        Netns ns = new Netns(LabNames.netns(pid, labSeq, shortName), this);
        synchronized (this) {
            ensureOpen();
            Commands.check(scratchDir(), List.of(ip(), "netns", "add", ns.name()));
            currentScope().namespaces.add(ns);
        }
        ns.exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    /** Creates a veth pair directly inside the two namespaces, both ends up, TX checksum offload off. */
    public VethPair veth(Netns a, String ifA, Netns b, String ifB) {
        requireTools("ethtool");
        Commands.check(scratchDir(), List.of(ip(), "-n", a.name(), "link", "add", ifA, "type", "veth",
                "peer", "name", ifB, "netns", b.name()));
        a.exec("ethtool", "-K", ifA, "tx", "off");
        b.exec("ethtool", "-K", ifB, "tx", "off");
        a.up(ifA);
        b.up(ifB);
        return new VethPair(a, ifA, b, ifB);
    }

    /** Creates a Linux bridge in {@code ns}, enslaves {@code ports} and brings everything up. */
    public Bridge bridge(Netns ns, String name, String... ports) {
        ns.exec("ip", "link", "add", name, "type", "bridge");
        for (String port : ports) {
            ns.exec("ip", "link", "set", port, "master", name);
            ns.up(port);
        }
        ns.up(name);
        return new Bridge(ns, name, Arrays.asList(ports));
    }

    /**
     * Creates NAT namespace {@code shortName} between {@code inside} and {@code outside}; see {@link NatBox}
     * for numbering (NAT box = host 1, neighbour = host 2 of each subnet).
     */
    public NatBox natBox(String shortName, Netns inside, String insideCidr, Netns outside, String outsideCidr,
                         boolean symmetric) {
        requireTools("nft", "sysctl");
        Ipv4Cidr in = Ipv4Cidr.parse(insideCidr);
        Ipv4Cidr out = Ipv4Cidr.parse(outsideCidr);
        Netns nat = netns(shortName);
        String peerIf = truncate("n" + shortName);
        veth(nat, "lan0", inside, peerIf);
        veth(nat, "wan0", outside, peerIf);
        nat.addr("lan0", in.hostCidr(1));
        nat.addr("wan0", out.hostCidr(1));
        inside.addr(peerIf, in.hostCidr(2));
        outside.addr(peerIf, out.hostCidr(2));
        inside.exec("ip", "route", "replace", "default", "via", in.host(1), "dev", peerIf);
        nat.sysctl("net.ipv4.ip_forward", "1");
        Path rules = tempDir.resolve("nat-" + shortName + ".nft");
        try {
            Files.writeString(rules, NatBox.ruleset("wan0", symmetric), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new LabException("cannot write " + rules + ": " + e.getMessage(), e);
        }
        nat.exec("nft", "-f", rules.toString());
        return new NatBox(nat, "lan0", "wan0", inside, peerIf, in.host(2), in.host(1),
                outside, peerIf, out.host(2), out.host(1), symmetric);
    }

    /**
     * Starts {@code argv} in {@code ns} via {@code ip netns exec}; stdout and stderr go to a file in
     * {@link #tempDir()}. The process is stopped by PID when its scope ends.
     */
    public LabProcess spawn(Netns ns, String... argv) {
        List<String> full = ns.wrap(argv);
        synchronized (this) {
            ensureOpen();
            try {
                Path out = Files.createTempFile(tempDir, "proc-" + argv[0].replaceAll("[^A-Za-z0-9_.-]", "_") + "-",
                        ".log");
                Process p = new ProcessBuilder(full)
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
                LabProcess lp = new LabProcess(p, Arrays.asList(argv), ns.name(), out);
                currentScope().processes.add(lp);
                return lp;
            } catch (IOException e) {
                throw new LabException("cannot start " + String.join(" ", full) + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * @return a unique interface name (&lt;= 15 chars) starting with (a shortened) {@code prefix}, e.g. for
     *     wireguard-go whose UAPI socket directory is shared by all namespaces
     */
    public synchronized String uniqueName(String prefix) {
        String n = LabNames.ifname(prefix, pid, ifSeq.incrementAndGet());
        issuedIfNames.add(n);
        return n;
    }

    /** @return the per-lab temporary directory, removed at close */
    public Path tempDir() {
        return tempDir;
    }

    // ---- JUnit lifecycle ----------------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext context) {
        // class-scoped objects go to classScope until a test method starts
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        testScope = new Scope();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Scope s;
        synchronized (this) {
            s = testScope;
            testScope = null;
        }
        if (s != null) {
            teardown(s);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Removes everything the lab made: processes (by PID), namespaces, stale UAPI sockets, temp dir. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Scope t;
        synchronized (this) {
            t = testScope;
            testScope = null;
        }
        if (t != null) {
            teardown(t);
        }
        teardown(classScope);
        removeWireguardSockets();
        deleteTree(tempDir);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook itself
        }
    }

    // ---- internals ----------------------------------------------------------------------------------

    private void teardown(Scope scope) {
        List<LabProcess> procs;
        List<Netns> namespaces;
        synchronized (this) {
            procs = new ArrayList<>(scope.processes);
            namespaces = new ArrayList<>(scope.namespaces);
            scope.processes.clear();
            scope.namespaces.clear();
        }
        for (LabProcess p : procs) {
            p.stop();
        }
        for (Netns ns : namespaces) {
            stopRemaining(ns);
            ns.delete();
        }
    }

    /** Stops by PID any process still inside a lab namespace (e.g. a daemon a test started with exec). */
    static void stopRemaining(Netns ns) {
        if (!ns.exists()) {
            return;
        }
        long self = ProcessHandle.current().pid();
        for (long p : ns.pids()) {
            if (p == self) {
                continue;
            }
            ProcessHandle.of(p).ifPresent(h -> {
                h.destroy();
                try {
                    h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            });
        }
    }

    private void removeWireguardSockets() {
        List<String> names;
        synchronized (this) {
            names = new ArrayList<>(issuedIfNames);
        }
        for (String n : names) {
            Commands.deleteQuietly(WIREGUARD_SOCKETS.resolve(n + ".sock"));
        }
    }

    /** @return true when {@code sock} accepts no connection (its server is gone) */
    static boolean isDeadSocket(Path sock) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    static Path wireguardSocketDir() {
        return WIREGUARD_SOCKETS;
    }

    private Scope currentScope() {
        return testScope != null ? testScope : classScope;
    }

    private void ensureOpen() {
        if (closed) {
            throw new LabException("lab already closed");
        }
    }

    synchronized String ip() {
        if (ipPath == null) {
            ipPath = Tools.find("ip").map(Path::toString).orElse("ip");
        }
        return ipPath;
    }

    Path scratchDir() {
        return tempDir.resolve("scratch");
    }

    long creatorPid() {
        return pid;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("netlab: cleanup in shutdown hook failed: " + e);
        }
    }

    static String truncate(String ifname) {
        return ifname.length() > LabNames.MAX_IFNAME ? ifname.substring(0, LabNames.MAX_IFNAME) : ifname;
    }

    static boolean isRoot() {
        try {
            return NativeNs.libc().geteuid() == 0;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** @return CapEff of this process from /proc/self/status, 0 when unreadable */
    static long effectiveCapabilities() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            Optional<String> capEff = lines.filter(l -> l.startsWith("CapEff:")).findFirst();
            return capEff.map(l -> Long.parseUnsignedLong(l.substring(7).trim(), 16)).orElse(0L);
        } catch (IOException | NumberFormatException e) {
            return 0L;
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(Commands::deleteQuietly);
        } catch (IOException e) {
            // best effort
        }
    }

    static List<Path> listDir(Path dir, String glob) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            // nothing to list
        }
        return out;
    }
}
