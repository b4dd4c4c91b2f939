package io.warren.gateway.control.meters;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warren.gateway.config.DhcpHost;
import io.warren.gateway.config.DhcpPoolConfig;
import io.warren.gateway.config.IpPrefix;
import io.warren.gateway.dhcp.DhcpLease;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Leases and free addresses per pool, against hand-counted pools. */
class DhcpPoolUsageTest {
    static Inet4Address ip(String s) {
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    static DhcpPoolConfig pool(String name, String subnet, String start, String end, DhcpHost... hosts) {
        String[] p = subnet.split("/");
        return new DhcpPoolConfig(name, "lan0", new IpPrefix(ip(p[0]), Integer.parseInt(p[1])), ip(start), ip(end),
                Optional.empty(), List.of(), Optional.empty(), Duration.ofHours(1), List.of(hosts), Map.of());
    }

    static DhcpHost host(String address) {
        return new DhcpHost(Optional.of("02:00:00:00:00:01"), Optional.empty(), ip(address), Optional.of("h"));
    }

    static DhcpLease lease(String pool, String address, boolean fixed) {
        return new DhcpLease(pool, ip(address), "02:aa:bb:cc:dd:ee", Optional.empty(), Optional.empty(), 1L, fixed);
    }

    @Test
    void countsLeasesAndFreeDynamicAddressesPerPool() {
        // office: range .100-.109 (10), static .105 inside the range and .20 outside: 9 dynamic.
        // lab: range 10.0.0.10-10.0.0.11 (2), no statics.
        DhcpPoolUsage u = new DhcpPoolUsage(List.of(
                pool("office", "192.168.1.0/24", "192.168.1.100", "192.168.1.109",
                        host("192.168.1.105"), host("192.168.1.20")),
                pool("lab", "10.0.0.0/24", "10.0.0.10", "10.0.0.11")));
        assertEquals(List.of("office", "lab"), List.copyOf(u.names()));
        assertEquals(Map.of("office", new DhcpPoolUsage.Usage(0, 9), "lab", new DhcpPoolUsage.Usage(0, 2)),
                u.count(List.of()));

        Map<String, DhcpPoolUsage.Usage> got = u.count(List.of(
                lease("office", "192.168.1.100", false),
                lease("office", "192.168.1.101", false),
                lease("office", "192.168.1.105", true),   // static inside the range: not a dynamic address
                lease("office", "192.168.1.20", true),    // static outside the range
                lease("lab", "10.0.0.10", false),
                lease("lab", "10.0.0.11", false),
                lease("gone", "172.16.0.1", false)));     // a pool no longer configured: ignored
        assertEquals(new DhcpPoolUsage.Usage(4, 7), got.get("office"));
        assertEquals(new DhcpPoolUsage.Usage(2, 0), got.get("lab"), "exhausted");
        assertEquals(2, got.size());
    }
}
