package io.warren.gateway.config;

import java.util.List;

/**
 * {@code [nat-traversal]}: how this gateway finds and keeps paths through NATs.
 *
 * @param stunServers STUN servers used to learn our public endpoint (port 3478 unless given)
 * @param hub         this gateway is a hub: it tells spokes each other's endpoints for hole punching
 * @param relay       this gateway relays traffic between spokes that cannot reach each other
 */
public record NatTraversalConfig(List<Endpoint> stunServers, boolean hub, boolean relay) {

    /** The STUN port (RFC 8489). */
    public static final int STUN_PORT = 3478;

    /** No STUN, not a hub, no relaying. */
    public static final NatTraversalConfig DEFAULT = new NatTraversalConfig(List.of(), false, false);

    public NatTraversalConfig {
        stunServers = List.copyOf(stunServers);
    }
}
