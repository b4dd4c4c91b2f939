package io.warren.gateway.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A {@code [tunnel.NAME]}: a GRE, GRE-in-UDP, VXLAN or L2TPv3 tunnel, plain or carried inside a
 * WireGuard interface.
 *
 * @param name        tunnel name (also its TUN/TAP device name)
 * @param type        the encapsulation
 * @param layer2      carries Ethernet frames (TAP) rather than IP packets (TUN)
 * @param local       local underlay address, if pinned
 * @param remotes     remote underlay addresses or host names: one, or for VXLAN the head-end
 *                    replication list (RFC 7348 §4.2: every remote VTEP of the segment gets a copy
 *                    of broadcast, unknown unicast and multicast frames)
 * @param params      type-specific settings
 * @param encryptedVia the WireGuard interface (or {@code interface/peer}) the outer packets go through
 * @param mtu         device MTU, if set (otherwise the daemon derives it from the underlay)
 * @param bridge      L2 only: the local bridge/segment the tunnel joins
 * @param vlan        L2 only: 802.1Q tag added/stripped at the tunnel edge
 * @param staticMacs  L2 only: static MAC table entries, in file order
 * @param forwarding  IP forwarding the daemon switches on while the tunnel runs
 */
public record TunnelConfig(
        String name,
        TunnelType type,
        boolean layer2,
        Optional<InetAddress> local,
        List<String> remotes,
        TunnelParams params,
        Optional<String> encryptedVia,
        OptionalInt mtu,
        Optional<String> bridge,
        OptionalInt vlan,
        List<StaticMac> staticMacs,
        Forwarding forwarding) {

    public TunnelConfig {
        remotes = List.copyOf(remotes);
        staticMacs = List.copyOf(staticMacs);
        if (remotes.isEmpty()) {
            throw new IllegalArgumentException(name + ": a tunnel needs a remote");
        }
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(forwarding, "forwarding");
    }

    /** A tunnel with static MAC entries and no forwarding switched on by Warren. */
    public TunnelConfig(String name, TunnelType type, boolean layer2, Optional<InetAddress> local, List<String> remotes,
                        TunnelParams params, Optional<String> encryptedVia, OptionalInt mtu, Optional<String> bridge,
                        OptionalInt vlan, List<StaticMac> staticMacs) {
        this(name, type, layer2, local, remotes, params, encryptedVia, mtu, bridge, vlan, staticMacs, Forwarding.OFF);
    }

    /** A tunnel with one remote, no static MAC entries, and the given forwarding. */
    public TunnelConfig(String name, TunnelType type, boolean layer2, Optional<InetAddress> local, String remote,
                        TunnelParams params, Optional<String> encryptedVia, OptionalInt mtu, Optional<String> bridge,
                        OptionalInt vlan, Forwarding forwarding) {
        this(name, type, layer2, local, List.of(remote), params, encryptedVia, mtu, bridge, vlan, List.of(), forwarding);
    }

    /** A tunnel with one remote and no static MAC entries. */
    public TunnelConfig(String name, TunnelType type, boolean layer2, Optional<InetAddress> local, String remote,
                        TunnelParams params, Optional<String> encryptedVia, OptionalInt mtu, Optional<String> bridge,
                        OptionalInt vlan) {
        this(name, type, layer2, local, List.of(remote), params, encryptedVia, mtu, bridge, vlan, List.of(), Forwarding.OFF);
    }

    /** The first (for every type but VXLAN, the only) remote underlay address or host name. */
    public String remote() {
        return remotes.get(0);
    }

    /**
     * Whether {@code o} runs the same tunnel, so a reload leaves it alone: every setting equal, with
     * the remote list and the static MAC entries compared as sets (reordering them in the file
     * changes nothing on the wire: a flood reaches every remote, a MAC has one entry).
     */
    public boolean sameSettings(TunnelConfig o) {
        return name.equals(o.name) && type == o.type && layer2 == o.layer2 && local.equals(o.local)
                && Set.copyOf(remotes).equals(Set.copyOf(o.remotes)) && params.equals(o.params)
                && encryptedVia.equals(o.encryptedVia) && mtu.equals(o.mtu) && bridge.equals(o.bridge)
                && vlan.equals(o.vlan) && Set.copyOf(staticMacs).equals(Set.copyOf(o.staticMacs))
                && forwarding.equals(o.forwarding);
    }

    /** The UDP port this tunnel listens on, or 0 if it is not UDP-based. */
    public int udpPort() {
        // Java 17: no pattern switch yet, so an instanceof chain over the sealed type.
        if (params instanceof TunnelParams.GreUdp g) {
            return g.port();
        } else if (params instanceof TunnelParams.Vxlan v) {
            return v.port();
        } else if (params instanceof TunnelParams.L2tpv3 l) {
            return l.overUdp() ? l.port() : 0;
        }
        return 0;
    }
}
