package io.warren.gateway.encap.vxlan;

/** Outcome of {@link VxlanCodec#decode}. */
public sealed interface VxlanDecodeResult {

    /** A valid header; the readerIndex now points at the inner Ethernet frame. */
    record Decoded(VxlanHeader header) implements VxlanDecodeResult {
    }

    /** The packet must be discarded; the buffer's indices are unchanged. */
    record Dropped(VxlanDropReason reason) implements VxlanDecodeResult {
    }
}
