package io.warren.testlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lab against the real kernel: namespaces, veth, NAT, processes and cleanup. Needs root. */
class NetLabIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    @BeforeEach
    void needs() {
        lab.requireRoot();
        lab.requireTools("ip", "ping", "ethtool", "nft", "sysctl", "sleep");
    }

    @Test
    void vethPingsAcrossTwoNamespacesV4AndV6() {
        Netns a = lab.netns("a");
        Netns b = lab.netns("b");
        lab.veth(a, "va", b, "vb");
        a.addr("va", "10.91.0.1/24");
        b.addr("vb", "10.91.0.2/24");
        a.addr("va", "fd00:91::1/64");
        b.addr("vb", "fd00:91::2/64");

        ExecResult v4 = a.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.91.0.2");
        assertTrue(v4.stdout().contains("3 received"), v4.stdout());
        ExecResult v6 = b.exec("ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", "fd00:91::1");
        assertTrue(v6.stdout().contains("3 received"), v6.stdout());
        assertTrue(a.exec("ethtool", "-k", "va").stdout().contains("tx-checksumming: off"));
    }

    @Test
    void execFailureNamesCommandExitCodeAndStderr() {
        Netns a = lab.netns("fail");
        LabException e = assertThrows(LabException.class, () -> a.exec("ip", "link", "set", "nosuch0", "up"));
        assertTrue(e.getMessage().contains("ip link set nosuch0 up"), e.getMessage());
        assertTrue(e.getMessage().contains("exit 1"), e.getMessage());
        assertTrue(e.getMessage().contains("nosuch0"), e.getMessage());
        assertEquals(1, a.execAllowFail("ip", "link", "set", "nosuch0", "up").exitCode());
    }

    @Test
    void callRunsJavaCodeInsideTheNamespaceOnOneReusedThread() {
        Netns a = lab.netns("call");
        long inode = NativeNs.inode(a.path());
        assertEquals(inode, a.call(NativeNs::currentNetnsInode));
        String t1 = a.call(() -> Thread.currentThread().getName());
        String t2 = a.call(() -> Thread.currentThread().getName());
        assertEquals(t1, t2);
        assertNotEquals(inode, NativeNs.currentNetnsInode(), "the caller's thread stays where it was");
        a.sysctl("net.ipv4.ip_forward", "1");
        assertEquals("1", a.readSysctl("net.ipv4.ip_forward"));
        assertEquals("1", a.exec("cat", "/proc/sys/net/ipv4/ip_forward").stdout().trim());
    }

    @Test
    void bridgeJoinsTwoNamespacesThroughAThird() {
        Netns sw = lab.netns("sw");
        Netns h1 = lab.netns("h1");
        Netns h2 = lab.netns("h2");
        lab.veth(sw, "p1", h1, "eth0");
        lab.veth(sw, "p2", h2, "eth0");
        Bridge br = lab.bridge(sw, "br0", "p1", "p2");
        h1.addr("eth0", "10.92.0.1/24");
        h2.addr("eth0", "10.92.0.2/24");
        assertTrue(sw.exec("ip", "-d", "link", "show", "p2").stdout().contains("master br0"));
        assertEquals(2, br.ports().size());
        ExecResult r = h1.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.92.0.2");
        assertTrue(r.stdout().contains("3 received"), r.stdout());
    }

    @Test
    void natBoxMasqueradesAndProcessRunsBehindIt() throws Exception {
        Netns home = lab.netns("home");
        Netns net = lab.netns("net");
        NatBox nat = lab.natBox("cone", home, "10.93.1.0/24", net, "10.93.2.0/24", false);
        assertEquals("10.93.1.2", nat.insideAddress());
        assertEquals("10.93.2.1", nat.publicAddress());

        LabProcess ping = lab.spawn(home, "ping", "-i", "0.2", nat.outsideAddress());
        Wait.until(Duration.ofSeconds(10), "ping output through the NAT box", () -> ping.output().contains("bytes from"));
        assertTrue(ping.isAlive());
        ping.stop();
        assertFalse(ping.isAlive());
        assertFalse(ProcessHandle.of(ping.pid()).map(ProcessHandle::isAlive).orElse(false));

        int[] ports = mappedPorts(home, net, nat);
        assertEquals(40001, ports[0], "cone NAT keeps the source port");
        assertEquals(40001, ports[1], "cone NAT maps endpoint-independently");
    }

    @Test
    void symmetricNatBoxMapsPerDestination() throws Exception {
        Netns home = lab.netns("home2");
        Netns net = lab.netns("net2");
        NatBox nat = lab.natBox("sym", home, "10.94.1.0/24", net, "10.94.2.0/24", true);
        assertTrue(nat.ns().exec("nft", "list", "ruleset").stdout().contains("masquerade random"));
        int[] ports = mappedPorts(home, net, nat);
        assertNotEquals(ports[0], ports[1], "symmetric NAT gives a new port per destination");
    }

    /** Sends from inside port 40001 to two outside ports; returns the source ports the outside saw. */
    private static int[] mappedPorts(Netns home, Netns net, NatBox nat) {
        try (DatagramChannel s1 = net.call(() -> bound(nat.outsideAddress(), 50001));
             DatagramChannel s2 = net.call(() -> bound(nat.outsideAddress(), 50002));
             DatagramChannel c = home.call(() -> bound(nat.insideAddress(), 40001))) {
            home.run(() -> {
                c.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(nat.outsideAddress(), 50001));
                c.send(ByteBuffer.wrap(new byte[] {2}), new InetSocketAddress(nat.outsideAddress(), 50002));
            });
            int[] ports = new int[2];
            DatagramChannel[] servers = {s1, s2};
            for (int i = 0; i < 2; i++) {
                DatagramChannel s = servers[i];
                InetSocketAddress from = Wait.untilPresent(Duration.ofSeconds(5), "datagram at outside port " + i,
                        () -> java.util.Optional.ofNullable(receive(s)));
                assertEquals(nat.publicAddress(), from.getAddress().getHostAddress(), "source is the NAT's address");
                ports[i] = from.getPort();
            }
            return ports;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static DatagramChannel bound(String addr, int port) throws java.io.IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.bind(new InetSocketAddress(addr, port));
        ch.configureBlocking(false);
        return ch;
    }

    private static InetSocketAddress receive(DatagramChannel s) {
        try {
            return (InetSocketAddress) s.receive(ByteBuffer.allocate(64));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void closeStopsProcessesByPidThenDeletesNamespacesAndSockets() throws Exception {
        Path temp;
        Netns ns;
        LabProcess sleeper;
        Path sock;
        try (NetLab own = NetLab.create()) {
            ns = own.netns("gone");
            Netns other = own.netns("gone2");
            own.veth(ns, "x0", other, "x1");
            sleeper = own.spawn(ns, "sleep", "600");
            Wait.until(Duration.ofSeconds(5), "sleep to run", sleeper::isAlive);
            ns.exec("sh", "-c", "sleep 600 >/dev/null 2>&1 &"); // a daemon the lab did not track
            Wait.until(Duration.ofSeconds(5), "daemon inside the namespace", () -> ns.pids().size() >= 2);
            String ifname = own.uniqueName("wg");
            sock = NetLab.wireguardSocketDir().resolve(ifname + ".sock");
            Files.createDirectories(sock.getParent());
            Files.writeString(sock, "stale"); // stands in for a socket wireguard-go left after SIGKILL
            temp = own.tempDir();
            assertTrue(Files.isDirectory(temp));
        }
        assertFalse(sleeper.isAlive());
        assertFalse(ns.exists(), "namespace removed");
        assertFalse(Files.exists(temp), "temp dir removed");
        assertFalse(Files.exists(sock), "UAPI socket removed");
        ExecResult list = Commands.run(lab.scratchDir(), java.util.List.of(lab.ip(), "netns", "list"));
        assertFalse(list.stdout().contains(ns.name()), list.stdout());
    }

    @Test
    void staleNamespacesOfDeadRunsAreRemovedAtCreation() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        long deadPid = dead.pid();
        String stale = LabNames.netns(deadPid, 1, "stale");
        String live = LabNames.netns(ProcessHandle.current().pid(), 999, "live");
        Commands.check(lab.scratchDir(), java.util.List.of(lab.ip(), "netns", "add", stale));
        Commands.check(lab.scratchDir(), java.util.List.of(lab.ip(), "netns", "add", live));
        try {
            NetLab.create().close();
            assertFalse(Files.exists(Path.of("/run/netns", stale)), "stale namespace of dead pid removed");
            assertTrue(Files.exists(Path.of("/run/netns", live)), "namespace of a live creator kept");
        } finally {
            Commands.run(lab.scratchDir(), java.util.List.of(lab.ip(), "netns", "del", stale));
            Commands.run(lab.scratchDir(), java.util.List.of(lab.ip(), "netns", "del", live));
        }
    }

    @Test
    void objectsCreatedDuringATestAreRemovedAfterItClassObjectsAtClose() {
        NetLab own = NetLab.create();
        Netns classScoped = own.netns("cls");
        own.beforeEach(null);
        Netns testScoped = own.netns("tst");
        LabProcess p = own.spawn(testScoped, "sleep", "600");
        own.afterEach(null);
        assertFalse(testScoped.exists(), "test-scoped namespace removed after the test");
        assertFalse(p.isAlive(), "test-scoped process stopped after the test");
        assertTrue(classScoped.exists(), "class-scoped namespace kept until close");
        own.afterAll(null);
        assertFalse(classScoped.exists(), "class-scoped namespace removed after all tests");
    }

    @Test
    void waitForOnARunningProcessTimesOutNamingIt() {
        Netns a = lab.netns("w");
        LabProcess p = lab.spawn(a, "sleep", "600");
        LabException e = assertThrows(LabException.class, () -> p.waitFor(Duration.ofMillis(50)));
        assertTrue(e.getMessage().contains("sleep 600"), e.getMessage());
        p.stop();
        assertEquals(143, p.waitFor(Duration.ofSeconds(5)));
    }
}
