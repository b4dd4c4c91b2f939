package io.warren.tun.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link NetlinkLinkConfigurator} against the kernel, inside a lab namespace: every change is checked
 * with {@code ip -j}; errors carry the device and errno name. Needs root.
 */
class NetlinkLinkConfiguratorIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private Netns ns;

    @BeforeEach
    void namespaceWithVeth() {
        lab.requireRoot();
        lab.requireTools("ip");
        ns = lab.netns("link");
        ns.exec("ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1");
    }

    @Test
    void ipv4ForwardingIsReadAndSetPerDeviceOverRtnetlink() {
        assertEquals("0", ns.readSysctl("net.ipv4.conf.v0.forwarding"), "a new namespace does not forward");
        boolean[] seen = ns.call(() -> {
            try (NetlinkLinkConfigurator cfg = NetlinkLinkConfigurator.open()) {
                boolean before = cfg.ipv4Forwarding("v0");
                cfg.setIpv4Forwarding("v0", true);
                return new boolean[] {before, cfg.ipv4Forwarding("v0"), cfg.ipv4Forwarding("v1")};
            }
        });
        assertFalse(seen[0]);
        assertTrue(seen[1]);
        assertFalse(seen[2], "only the named device changes");
        assertEquals("1", ns.readSysctl("net.ipv4.conf.v0.forwarding"));
        assertEquals("0", ns.readSysctl("net.ipv4.conf.v1.forwarding"));
        assertEquals("0", ns.readSysctl("net.ipv4.ip_forward"), "the global switch is untouched");
        ns.run(() -> {
            try (NetlinkLinkConfigurator cfg = NetlinkLinkConfigurator.open()) {
                cfg.setIpv4Forwarding("v0", false);
            }
        });
        assertEquals("0", ns.readSysctl("net.ipv4.conf.v0.forwarding"));
    }

    @Test
    void setsMtuUpAddressesAndRoutesV4AndV6() {
        int index = ns.call(() -> {
            try (NetlinkLinkConfigurator cfg = NetlinkLinkConfigurator.open()) {
                cfg.setMtu("v0", 1400);
                cfg.setUp("v0");
                cfg.setUp("v1");
                cfg.addAddress("v0", InetAddress.getByName("10.20.0.1"), 24);
                cfg.addAddress("v0", InetAddress.getByName("fd00:20::1"), 64);
                cfg.addRoute(InetAddress.getByName("10.30.0.0"), 16, "v0", 100);
                cfg.addRoute(InetAddress.getByName("fd00:30::"), 64, "v0", 50);
                assertEquals(1400, cfg.mtu("v0"));
                return cfg.linkIndex("v0");
            }
        });
        String link = ns.exec("ip", "-j", "link", "show", "v0").stdout();
        assertTrue(link.contains("\"ifindex\":" + index + ","), link);
        assertTrue(link.contains("\"mtu\":1400"), link);
        assertTrue(link.contains("\"UP\""), link);
        String addr = ns.exec("ip", "-j", "addr", "show", "dev", "v0").stdout();
        assertTrue(addr.contains("\"local\":\"10.20.0.1\",\"prefixlen\":24"), addr);
        assertTrue(addr.contains("\"local\":\"fd00:20::1\",\"prefixlen\":64,\"scope\":\"global\",\"nodad\":true"),
                "IPv6 address added without DAD: " + addr);
        String r4 = ns.exec("ip", "-j", "route", "show", "dev", "v0").stdout();
        assertTrue(r4.contains("\"dst\":\"10.30.0.0/16\""), r4);
        assertTrue(r4.contains("\"metric\":100"), r4);
        assertTrue(r4.contains("\"protocol\":\"static\""), r4);
        String r6 = ns.exec("ip", "-6", "-j", "route", "show", "dev", "v0").stdout();
        assertTrue(r6.contains("\"dst\":\"fd00:30::/64\""), r6);
        assertTrue(r6.contains("\"metric\":50"), r6);

        ns.run(() -> {
            try (NetlinkLinkConfigurator cfg = NetlinkLinkConfigurator.open()) {
                cfg.removeRoute(InetAddress.getByName("10.30.0.0"), 16, "v0", 100);
                cfg.removeRoute(InetAddress.getByName("fd00:30::"), 64, "v0", 50);
                cfg.removeAddress("v0", InetAddress.getByName("10.20.0.1"), 24);
                cfg.removeAddress("v0", InetAddress.getByName("fd00:20::1"), 64);
                cfg.setDown("v0");
            }
        });
        assertFalse(ns.exec("ip", "-j", "route", "show", "dev", "v0").stdout().contains("10.30.0.0"));
        assertFalse(ns.exec("ip", "-6", "-j", "route", "show", "dev", "v0").stdout().contains("fd00:30::"));
        String after = ns.exec("ip", "-j", "addr", "show", "dev", "v0").stdout();
        assertFalse(after.contains("10.20.0.1") || after.contains("fd00:20::1"), after);
        assertFalse(ns.exec("ip", "-j", "link", "show", "v0").stdout().contains("\"UP\""));
    }

    @Test
    void errorsNameDeviceAndErrno() {
        ns.run(() -> {
            try (NetlinkLinkConfigurator cfg = NetlinkLinkConfigurator.open()) {
                LinkConfigException unknown = assertThrows(LinkConfigException.class, () -> cfg.setMtu("nope0", 1400));
                assertEquals("ENODEV", unknown.errnoName());
                assertTrue(unknown.getMessage().startsWith("cannot set MTU 1400 on nope0: No such device (ENODEV)"),
                        unknown.getMessage());
                LinkConfigException big = assertThrows(LinkConfigException.class, () -> cfg.setMtu("v0", 70000));
                assertTrue(big.getMessage().startsWith("cannot set MTU 70000 on v0: Invalid argument (EINVAL)"),
                        big.getMessage());
                assertTrue(big.getMessage().contains("[kernel: mtu greater than device maximum]"), big.getMessage());
                LinkConfigException small = assertThrows(LinkConfigException.class, () -> cfg.setMtu("v0", 10));
                assertEquals(22, small.errno());
                assertEquals("ENODEV", assertThrows(LinkConfigException.class, () -> cfg.linkIndex("nope0")).errnoName());
                assertEquals("ENODEV", assertThrows(LinkConfigException.class,
                        () -> cfg.addAddress("nope0", InetAddress.getByName("10.21.0.1"), 24)).errnoName());

                InetAddress a = InetAddress.getByName("10.21.0.1");
                cfg.addAddress("v0", a, 24);
                LinkConfigException dup = assertThrows(LinkConfigException.class, () -> cfg.addAddress("v0", a, 24));
                assertEquals("EEXIST", dup.errnoName());
                assertTrue(dup.getMessage().startsWith("cannot add address 10.21.0.1/24 to v0: File exists (EEXIST)"),
                        dup.getMessage());
                assertEquals("EADDRNOTAVAIL", assertThrows(LinkConfigException.class,
                        () -> cfg.removeAddress("v0", InetAddress.getByName("10.21.0.9"), 24)).errnoName());
                assertEquals("ESRCH", assertThrows(LinkConfigException.class,
                        () -> cfg.removeRoute(InetAddress.getByName("10.99.0.0"), 16, "v0", 7)).errnoName());
                assertEquals(1500, cfg.mtu("v0"), "failed requests changed nothing");
            }
        });
    }

    @Test
    void fileDescriptorsAreClosedOnEveryPath() {
        long before = ns.call(NetlinkLinkConfiguratorIT::openFds);
        ns.run(() -> {
            for (int i = 0; i < 200; i++) {
                try (NetlinkLinkConfigurator cfg = NetlinkLinkConfigurator.open()) {
                    assertThrows(LinkConfigException.class, () -> cfg.setMtu("nope0", 1400));
                    cfg.mtu("v0");
                }
            }
        });
        assertEquals(before, (long) ns.call(NetlinkLinkConfiguratorIT::openFds));
    }

    @Test
    void socketBelongsToTheOpeningThreadsNamespace() {
        Netns other = lab.netns("other");
        assertEquals("ENODEV", other.call(() -> {
            try (NetlinkLinkConfigurator cfg = NetlinkLinkConfigurator.open()) {
                return assertThrows(LinkConfigException.class, () -> cfg.linkIndex("v0")).errnoName();
            }
        }));
    }

    private static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
