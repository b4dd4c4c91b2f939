package io.warren.gateway.nat;

/** What {@link CoordCodec#decode} makes of an inner packet. */
public sealed interface CoordDecodeResult {
    /** Not addressed to the coordination port: an ordinary packet for the TUN. */
    record NotCoordination() implements CoordDecodeResult {
    }

    /** A coordination message. */
    record Decoded(CoordMessage message) implements CoordDecodeResult {
    }

    /** For the coordination port, but unusable (counted). */
    record Malformed() implements CoordDecodeResult {
    }
}
