package io.warren.gateway.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that span sections: references to interfaces, peers and tunnels, port clashes, duplicate
 * tunnel identities and overlapping DHCP pools. Runs after every section parsed, on the parts that
 * parsed cleanly.
 */
final class CrossChecks {
    private final Problems problems;
    private final ConfigTable root;

    CrossChecks(Problems problems, ConfigTable root) {
        this.problems = problems;
        this.root = root;
    }

    void run(Map<String, InterfaceConfig> interfaces, Map<String, TunnelConfig> tunnels,
             RouteSection.Parsed routes, Map<String, DhcpPoolConfig> pools, Map<String, Section> poolSections) {
        deviceNames(interfaces, tunnels);
        udpPorts(interfaces, tunnels);
        tunnelIdentities(tunnels);
        greUdpSockets(tunnels);
        encryptedVia(interfaces, tunnels);
        routeTargets(interfaces, tunnels, routes);
        dhcp(interfaces, tunnels, pools, poolSections);
    }

    private Section section(String group, String name, String label) {
        ConfigTable g = root.getTable(group);
        return new Section(problems, g.getTable(name), label + " \"" + name + "\"",
                g.lineOf(name));
    }

    private void deviceNames(Map<String, InterfaceConfig> interfaces, Map<String, TunnelConfig> tunnels) {
        for (String name : tunnels.keySet()) {
            if (interfaces.containsKey(name)) {
                Section s = section("tunnel", name, "tunnel");
                problems.error(s.line(), s.label(), "name already used by [interface." + name + "] (both are devices)");
            }
        }
    }

    private void udpPorts(Map<String, InterfaceConfig> interfaces, Map<String, TunnelConfig> tunnels) {
        Map<Integer, String> owners = new HashMap<>();
        for (InterfaceConfig i : interfaces.values()) {
            if (i.listenPort() == 0) {
                continue;
            }
            String before = owners.putIfAbsent(i.listenPort(), "interface \"" + i.name() + "\"");
            if (before != null) {
                section("interface", i.name(), "interface").error("listen-port",
                        "UDP port " + i.listenPort() + " is already used by " + before);
            }
        }
        Map<Integer, TunnelType> tunnelPortTypes = new HashMap<>();
        for (TunnelConfig t : tunnels.values()) {
            int port = t.udpPort();
            if (port == 0) {
                continue;
            }
            Section s = section("tunnel", t.name(), "tunnel");
            String iface = owners.get(port);
            TunnelType sharer = tunnelPortTypes.putIfAbsent(port, t.type());
            String clash = iface != null ? iface
                    : sharer != null && sharer != t.type() ? "a " + sharer.configName() + " tunnel" : null;
            if (clash == null) {
                continue;
            }
            if (s.has("port")) {
                s.error("port", "UDP port " + port + " is already used by " + clash);
            } else {
                problems.error(s.line(), s.label(), "UDP port " + port + " (the " + t.type().configName()
                        + " default) is already used by " + clash);
            }
        }
    }

    /** Two tunnels a receiver cannot tell apart (same type, remote and key/VNI/session). */
    private void tunnelIdentities(Map<String, TunnelConfig> tunnels) {
        Map<String, String> seen = new HashMap<>();
        for (TunnelConfig t : tunnels.values()) {
            String id;
            String key;
            TunnelParams p = t.params();
            if (p instanceof TunnelParams.L2tpv3 l) {
                id = "l2tpv3 session " + l.localSessionId();
                key = "local-session-id";
            } else if (p instanceof TunnelParams.Vxlan v) {
                // The shared port demultiplexes by VNI alone (RFC 7348 §4.1), whatever the remotes.
                id = "vxlan vni " + v.vni() + " on UDP port " + v.port() + t.local().map(l -> " of " + IpAddresses.text(l)).orElse("");
                key = "vni";
            } else if (p instanceof TunnelParams.Gre g) {
                // L2 (0x6558) and L3 (IPv4/IPv6) GRE are told apart by the protocol type, as in Linux.
                id = "gre" + (t.layer2() ? " (l2)" : "") + " key " + (g.key().isPresent() ? g.key().getAsLong() : "none")
                        + " to " + t.remote();
                key = g.key().isPresent() ? "key" : "remote";
            } else {
                TunnelParams.GreUdp g = (TunnelParams.GreUdp) p;
                id = "gre-udp" + (t.layer2() ? " (l2)" : "") + " key " + (g.key().isPresent() ? g.key().getAsLong() : "none")
                        + " to " + t.remote();
                key = g.key().isPresent() ? "key" : "remote";
            }
            String before = seen.putIfAbsent(id, t.name());
            if (before != null) {
                section("tunnel", t.name(), "tunnel").error(key,
                        "same " + id + " as tunnel \"" + before + "\"; incoming packets could not be told apart");
            }
        }
    }

    /**
     * Each GRE-in-UDP tunnel, L2 or L3, binds a socket of its own to its port (unlike VXLAN and
     * L2TPv3, whose tunnels share one), so two on one port cannot both open unless both pin
     * different {@code local} addresses.
     */
    private void greUdpSockets(Map<String, TunnelConfig> tunnels) {
        List<TunnelConfig> seen = new java.util.ArrayList<>();
        for (TunnelConfig t : tunnels.values()) {
            if (t.type() != TunnelType.GRE_UDP) {
                continue;
            }
            for (TunnelConfig other : seen) {
                boolean sameAddress = t.local().isEmpty() || other.local().isEmpty() || t.local().equals(other.local());
                if (other.udpPort() == t.udpPort() && sameAddress) {
                    Section s = section("tunnel", t.name(), "tunnel");
                    String reason = "UDP port " + t.udpPort() + " is already bound by gre-udp tunnel \"" + other.name()
                            + "\" (each GRE-in-UDP tunnel has its own socket; give one another port or both a"
                            + " different local address)";
                    if (s.has("port")) {
                        s.error("port", reason);
                    } else {
                        problems.error(s.line(), s.label(), reason);
                    }
                    break;
                }
            }
            seen.add(t);
        }
    }

    private void encryptedVia(Map<String, InterfaceConfig> interfaces, Map<String, TunnelConfig> tunnels) {
        for (TunnelConfig t : tunnels.values()) {
            if (t.encryptedVia().isEmpty()) {
                continue;
            }
            String via = t.encryptedVia().get();
            int slash = via.indexOf('/');
            String iface = slash < 0 ? via : via.substring(0, slash);
            Section s = section("tunnel", t.name(), "tunnel");
            String peer = slash < 0 ? null : via.substring(slash + 1);
            Optional<String> problem = peerReference(interfaces, iface, peer);
            problem.ifPresent(p -> s.error("encrypted-via", p));
            if (problem.isEmpty()) {
                for (String r : t.remotes()) {
                    IpAddresses.parse(r).ifPresent(remote -> checkRoutable(s, interfaces.get(iface), peer, remote));
                }
                checkEncryptedMtu(s, t, interfaces.get(iface));
            }
        }
    }

    /**
     * A tunnel inside WireGuard sends its outer packets into the WireGuard device, whose MTU already
     * leaves room for WireGuard's own overhead: a configured tunnel {@code mtu} above that MTU minus
     * the tunnel's overhead ({@link TunnelOverhead}; for an IPv6 remote, if any remote is one) would
     * make every full-size packet an outer fragment, which L2 tunnels never send and L3 GRE avoids.
     */
    private static void checkEncryptedMtu(Section s, TunnelConfig t, InterfaceConfig iface) {
        if (t.mtu().isEmpty()) {
            return;
        }
        boolean v6 = t.remotes().stream().anyMatch(r -> IpAddresses.parse(r).map(a -> a.getAddress().length == 16).orElse(false));
        TunnelOverhead overhead = TunnelOverhead.of(t, v6);
        if (t.mtu().getAsInt() > overhead.fits(iface.mtu())) {
            s.error("mtu", t.mtu().getAsInt() + " does not fit inside interface \"" + iface.name() + "\" (MTU "
                    + overhead.arithmetic(iface.mtu()) + ")");
        }
    }

    /** The outer packets go to {@code remote}: WireGuard only sends them if a peer's allowed-ips cover it. */
    private static void checkRoutable(Section s, InterfaceConfig iface, String peer, java.net.InetAddress remote) {
        List<PeerConfig> candidates = peer == null ? iface.peers() : List.of(iface.peerNamed(peer).orElseThrow());
        boolean covered = candidates.stream().flatMap(p -> p.allowedIps().stream()).anyMatch(a -> a.contains(remote));
        if (!covered) {
            s.error("remote", "\"" + remote.getHostAddress() + "\" is not in the allowed-ips of "
                    + (peer == null ? "any peer of interface \"" + iface.name() + "\"" : "peer \"" + peer + "\"")
                    + ", so encrypted-via cannot carry it");
        }
    }

    private static Optional<String> peerReference(Map<String, InterfaceConfig> interfaces, String iface, String peer) {
        InterfaceConfig i = interfaces.get(iface);
        if (i == null) {
            return Optional.of("unknown interface \"" + iface + "\"" + hint(iface, interfaces.keySet()));
        }
        if (peer != null && i.peerNamed(peer).isEmpty()) {
            List<String> names = i.peers().stream().flatMap(p -> p.name().stream()).toList();
            return Optional.of("interface \"" + iface + "\" has no peer named \"" + peer + "\"" + hint(peer, names));
        }
        return Optional.empty();
    }

    private static String hint(String name, java.util.Collection<String> known) {
        return Suggestions.closest(name, known).map(s -> " (did you mean \"" + s + "\"?)").orElse("");
    }

    private void routeTargets(Map<String, InterfaceConfig> interfaces, Map<String, TunnelConfig> tunnels,
                              RouteSection.Parsed routes) {
        for (Map.Entry<RouteVia, Section> e : routes.vias()) {
            Section s = e.getValue();
            RouteVia via = e.getKey();
            if (via instanceof RouteVia.Tunnel t && !tunnels.containsKey(t.tunnel())) {
                s.error("via", "unknown tunnel \"" + t.tunnel() + "\"" + hint(t.tunnel(), tunnels.keySet()));
            } else if (via instanceof RouteVia.Tunnel t && tunnels.get(t.tunnel()).layer2()) {
                s.error("via", layer2Route(tunnels.get(t.tunnel())));
            } else if (via instanceof RouteVia.Interface i) {
                peerReference(interfaces, i.iface(), null).ifPresent(p -> s.error("via", p));
            } else if (via instanceof RouteVia.Peer p) {
                peerReference(interfaces, p.iface(), p.peer()).ifPresent(m -> s.error("via", m));
            }
        }
    }

    /**
     * Why a route cannot go into an L2 tunnel: its TAP device carries Ethernet frames, so a route needs
     * a next hop on the segment (a gateway address there, resolved by ARP/ND), and Warren's routes
     * name only devices. Warren gives the TAP no address, so such a route would never be installed.
     */
    private static String layer2Route(TunnelConfig t) {
        String device = t.bridge().map(b -> "its bridge \"" + b + "\"").orElse("\"" + t.name() + "\"");
        return "tunnel \"" + t.name() + "\" is layer 2: a route into it needs a next hop on its segment, which"
                + " tunnel: routes cannot name; give " + device + " an address on the segment and route through"
                + " a router there with the host's routing (ip route PREFIX via ADDRESS)";
    }

    /** A kernel interface name (IFNAMSIZ - 1 characters, no '/', ':' or white space). */
    private static final java.util.regex.Pattern KERNEL_NAME = java.util.regex.Pattern.compile("[^/:\\s]{1,15}");

    private void dhcp(Map<String, InterfaceConfig> interfaces, Map<String, TunnelConfig> tunnels,
                      Map<String, DhcpPoolConfig> pools, Map<String, Section> sections) {
        List<DhcpPoolConfig> seen = new java.util.ArrayList<>();
        for (DhcpPoolConfig p : pools.values()) {
            Section s = sections.get(p.name());
            TunnelConfig t = tunnels.get(p.iface());
            if (t == null) {
                if (interfaces.containsKey(p.iface())) {
                    s.error("interface", "\"" + p.iface() + "\" is a WireGuard interface (layer 3); DHCP needs an L2 tunnel");
                } else if (!KERNEL_NAME.matcher(p.iface()).matches()) {
                    s.error("interface", "\"" + p.iface() + "\" is neither an L2 tunnel of this file nor a valid"
                            + " interface name (1-15 characters, no '/', ':' or spaces)");
                } else {
                    // A LAN port or bridge of the host (eth1, br-lan): the daemon checks it exists at start.
                    List<String> l2 = tunnels.values().stream().filter(TunnelConfig::layer2).map(TunnelConfig::name).toList();
                    String typo = hint(p.iface(), l2);
                    if (!typo.isEmpty()) {
                        s.warn("interface", "\"" + p.iface() + "\" is not a tunnel of this file, so it is served as a"
                                + " host interface" + typo);
                    }
                }
            } else if (!t.layer2()) {
                s.error("interface", "tunnel \"" + p.iface() + "\" is layer 3; DHCP needs mode = \"l2\"");
            } else if (t.bridge().isPresent()) {
                // A bridge port hands its frames to the bridge: a socket bound to the port sees none.
                s.error("interface", "tunnel \"" + p.iface() + "\" is a port of bridge \"" + t.bridge().get()
                        + "\", whose frames reach the host on the bridge; serve interface = \"" + t.bridge().get() + "\""
                        + t.vlan().stream().mapToObj(v -> " (or its VLAN " + v + " interface)").findFirst().orElse(""));
            } else if (t.vlan().isPresent()) {
                // The segment's frames are tagged on the TAP and untagged ones from it are dropped.
                s.error("interface", "tunnel \"" + p.iface() + "\" carries VLAN " + t.vlan().getAsInt()
                        + " tagged on its device; serve a VLAN interface on it instead (e.g. ip link add " + p.iface() + "."
                        + t.vlan().getAsInt() + " link " + p.iface() + " type vlan id " + t.vlan().getAsInt() + ")");
            }
            for (DhcpPoolConfig other : seen) {
                if (p.rangeOverlaps(other)) {
                    s.error("range", "overlaps the range of dhcp pool \"" + other.name() + "\"");
                } else if (p.subnet().overlaps(other.subnet())) {
                    s.error("subnet", p.subnet() + " overlaps subnet " + other.subnet() + " of dhcp pool \"" + other.name() + "\"");
                }
            }
            seen.add(p);
        }
    }
}
