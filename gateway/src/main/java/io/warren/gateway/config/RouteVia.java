package io.warren.gateway.config;

import java.util.Optional;

/**
 * Where a static route sends packets. Written in the config as {@code "tunnel:gre1"},
 * {@code "peer:wg0/laptop"}, {@code "interface:wg0"}, {@code "blackhole"} or {@code "local"}.
 */
public sealed interface RouteVia {

    /** Into a {@code [tunnel.NAME]}. */
    record Tunnel(String tunnel) implements RouteVia {
        @Override
        public String toString() {
            return "tunnel:" + tunnel;
        }
    }

    /** To one named peer of a WireGuard interface (bypasses allowed-ips lookup for the route). */
    record Peer(String iface, String peer) implements RouteVia {
        @Override
        public String toString() {
            return "peer:" + iface + "/" + peer;
        }
    }

    /** Into a WireGuard interface, letting its allowed-ips pick the peer. */
    record Interface(String iface) implements RouteVia {
        @Override
        public String toString() {
            return "interface:" + iface;
        }
    }

    /** Dropped silently. */
    record Blackhole() implements RouteVia {
        @Override
        public String toString() {
            return "blackhole";
        }
    }

    /** Delivered to the host itself. */
    record Local() implements RouteVia {
        @Override
        public String toString() {
            return "local";
        }
    }

    /** Parses the config form; empty if malformed. Names are checked against the config later. */
    static Optional<RouteVia> parse(String s) {
        if (s.equals("blackhole")) {
            return Optional.of(new Blackhole());
        }
        if (s.equals("local")) {
            return Optional.of(new Local());
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String kind = s.substring(0, colon);
        String target = s.substring(colon + 1);
        switch (kind) {
            case "tunnel":
                return ConfigNames.isValidName(target) ? Optional.of(new Tunnel(target)) : Optional.empty();
            case "interface":
                return ConfigNames.isValidName(target) ? Optional.of(new Interface(target)) : Optional.empty();
            case "peer":
                int slash = target.indexOf('/');
                if (slash < 0) {
                    return Optional.empty();
                }
                String iface = target.substring(0, slash);
                String peer = target.substring(slash + 1);
                return ConfigNames.isValidName(iface) && ConfigNames.isValidPeerName(peer)
                        ? Optional.of(new Peer(iface, peer)) : Optional.empty();
            default:
                return Optional.empty();
        }
    }
}
