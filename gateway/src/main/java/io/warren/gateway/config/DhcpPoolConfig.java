package io.warren.gateway.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code [dhcp.POOL]}: DHCPv4 service on one L2 segment.
 *
 * @param name       pool name
 * @param iface      the tunnel or interface (by config name) the pool serves
 * @param subnet     the segment's network
 * @param rangeStart first dynamic address
 * @param rangeEnd   last dynamic address (inclusive)
 * @param router     option 3, if any
 * @param dns        option 6
 * @param domain     option 15, if any
 * @param leaseTime  option 51
 * @param hosts      static leases
 * @param options    extra options by code, as the admin wrote them (the DHCP server encodes them)
 * @param trustedRelays relay agents (IPv4 addresses or prefixes) whose relayed requests the pool
 *                   serves, judged by the datagram's source address (giaddr can be forged by any
 *                   client); empty: any relay whose giaddr lies in the subnet (the default)
 */
public record DhcpPoolConfig(
        String name,
        String iface,
        IpPrefix subnet,
        InetAddress rangeStart,
        InetAddress rangeEnd,
        Optional<InetAddress> router,
        List<InetAddress> dns,
        Optional<String> domain,
        Duration leaseTime,
        List<DhcpHost> hosts,
        Map<Integer, List<String>> options,
        List<IpPrefix> trustedRelays) {

    /** dnsmasq's default lease time. */
    public static final Duration DEFAULT_LEASE = Duration.ofHours(1);

    public DhcpPoolConfig {
        dns = List.copyOf(dns);
        hosts = List.copyOf(hosts);
        options = Map.copyOf(options);
        trustedRelays = List.copyOf(trustedRelays);
    }

    /** A pool that serves relayed requests from any relay (no {@code trusted-relays}). */
    public DhcpPoolConfig(String name, String iface, IpPrefix subnet, InetAddress rangeStart, InetAddress rangeEnd,
                          Optional<InetAddress> router, List<InetAddress> dns, Optional<String> domain, Duration leaseTime,
                          List<DhcpHost> hosts, Map<Integer, List<String>> options) {
        this(name, iface, subnet, rangeStart, rangeEnd, router, dns, domain, leaseTime, hosts, options, List.of());
    }

    /** True if the two pools' dynamic ranges share an address. */
    public boolean rangeOverlaps(DhcpPoolConfig o) {
        return IpAddresses.toNumber(rangeStart).compareTo(IpAddresses.toNumber(o.rangeEnd)) <= 0
                && IpAddresses.toNumber(o.rangeStart).compareTo(IpAddresses.toNumber(rangeEnd)) <= 0;
    }
}
