package io.warren.gateway.encap.l2tpv3;

/**
 * Outcome of {@link L2tpv3Codec#decode}. The data path allocates none of these per packet: it
 * passes its own {@link Decoded} to {@link L2tpv3Codec#decode(io.netty.buffer.ByteBuf, L2tpv3Encap,
 * java.util.function.IntFunction, Decoded)}, and every {@link Dropped} is a shared constant
 * ({@link Dropped#of}).
 */
public sealed interface L2tpv3DecodeResult {

    /**
     * A data message for {@link #session()}; the readerIndex now points at the payload. Mutable and
     * reused: it describes the latest packet decoded into it. Confined to its owner's thread.
     */
    final class Decoded implements L2tpv3DecodeResult {
        private L2tpv3Session session;
        private boolean hasSequence;
        private int sequence;

        void set(L2tpv3Session s, boolean withSequence, int sequenceNumber) {
            this.session = s;
            this.hasSequence = withSequence;
            this.sequence = sequenceNumber;
        }

        public L2tpv3Session session() {
            return session;
        }

        /** The default sublayer's S bit was set. */
        public boolean hasSequence() {
            return hasSequence;
        }

        /** Its 24-bit Sequence Number, 0 if absent. */
        public int sequence() {
            return sequence;
        }

        @Override
        public String toString() {
            return "Decoded[session=" + session + ", hasSequence=" + hasSequence + ", sequence=" + sequence + "]";
        }
    }

    /** The packet must be discarded; the buffer's indices are unchanged. */
    record Dropped(L2tpv3DropReason reason) implements L2tpv3DecodeResult {
        private static final Dropped[] ALL = new Dropped[L2tpv3DropReason.values().length];

        static {
            for (L2tpv3DropReason r : L2tpv3DropReason.values()) {
                ALL[r.ordinal()] = new Dropped(r);
            }
        }

        /** The shared instance for {@code reason}. */
        public static Dropped of(L2tpv3DropReason reason) {
            return ALL[reason.ordinal()];
        }
    }
}
