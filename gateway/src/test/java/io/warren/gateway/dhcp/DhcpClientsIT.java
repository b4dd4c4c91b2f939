package io.warren.gateway.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.config.DhcpHost;
import io.warren.gateway.config.DhcpPoolConfig;
import io.warren.testlab.LabProcess;
import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Warren's DHCP server against stock clients, each client in its own namespace on a bridge in the
 * server's namespace: ISC dhclient and busybox udhcpc get an address, router and DNS servers and
 * renew (20 s leases: T1 10 s); a static lease by MAC is honoured; two clients at once get
 * different addresses; a client renewing across a server restart keeps its address.
 *
 * <p>The clients never touch the host: dhclient runs with private lease/pid files and our script
 * ({@code -lf -pf -sf}), udhcpc with our script ({@code -s}); the scripts only set the address on
 * the namespace's interface and append what they got to a record file this test reads.
 */
class DhcpClientsIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final String SERVER_IP = "10.77.0.1";
    private static final String STATIC_MAC = "02:77:00:00:00:02";
    private static final String STATIC_IP = "10.77.0.50";

    private Netns srv;
    private Netns c1;
    private Netns c2;
    private Netns c3;
    private Path leaseDir;
    private DhcpServer server;

    @BeforeEach
    void topology() throws IOException {
        lab.requireRoot();
        lab.requireTools("ip", "ethtool", "dhclient", "busybox");
        srv = lab.netns("dsrv");
        c1 = lab.netns("dc1");
        c2 = lab.netns("dc2");
        c3 = lab.netns("dc3");
        lab.veth(srv, "p1", c1, "eth0");
        lab.veth(srv, "p2", c2, "eth0");
        lab.veth(srv, "p3", c3, "eth0");
        c2.exec("ip", "link", "set", "eth0", "address", STATIC_MAC);
        lab.bridge(srv, "br0", "p1", "p2", "p3");
        srv.addr("br0", SERVER_IP + "/24");
        leaseDir = Files.createDirectories(lab.tempDir().resolve("leases-" + System.nanoTime()));
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            DhcpServer s = server;
            srv.run(s::close);
        }
    }

    private List<DhcpPoolConfig> pools() {
        List<DhcpHost> hosts = List.of(new DhcpHost(Optional.of(STATIC_MAC), Optional.empty(),
                DhcpText.inet(Msgs.ip(STATIC_IP)), Optional.of("fixed")));
        return List.of(Pools.pool("lab", "br0", "10.77.0.0", 24, "10.77.0.100", "10.77.0.149", SERVER_IP,
                Duration.ofSeconds(20), hosts, Map.of()));
    }

    private void startServer() {
        server = srv.call(() -> DhcpServer.start(pools(), leaseDir));
    }

    /** Starts dhclient in {@code c}; returns the record file its script appends to. */
    private Path dhclient(Netns c, String tag) throws IOException {
        Path dir = Files.createDirectories(lab.tempDir().resolve(tag + "-" + System.nanoTime()));
        Path record = dir.resolve("record");
        Files.writeString(record, "");
        Path script = executable(dir.resolve("script"), "#!/bin/sh\n"
                + "case \"$reason\" in\n"
                + "  PREINIT) ip link set \"$interface\" up ;;\n"
                + "  BOUND|RENEW|REBIND|REBOOT)\n"
                + "    ip addr replace \"$new_ip_address/$new_subnet_mask\" dev \"$interface\"\n"
                + "    echo \"$reason $new_ip_address $new_routers $new_domain_name_servers\" >> " + record + " ;;\n"
                + "esac\n");
        Path conf = dir.resolve("dhclient.conf");
        Files.writeString(conf, "send host-name \"" + tag + "\";\n"
                + "request subnet-mask, broadcast-address, routers, domain-name, domain-name-servers;\n");
        lab.spawn(c, "dhclient", "-d", "-4", "-v", "-cf", conf.toString(), "-lf", dir.resolve("lease").toString(),
                "-pf", dir.resolve("pid").toString(), "-sf", script.toString(), "eth0");
        return record;
    }

    /** Starts busybox udhcpc in {@code c}; returns the record file. */
    private Path udhcpc(Netns c, String tag) throws IOException {
        Path dir = Files.createDirectories(lab.tempDir().resolve(tag + "-" + System.nanoTime()));
        Path record = dir.resolve("record");
        Files.writeString(record, "");
        Path script = executable(dir.resolve("script"), "#!/bin/sh\n"
                + "case \"$1\" in\n"
                + "  bound|renew)\n"
                + "    ip addr replace \"$ip/$mask\" dev \"$interface\"\n"
                + "    echo \"$1 $ip $router $dns\" >> " + record + " ;;\n"
                + "esac\n");
        lab.spawn(c, "busybox", "udhcpc", "-f", "-i", "eth0", "-s", script.toString(), "-t", "10", "-T", "1",
                "-x", "hostname:" + tag);
        return record;
    }

    private static Path executable(Path p, String text) throws IOException {
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private static List<String> lines(Path record) {
        try {
            return new ArrayList<>(Files.readAllLines(record));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Waits for a record line starting with one of {@code reasons} after the first {@code skip} lines. */
    private static String[] await(Path record, int skip, Duration timeout, String... reasons) {
        String line = Wait.untilPresent(timeout, "a client record (" + String.join("/", reasons) + ") in " + record,
                () -> lines(record).stream().skip(skip)
                        .filter(l -> List.of(reasons).contains(l.split(" ")[0])).findFirst());
        return line.split(" ");
    }

    @Test
    void dhclientAndUdhcpcAtOnceGetDistinctAddressesRouterDnsAndRenew() throws IOException {
        startServer();
        Path r1 = dhclient(c1, "one");
        Path r2 = udhcpc(c2, "two");
        Path r3 = udhcpc(c3, "three");
        String[] got1 = await(r1, 0, Duration.ofSeconds(15), "BOUND");
        String[] got2 = await(r2, 0, Duration.ofSeconds(15), "bound");
        String[] got3 = await(r3, 0, Duration.ofSeconds(15), "bound");
        assertTrue(got3[1].startsWith("10.77.0.1") && !got3[1].equals(got1[1]), "two dynamic clients, two addresses: "
                + got1[1] + " " + got3[1]);
        assertTrue(got1[1].startsWith("10.77.0.1") && !got1[1].equals(SERVER_IP), "dynamic address " + got1[1]);
        assertEquals(SERVER_IP, got1[2], "router");
        assertEquals(SERVER_IP + " 10.77.0.2", got1[3] + " " + got1[4], "DNS servers");
        assertEquals(STATIC_IP, got2[1], "udhcpc's MAC has a static lease");
        assertEquals(SERVER_IP, got2[2]);
        assertEquals(SERVER_IP, got2[3]);
        assertNotEquals(got1[1], got2[1]);
        List<DhcpLease> leases = server.leases();
        assertEquals(3, leases.size(), leases.toString());
        assertTrue(leases.stream().anyMatch(l -> l.hostName().equals(Optional.of("one"))), leases.toString());
        assertTrue(leases.stream().anyMatch(l -> l.hostName().equals(Optional.of("fixed")) && l.staticLease()));
        // both renew at T1 = 10 s and keep their addresses
        String[] renew1 = await(r1, 1, Duration.ofSeconds(20), "RENEW");
        String[] renew2 = await(r2, 1, Duration.ofSeconds(20), "renew");
        assertEquals(got1[1], renew1[1]);
        assertEquals(got2[1], renew2[1]);
        assertTrue(server.counters().snapshot().get("sent.DHCPACK") >= 5);
        c1.exec("ping", "-c", "1", "-W", "2", SERVER_IP);
    }

    @Test
    void datagramsOverTheOldBufferAreServedAndLongerOnesCountedTooLong() throws Exception {
        startServer();
        c1.addr("eth0", "10.77.0.9/24");
        // a DISCOVER of about 3 KB (a 2600-byte private option, RFC 3396 split): the old 2048-byte
        // receive buffer cut it before its end option (counted MISSING_END), now it is answered
        DhcpMessage big = Msgs.from(9, DhcpMessageType.DHCPDISCOVER).option(224, new byte[2600]).build();
        ByteBuf b = Unpooled.buffer();
        DhcpCodec.encode(big, 4000, b);
        byte[] discover = new byte[b.readableBytes()];
        b.readBytes(discover);
        b.release();
        assertTrue(discover.length > 2600, "length " + discover.length);
        byte[] huge = Arrays.copyOf(discover, 20000); // padding after the end option
        c1.run(() -> {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("10.77.0.9", 68))) {
                InetSocketAddress to = new InetSocketAddress(SERVER_IP, DhcpWire.SERVER_PORT);
                s.send(new DatagramPacket(discover, discover.length, to));
                s.send(new DatagramPacket(huge, huge.length, to));
            }
        });
        Wait.until(Duration.ofSeconds(10), "an OFFER and a TOO_LONG drop",
                () -> server.counters().snapshot().get("sent.DHCPOFFER") == 1
                        && server.counters().snapshot().get("drop.TOO_LONG") == 1);
        assertEquals(0L, server.counters().snapshot().get("drop.MISSING_END"));
        assertEquals(0L, server.counters().snapshot().get("drop.OPTION_OVERFLOW"));
    }

    @Test
    void aGuardedRelayPoolAnswersOnlyItsTrustedRelay() throws Exception {
        // a relayed pool (giaddr 10.78.0.1) that trusts only 10.77.0.9; the datagram's real source decides
        DhcpPoolConfig p = Pools.pool("remote", "br0", "10.78.0.0", 24, "10.78.0.100", "10.78.0.149", "10.78.0.1",
                Duration.ofSeconds(20), List.of(), Map.of());
        List<DhcpPoolConfig> pools = new ArrayList<>(pools());
        pools.add(new DhcpPoolConfig(p.name(), p.iface(), p.subnet(), p.rangeStart(), p.rangeEnd(), p.router(), p.dns(),
                p.domain(), p.leaseTime(), p.hosts(), p.options(),
                List.of(io.warren.gateway.config.IpPrefix.parse("10.77.0.9").orElseThrow())));
        server = srv.call(() -> DhcpServer.start(pools, leaseDir));
        c1.addr("eth0", "10.77.0.9/24");
        c2.addr("eth0", "10.77.0.10/24");
        ByteBuf b = Msgs.encode(Msgs.from(9, DhcpMessageType.DHCPDISCOVER).giaddr(Msgs.ip("10.78.0.1")).build());
        byte[] discover = new byte[b.readableBytes()];
        b.readBytes(discover);
        b.release();
        for (Netns c : List.of(c1, c2)) {
            String from = c == c1 ? "10.77.0.9" : "10.77.0.10";
            c.run(() -> {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(from, DhcpWire.SERVER_PORT))) {
                    s.send(new DatagramPacket(discover, discover.length, new InetSocketAddress(SERVER_IP, DhcpWire.SERVER_PORT)));
                }
            });
        }
        Wait.until(Duration.ofSeconds(10), "one OFFER (trusted relay) and one UNTRUSTED_RELAY (forged giaddr)",
                () -> server.counters().snapshot().get("sent.DHCPOFFER") == 1
                        && server.counters().snapshot().get("noreply.UNTRUSTED_RELAY") == 1);
    }

    @Test
    void aClientRenewingAcrossAServerRestartKeepsItsAddress() throws IOException {
        startServer();
        Path r1 = dhclient(c1, "one");
        String[] got = await(r1, 0, Duration.ofSeconds(15), "BOUND");
        DhcpServer first = server;
        server = null;
        srv.run(first::close);
        server = srv.call(() -> DhcpServer.start(pools(), leaseDir));
        assertEquals(List.of(got[1]), server.leases().stream().map(l -> l.address().getHostAddress()).toList(),
                "the lease was restored from the journal");
        // a second client asking now must not get that address
        Path r2 = udhcpc(c2, "two");
        assertNotEquals(got[1], await(r2, 0, Duration.ofSeconds(15), "bound")[1]);
        String[] renew = await(r1, 1, Duration.ofSeconds(20), "RENEW", "REBIND");
        assertEquals(got[1], renew[1]);
        assertTrue(Files.size(leaseDir.resolve(LeaseJournal.FILE)) > 0);
    }

    @Test
    void leasesSurviveAKilledServerProcess() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        LabProcess crashing = lab.spawn(srv, java, "-cp", System.getProperty("java.class.path"),
                DhcpServerMain.class.getName(), "br0", "10.77.0.0/24", "10.77.0.100", "10.77.0.149", "600", "1000",
                leaseDir.toString());
        Wait.until(Duration.ofSeconds(20), "the separate DhcpServerMain to start", () -> crashing.output().contains("ready"));
        Path r3 = udhcpc(c3, "three");
        String[] got = await(r3, 0, Duration.ofSeconds(15), "bound");
        ProcessHandle.of(crashing.pid()).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL: no shutdown hook runs
        Wait.until(Duration.ofSeconds(10), "the killed server to exit", () -> !crashing.isAlive());
        startServer();
        List<DhcpLease> leases = server.leases();
        assertEquals(List.of(got[1]), leases.stream().map(l -> l.address().getHostAddress()).toList(),
                "the ACKed lease was on disk before the ACK left");
        assertEquals(Optional.of("three"), leases.get(0).hostName());
        List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.addListener(new DhcpLeaseListener() {
            @Override
            public void leaseAdded(DhcpLease lease) {
                told.add(lease.hostName().orElse("?") + " " + lease.address().getHostAddress());
            }

            @Override
            public void leaseRemoved(DhcpLease lease, LeaseChange.Cause cause) {
                told.add("removed " + lease.address().getHostAddress());
            }
        });
        assertEquals(List.of("three " + got[1]), told, "a listener added late is told the restored leases");
    }
}
