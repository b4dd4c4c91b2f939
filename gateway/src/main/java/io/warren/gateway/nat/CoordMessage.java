package io.warren.gateway.nat;

import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.UapiKey;
import java.net.InetSocketAddress;
import java.util.List;

/** A hub coordination message ({@link CoordWire}). */
public sealed interface CoordMessage {
    /** The sender's sequence number: only increasing values are accepted. */
    long sequence();

    /** The NAT mapping behaviour the message reports (its sender's, or the introduced spoke's). */
    MappingBehaviour mapping();

    /**
     * Spoke to hub: this spoke is a Warren gateway and takes part in hole punching; {@code mapping}
     * is how its NAT maps (from STUN), so that the hub can tell other spokes.
     */
    record Hello(long sequence, MappingBehaviour mapping) implements CoordMessage {
        public Hello {
            mapping = mapping == null ? MappingBehaviour.UNKNOWN : mapping;
        }

        /** Without STUN: mapping unknown. */
        public Hello(long sequence) {
            this(sequence, MappingBehaviour.UNKNOWN);
        }
    }

    /**
     * Hub to spoke: another spoke, where the hub sees it (its NAT mapping towards the hub) and the
     * prefixes behind it, and how its NAT maps (as its HELLO said).
     */
    record Introduce(long sequence, UapiKey peer, InetSocketAddress endpoint, List<AllowedIp> prefixes,
                     MappingBehaviour mapping) implements CoordMessage {
        public Introduce {
            prefixes = List.copyOf(prefixes);
            mapping = mapping == null ? MappingBehaviour.UNKNOWN : mapping;
        }

        /** With the introduced spoke's mapping unknown. */
        public Introduce(long sequence, UapiKey peer, InetSocketAddress endpoint, List<AllowedIp> prefixes) {
            this(sequence, peer, endpoint, prefixes, MappingBehaviour.UNKNOWN);
        }
    }
}
