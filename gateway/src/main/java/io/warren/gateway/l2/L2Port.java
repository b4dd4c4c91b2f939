package io.warren.gateway.l2;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A port of an overlay segment's switch, as stored in its {@link io.warren.routing.MacTable}: the
 * one local side (the TAP device and the LAN behind it) or one remote tunnel endpoint (a VTEP, an
 * L2TPv3 peer).
 */
public sealed interface L2Port permits L2Port.Local, L2Port.Remote {

    /** The local side; there is one per segment. */
    Local LOCAL = new Local();

    /** The TAP side. */
    final class Local implements L2Port {
        private Local() {
        }

        @Override
        public String toString() {
            return "local";
        }
    }

    /**
     * A remote tunnel endpoint, identified by its underlay address and port.
     *
     * @param address where the encapsulated frames are sent
     */
    record Remote(InetSocketAddress address) implements L2Port {
        public Remote {
            Objects.requireNonNull(address, "address");
        }
    }
}
