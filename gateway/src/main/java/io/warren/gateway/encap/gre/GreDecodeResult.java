package io.warren.gateway.encap.gre;

/**
 * Outcome of {@link GreCodec#decode}. The data path allocates none of these per packet: it passes
 * its own {@link Decoded} to {@link GreCodec#decode(io.netty.buffer.ByteBuf, Decoded)}, which
 * fills it in, and every {@link Dropped} is a shared constant ({@link Dropped#of}).
 */
public sealed interface GreDecodeResult {

    /**
     * A valid header; the buffer's readerIndex now points at the payload. Mutable and reused: the
     * fields hold the latest packet decoded into it, valid until the next decode. Confined to the
     * thread that owns it.
     */
    final class Decoded implements GreDecodeResult {
        private boolean checksumPresent;
        private int checksum;
        private boolean keyPresent;
        private int key;
        private boolean sequencePresent;
        private int sequence;
        private int protocolType;

        void set(boolean c, int checksumValue, boolean k, int keyValue, boolean s, int sequenceValue, int protocol) {
            this.checksumPresent = c;
            this.checksum = checksumValue;
            this.keyPresent = k;
            this.key = keyValue;
            this.sequencePresent = s;
            this.sequence = sequenceValue;
            this.protocolType = protocol;
        }

        public boolean checksumPresent() {
            return checksumPresent;
        }

        public boolean keyPresent() {
            return keyPresent;
        }

        /** The Key field, 0 when absent (RFC 2890 §2.1). */
        public int key() {
            return key;
        }

        public boolean sequencePresent() {
            return sequencePresent;
        }

        /** The Sequence Number, 0 when absent (RFC 2890 §2.2). */
        public int sequence() {
            return sequence;
        }

        /** The payload's EtherType (RFC 2784 §2.4). */
        public int protocolType() {
            return protocolType;
        }

        /** The fields as an immutable header (a new object: for tests and logs, not the data path). */
        public GreHeader header() {
            return new GreHeader(checksumPresent, checksum, keyPresent, key, sequencePresent, sequence, protocolType);
        }

        @Override
        public String toString() {
            return "Decoded[" + header() + "]";
        }
    }

    /** The packet must be discarded; the buffer's indices are unchanged. */
    record Dropped(GreDropReason reason) implements GreDecodeResult {
        private static final Dropped[] ALL = new Dropped[GreDropReason.values().length];

        static {
            for (GreDropReason r : GreDropReason.values()) {
                ALL[r.ordinal()] = new Dropped(r);
            }
        }

        /** The shared instance for {@code reason}. */
        public static Dropped of(GreDropReason reason) {
            return ALL[reason.ordinal()];
        }
    }
}
