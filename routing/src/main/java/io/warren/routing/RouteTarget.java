package io.warren.routing;

import java.util.Objects;

/**
 * Where a static route sends a packet: into a named tunnel (GRE, VXLAN, L2TPv3 interface), to a
 * WireGuard peer, up to the gateway itself, or nowhere (RFC 1812 §5.2.4.1 discard route).
 */
public sealed interface RouteTarget permits RouteTarget.Tunnel, RouteTarget.Peer, RouteTarget.Local, RouteTarget.Blackhole {

    /** Delivered to the gateway's own stack. */
    Local LOCAL = new Local();

    /** Silently discarded (counted by the caller). */
    Blackhole BLACKHOLE = new Blackhole();

    /** A tunnel interface by its configured name. */
    record Tunnel(String name) implements RouteTarget {
        public Tunnel {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty tunnel name");
            }
        }
    }

    /** A WireGuard peer by its public key (base64, as in the configuration; public, safe to print). */
    record Peer(String publicKey) implements RouteTarget {
        public Peer {
            Objects.requireNonNull(publicKey, "publicKey");
            if (publicKey.isEmpty()) {
                throw new IllegalArgumentException("empty peer key");
            }
        }
    }

    /** The gateway itself. */
    record Local() implements RouteTarget {
    }

    /** Discard. */
    record Blackhole() implements RouteTarget {
    }
}
