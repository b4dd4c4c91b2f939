package io.warren.gateway.nat;

/** What {@link StunCodec#decode} makes of a datagram: a message, or why it was dropped. */
public sealed interface StunDecodeResult {
    /** A well-formed message. */
    record Decoded(StunMessage message) implements StunDecodeResult {
    }

    /** Not usable; counted under {@code reason}. */
    record Dropped(StunDropReason reason) implements StunDecodeResult {
    }
}
