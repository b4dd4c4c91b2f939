package io.warren.gateway.dhcp;

import io.warren.gateway.config.DhcpHost;
import io.warren.gateway.config.DhcpPoolConfig;
import io.warren.gateway.config.IpPrefix;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pool configs for the tests. */
final class Pools {

    private Pools() {
    }

    /** 10.9.0.0/24 on lan0, range .100-.109, router .1, DNS .1 and .2, domain lab.test, 1 h. */
    static DhcpPoolConfig lan(List<DhcpHost> hosts) {
        return pool("lan", "lan0", "10.9.0.0", 24, "10.9.0.100", "10.9.0.109", "10.9.0.1", Duration.ofHours(1), hosts,
                Map.of(42, List.of("10.9.0.3"), 121, List.of("10.20.0.0/16,10.9.0.254")));
    }

    static DhcpPoolConfig pool(String name, String iface, String net, int len, String first, String last, String router,
                               Duration lease, List<DhcpHost> hosts, Map<Integer, List<String>> options) {
        return new DhcpPoolConfig(name, iface, new IpPrefix(DhcpText.inet(Msgs.ip(net)), len),
                DhcpText.inet(Msgs.ip(first)), DhcpText.inet(Msgs.ip(last)), Optional.of(DhcpText.inet(Msgs.ip(router))),
                List.of(DhcpText.inet(Msgs.ip(router)), DhcpText.inet(Msgs.ip(router) + 1)), Optional.of("lab.test"),
                lease, hosts, options);
    }

    static DhcpHost hostByMac(String mac, String address, String name) {
        return new DhcpHost(Optional.of(mac), Optional.empty(), DhcpText.inet(Msgs.ip(address)), Optional.of(name));
    }

    static DhcpHost hostByClientId(String id, String address) {
        return new DhcpHost(Optional.empty(), Optional.of(id), DhcpText.inet(Msgs.ip(address)), Optional.empty());
    }

    /**
     * A core that writes to {@code events}: "bad option CODE", "+ADDRESS NAME" on lease added and
     * "-ADDRESS CAUSE" on lease removed.
     */
    static DhcpServerCore recordingCore(List<DhcpPoolConfig> pools, DhcpSettings s, List<String> events) {
        DhcpServerCore c = new DhcpServerCore(pools, s, (code, v) -> events.add("bad option " + code));
        c.addListener(new DhcpLeaseListener() {
            @Override
            public void leaseAdded(DhcpLease l) {
                events.add("+" + l.address().getHostAddress() + " " + l.hostName().orElse("-"));
            }

            @Override
            public void leaseRemoved(DhcpLease l, LeaseChange.Cause cause) {
                events.add("-" + l.address().getHostAddress() + " " + cause);
            }
        });
        return c;
    }
}
