package io.warren.gateway.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What {@code status} answers: the JSON of {@code warren status --json}, and what the human
 * output is rendered from ({@link StatusText}). Field names become snake_case on the wire. Public
 * keys only; no private or preshared key ever appears here.
 *
 * @param time       the daemon's clock when the report was made (Unix seconds)
 * @param interfaces WireGuard interfaces
 * @param tunnels    configured tunnels
 * @param routes     configured static routes
 * @param leases     DHCP leases, when a DHCP service exposes them (else empty)
 */
public record StatusReport(long time, List<Interface> interfaces, List<Tunnel> tunnels, List<Route> routes,
                           List<Lease> leases) {
    public StatusReport {
        interfaces = List.copyOf(interfaces);
        tunnels = List.copyOf(tunnels);
        routes = List.copyOf(routes);
        leases = leases == null ? List.of() : List.copyOf(leases);
    }

    /**
     * One WireGuard interface; {@code drops} holds only non-zero counters, by reason; {@code nat} is
     * what STUN found out about its port, or null without {@code [nat-traversal] stun-servers}.
     */
    public record Interface(String name, String publicKey, int listenPort, List<String> addresses,
                            List<Peer> peers, Map<String, Long> drops,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Nat nat) {
        public Interface {
            addresses = List.copyOf(addresses);
            peers = List.copyOf(peers);
            drops = drops == null ? Map.of() : Map.copyOf(drops);
        }

        /** Without STUN. */
        public Interface(String name, String publicKey, int listenPort, List<String> addresses,
                         List<Peer> peers, Map<String, Long> drops) {
            this(name, publicKey, listenPort, addresses, peers, drops, null);
        }
    }

    /**
     * The interface's WireGuard port as STUN (RFC 8489 Binding) sees it from outside.
     *
     * @param reflexive             the server-reflexive address {@code host:port} (RFC 8489 §3), or
     *                              null before any server answered
     * @param mapping               the NAT's mapping behaviour (RFC 4787 §4.1): {@code
     *                              endpoint-independent}, {@code endpoint-dependent} or {@code unknown}
     *                              (fewer than two servers answered)
     * @param lastCheck             Unix seconds of the latest answer, 0 if none
     * @param lastCheckAgeSeconds   seconds since then by the daemon's clock, -1 if none
     * @param servers               each answering server and the address it saw
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Nat(String reflexive, String mapping, long lastCheck, long lastCheckAgeSeconds,
                      Map<String, String> servers) {
        public Nat {
            servers = servers == null ? Map.of() : Map.copyOf(servers);
        }

        /** This, with the age computed at {@code now} (Unix seconds). */
        public Nat at(long now) {
            return new Nat(reflexive, mapping, lastCheck, lastCheck > 0 ? Math.max(0, now - lastCheck) : -1, servers);
        }
    }

    /**
     * One peer.
     *
     * @param name                  its config name, or null
     * @param endpoint              current endpoint {@code host:port}, or null
     * @param path                  how traffic reaches it: {@code direct} (relay paths come later)
     * @param latestHandshake       Unix seconds of the latest handshake, 0 if none
     * @param latestHandshakeAgeSeconds seconds since then by the daemon's clock, -1 if none
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Peer(String name, String publicKey, String endpoint, String path, long latestHandshake,
                       long latestHandshakeAgeSeconds, long rxBytes, long txBytes, List<String> allowedIps,
                       int persistentKeepalive) {
        public Peer {
            allowedIps = List.copyOf(allowedIps);
        }
    }

    /** A configured tunnel. */
    public record Tunnel(String name, String type, String state) {
    }

    /** A configured static route. */
    public record Route(String prefix, String via, int metric) {
    }

    /** A DHCP lease; {@code expires} in Unix seconds. */
    public record Lease(String pool, String address, String mac, String hostname, long expires) {
    }
}
