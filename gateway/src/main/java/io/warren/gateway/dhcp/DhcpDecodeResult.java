package io.warren.gateway.dhcp;

/** Outcome of {@link DhcpCodec#decode}. */
public sealed interface DhcpDecodeResult {

    /** A well-formed message. */
    record Decoded(DhcpMessage message) implements DhcpDecodeResult {
    }

    /** The datagram must be discarded and counted. */
    record Dropped(DhcpDropReason reason) implements DhcpDecodeResult {
    }
}
