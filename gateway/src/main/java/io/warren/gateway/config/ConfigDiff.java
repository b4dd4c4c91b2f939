package io.warren.gateway.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a reload must do: the difference between the running config and a new one, so the daemon
 * applies only that and keeps untouched sessions, tunnels and leases. Pure function of two configs.
 *
 * <p>Interfaces, tunnels and pools are matched by name; peers by public key (so a peer that moved
 * in the file, or got its allowed-ips reordered, is unchanged); routes by prefix and next hop.
 * A tunnel whose remote list or static MACs were only reordered is unchanged
 * ({@link TunnelConfig#sameSettings}); any other tunnel change makes the daemon reopen it.
 * An interface is "changed" only if its own settings changed; its peers are diffed separately.
 *
 * @param interfaces interface settings (peers excluded)
 * @param peers      per interface present in both configs, the peer changes
 * @param tunnels    tunnels
 * @param routes     static routes
 * @param dhcpPools  DHCP pools
 * @param dns        the DNS section, if it changed
 * @param natTraversal the NAT traversal section, if it changed
 * @param metrics    the metrics section, if it changed
 * @param control    the control section, if it changed
 */
public record ConfigDiff(
        Changes<String, InterfaceConfig> interfaces,
        Map<String, Changes<WgKey, PeerConfig>> peers,
        Changes<String, TunnelConfig> tunnels,
        Changes<RouteConfig.Key, RouteConfig> routes,
        Changes<String, DhcpPoolConfig> dhcpPools,
        Optional<Changes.Change<DnsConfig>> dns,
        Optional<Changes.Change<NatTraversalConfig>> natTraversal,
        Optional<Changes.Change<MetricsConfig>> metrics,
        Optional<Changes.Change<ControlConfig>> control) {

    public ConfigDiff {
        peers = Ordered.copy(peers);
    }

    /** Computes the diff from {@code before} (running) to {@code after} (new). */
    public static ConfigDiff between(WarrenConfig before, WarrenConfig after) {
        Map<String, Changes<WgKey, PeerConfig>> peers = new LinkedHashMap<>();
        before.interfaces().forEach((name, old) -> {
            InterfaceConfig now = after.interfaces().get(name);
            if (now != null) {
                peers.put(name, Changes.of(byKey(old.peers()), byKey(now.peers())));
            }
        });
        return new ConfigDiff(
                Changes.of(before.interfaces(), after.interfaces(), InterfaceConfig::sameSettings),
                peers,
                Changes.of(before.tunnels(), after.tunnels(), TunnelConfig::sameSettings),
                Changes.of(byRouteKey(before.routes()), byRouteKey(after.routes())),
                Changes.of(before.dhcpPools(), after.dhcpPools()),
                change(before.dns(), after.dns()),
                change(before.natTraversal(), after.natTraversal()),
                change(before.metrics(), after.metrics()),
                change(before.control(), after.control()));
    }

    private static Map<WgKey, PeerConfig> byKey(List<PeerConfig> peers) {
        return peers.stream().collect(Collectors.toMap(PeerConfig::publicKey, Function.identity(),
                (a, b) -> a, LinkedHashMap::new));
    }

    private static Map<RouteConfig.Key, RouteConfig> byRouteKey(List<RouteConfig> routes) {
        return routes.stream().collect(Collectors.toMap(RouteConfig::key, Function.identity(),
                (a, b) -> a, LinkedHashMap::new));
    }

    private static <T> Optional<Changes.Change<T>> change(T before, T after) {
        return before.equals(after) ? Optional.empty() : Optional.of(new Changes.Change<>(before, after));
    }

    /** True if the reload has nothing to do. */
    public boolean isEmpty() {
        return interfaces.isEmpty() && peers.values().stream().allMatch(Changes::isEmpty) && tunnels.isEmpty()
                && routes.isEmpty() && dhcpPools.isEmpty() && dns.isEmpty() && natTraversal.isEmpty()
                && metrics.isEmpty() && control.isEmpty();
    }

    /** One line per changed area, for the log and {@code warren reload}; no key material. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        add(lines, "interfaces", interfaces);
        peers.forEach((iface, c) -> add(lines, "peers of " + iface, c));
        add(lines, "tunnels", tunnels);
        add(lines, "routes", routes);
        add(lines, "dhcp pools", dhcpPools);
        dns.ifPresent(c -> lines.add("dns: changed"));
        natTraversal.ifPresent(c -> lines.add("nat-traversal: changed"));
        metrics.ifPresent(c -> lines.add("metrics: changed"));
        control.ifPresent(c -> lines.add("control: changed"));
        return lines;
    }

    private static void add(List<String> lines, String what, Changes<?, ?> c) {
        if (!c.isEmpty()) {
            lines.add(what + ": " + c.counts());
        }
    }
}
