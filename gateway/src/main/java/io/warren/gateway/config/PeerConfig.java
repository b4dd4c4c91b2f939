package io.warren.gateway.config;

import java.util.List;
import java.util.Optional;

/**
 * One WireGuard peer, identified by its public key. Allowed IPs are kept sorted and de-duplicated
 * so that two configs listing the same prefixes in another order compare equal.
 *
 * @param name                a DNS-friendly name (also used in routes: {@code peer:wg0/laptop})
 * @param publicKey           the peer's static public key (its identity)
 * @param presharedKey        optional extra symmetric key
 * @param endpoint            where to send the first handshake, if known
 * @param allowedIps          source addresses accepted from, and routed to, this peer
 * @param persistentKeepalive seconds between keepalives, 0 = off
 * @param hub                 the peer is a hub: it tells us other peers' endpoints (hole punching)
 * @param relay               traffic to peers we cannot reach directly may be relayed through it
 */
public record PeerConfig(
        Optional<String> name,
        WgKey publicKey,
        Optional<WgKey> presharedKey,
        Optional<Endpoint> endpoint,
        List<IpPrefix> allowedIps,
        int persistentKeepalive,
        boolean hub,
        boolean relay) {

    public PeerConfig {
        allowedIps = allowedIps.stream().distinct().sorted().toList();
    }

    /** How messages name this peer: {@code peer "laptop"}, or by public key when unnamed. */
    public String label() {
        return name.map(n -> "peer \"" + n + "\"").orElseGet(() -> "peer " + publicKey.toBase64());
    }
}
