package io.warren.gateway.config;

import java.util.List;
import java.util.Map;

/**
 * A whole, validated {@code warren.toml}. Maps keep file order.
 *
 * @param interfaces  WireGuard interfaces by name
 * @param tunnels     tunnels by name
 * @param routes      static routes
 * @param dhcpPools   DHCP pools by name
 * @param dns         DNS forwarder
 * @param natTraversal NAT traversal settings
 * @param metrics     Prometheus endpoint
 * @param control     control socket
 */
public record WarrenConfig(
        Map<String, InterfaceConfig> interfaces,
        Map<String, TunnelConfig> tunnels,
        List<RouteConfig> routes,
        Map<String, DhcpPoolConfig> dhcpPools,
        DnsConfig dns,
        NatTraversalConfig natTraversal,
        MetricsConfig metrics,
        ControlConfig control) {

    public WarrenConfig {
        interfaces = Ordered.copy(interfaces);
        tunnels = Ordered.copy(tunnels);
        routes = List.copyOf(routes);
        dhcpPools = Ordered.copy(dhcpPools);
    }

    /** Number of peers over all interfaces. */
    public int peerCount() {
        return interfaces.values().stream().mapToInt(i -> i.peers().size()).sum();
    }
}
