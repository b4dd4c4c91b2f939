package io.warren.gateway.encap.gre;

/** Outcome of {@link GreCodec#decode}. */
public sealed interface GreDecodeResult {

    /** A valid header; the buffer's readerIndex now points at the payload. */
    record Decoded(GreHeader header) implements GreDecodeResult {
    }

    /** The packet must be discarded; the buffer's indices are unchanged. */
    record Dropped(GreDropReason reason) implements GreDecodeResult {
    }
}
