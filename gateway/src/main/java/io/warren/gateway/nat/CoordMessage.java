package io.warren.gateway.nat;

import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.UapiKey;
import java.net.InetSocketAddress;
import java.util.List;

/** A hub coordination message ({@link CoordWire}). */
public sealed interface CoordMessage {
    /** The sender's sequence number: only increasing values are accepted. */
    long sequence();

    /** Spoke to hub: this spoke is a Warren gateway and takes part in hole punching. */
    record Hello(long sequence) implements CoordMessage {
    }

    /**
     * Hub to spoke: another spoke, where the hub sees it (its NAT mapping towards the hub) and the
     * prefixes behind it.
     */
    record Introduce(long sequence, UapiKey peer, InetSocketAddress endpoint, List<AllowedIp> prefixes)
            implements CoordMessage {
        public Introduce {
            prefixes = List.copyOf(prefixes);
        }
    }
}
