package io.warren.gateway.config;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@code [tunnel.NAME]}: a GRE, GRE-in-UDP, VXLAN or L2TPv3 tunnel, plain or carried inside a
 * WireGuard interface.
 *
 * @param name        tunnel name (also its TUN/TAP device name)
 * @param type        the encapsulation
 * @param layer2      carries Ethernet frames (TAP) rather than IP packets (TUN)
 * @param local       local underlay address, if pinned
 * @param remote      remote underlay address or host name
 * @param params      type-specific settings
 * @param encryptedVia the WireGuard interface (or {@code interface/peer}) the outer packets go through
 * @param mtu         device MTU, if set (otherwise the daemon derives it from the underlay)
 * @param bridge      L2 only: the local bridge/segment the tunnel joins
 * @param vlan        L2 only: 802.1Q tag added/stripped at the tunnel edge
 * @param forwarding  IP forwarding the daemon switches on while the tunnel runs
 */
public record TunnelConfig(
        String name,
        TunnelType type,
        boolean layer2,
        Optional<InetAddress> local,
        String remote,
        TunnelParams params,
        Optional<String> encryptedVia,
        OptionalInt mtu,
        Optional<String> bridge,
        OptionalInt vlan,
        Forwarding forwarding) {

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
