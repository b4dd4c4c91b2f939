package io.warren.gateway.encap.l2tpv3;

/** Outcome of {@link L2tpv3Codec#decode}. */
public sealed interface L2tpv3DecodeResult {

    /**
     * A data message for {@code session}; the readerIndex now points at the payload.
     *
     * @param hasSequence the default sublayer's S bit was set
     * @param sequence    its 24-bit Sequence Number, 0 if absent
     */
    record Decoded(L2tpv3Session session, boolean hasSequence, int sequence) implements L2tpv3DecodeResult {
    }

    /** The packet must be discarded; the buffer's indices are unchanged. */
    record Dropped(L2tpv3DropReason reason) implements L2tpv3DecodeResult {
    }
}
