package io.warren.gateway.control;

import io.warren.gateway.tunnel.Tunnel;
import io.warren.gateway.config.InterfaceConfig;
import io.warren.gateway.config.IpPrefix;
import io.warren.gateway.config.PeerConfig;
import io.warren.gateway.config.RouteConfig;
import io.warren.gateway.config.TunnelConfig;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.config.WgKey;
import io.warren.gateway.nat.PeerPaths;
import io.warren.gateway.transport.WireGuardInterface;
import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.DeviceState;
import io.warren.gateway.uapi.PeerState;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link StatusReport} from the running config and each interface's live snapshot (one
 * consistent, lock-protected copy per interface). Peers get their names from the config by public
 * key. Only public keys are read. Safe from any thread: it only calls {@code snapshot()},
 * {@code listenPort()} and {@code counters()}.
 */
public final class StatusCollector {
    /** What {@code path} says for a configured peer ({@link PeerPaths} has the introduced spokes). */
    public static final String DIRECT = "direct";

    private StatusCollector() {
    }

    public static StatusReport collect(WarrenConfig config, Map<String, WireGuardInterface> running,
                                       List<StatusReport.Lease> leases, long nowEpochSeconds) {
        return collect(config, running, leases, Map.of(), nowEpochSeconds);
    }

    /**
     * As above, with the tunnels that are running: a configured tunnel is "up" (with its packet
     * counts) when it runs, else "down" (it failed to open: the log says why).
     */
    public static StatusReport collect(WarrenConfig config, Map<String, WireGuardInterface> running,
                                       List<StatusReport.Lease> leases, Map<String, Tunnel> tunnelsRunning,
                                       long nowEpochSeconds) {
        return collect(config, running, leases, tunnelsRunning, Map.of(), nowEpochSeconds);
    }

    /**
     * As above, with what STUN found out per interface name (NAT traversal publishes it; an
     * interface missing from {@code nat} shows no NAT lines).
     */
    public static StatusReport collect(WarrenConfig config, Map<String, WireGuardInterface> running,
                                       List<StatusReport.Lease> leases, Map<String, Tunnel> tunnelsRunning,
                                       Map<String, StatusReport.Nat> nat, long nowEpochSeconds) {
        List<StatusReport.Interface> interfaces = new ArrayList<>();
        for (Map.Entry<String, WireGuardInterface> e : running.entrySet()) {
            InterfaceConfig ic = config.interfaces().get(e.getKey());
            WireGuardInterface wg = e.getValue();
            DeviceState state = wg.snapshot();
            List<StatusReport.Peer> peers = new ArrayList<>();
            for (PeerState ps : state.peers()) {
                peers.add(peer(e.getKey(), ic, ps, nowEpochSeconds));
            }
            interfaces.add(new StatusReport.Interface(e.getKey(),
                    ic == null ? null : ic.publicKey().toBase64(), wg.listenPort(),
                    ic == null ? List.of() : ic.addresses().stream().map(IpPrefix::toString).toList(),
                    peers, wg.counters().nonZero(),
                    nat.containsKey(e.getKey()) ? nat.get(e.getKey()).at(nowEpochSeconds) : null));
        }
        List<StatusReport.Tunnel> tunnels = new ArrayList<>();
        for (TunnelConfig t : config.tunnels().values()) {
            tunnels.add(new StatusReport.Tunnel(t.name(), t.type().toString(), tunnelState(tunnelsRunning.get(t.name()))));
        }
        List<StatusReport.Route> routes = new ArrayList<>();
        for (RouteConfig r : config.routes()) {
            routes.add(new StatusReport.Route(r.prefix().toString(), r.via().toString(), r.metric()));
        }
        return new StatusReport(nowEpochSeconds, interfaces, tunnels, routes, leases);
    }

    private static StatusReport.Peer peer(String iface, InterfaceConfig ic, PeerState ps, long now) {
        WgKey key = WgKey.of(ps.publicKey().bytes());
        Optional<PeerConfig> pc = ic == null ? Optional.empty() : ic.peer(key);
        long hs = ps.lastHandshakeEpochSeconds();
        return new StatusReport.Peer(pc.flatMap(PeerConfig::name).orElse(null),
                Base64.getEncoder().encodeToString(ps.publicKey().bytes()),
                ps.endpoint().map(Object::toString).orElse(null),
                PeerPaths.of(iface, ps.publicKey().bytes()).label(), hs, hs > 0 ? Math.max(0, now - hs) : -1,
                ps.rxBytes(), ps.txBytes(), ps.allowedIps().stream().map(AllowedIp::toString).toList(),
                ps.persistentKeepaliveInterval());
    }

    private static String tunnelState(Tunnel t) {
        if (t == null) {
            return "down";
        }
        Map<String, Long> c = t.counters();
        return "up, " + c.getOrDefault("tx_packets", 0L) + " packets sent, " + c.getOrDefault("rx_packets", 0L)
                + " received";
    }
}
