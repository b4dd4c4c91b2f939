package io.warren.gateway.encap.vxlan;

/**
 * Outcome of {@link VxlanCodec#decode}. The data path allocates none of these per packet: it passes
 * its own {@link Decoded} to {@link VxlanCodec#decode(io.netty.buffer.ByteBuf, ReservedBits, Decoded)},
 * and every {@link Dropped} is a shared constant ({@link Dropped#of}).
 */
public sealed interface VxlanDecodeResult {

    /**
     * A valid header; the readerIndex now points at the inner Ethernet frame. Mutable and reused:
     * the fields are those of the latest datagram decoded into it. Confined to its owner's thread.
     */
    final class Decoded implements VxlanDecodeResult {
        private int word0;
        private int word1;

        void set(int first, int second) {
            this.word0 = first;
            this.word1 = second;
        }

        /** The 24-bit VXLAN Network Identifier. */
        public int vni() {
            return word1 >>> 8;
        }

        /** The header's fields as an immutable {@link VxlanHeader} (a new object: not for the data path). */
        public VxlanHeader header() {
            return new VxlanHeader(word0 >>> 24, word0 & 0xFFFFFF, word1 >>> 8, word1 & 0xFF);
        }

        @Override
        public String toString() {
            return "Decoded[" + header() + "]";
        }
    }

    /** The packet must be discarded; the buffer's indices are unchanged. */
    record Dropped(VxlanDropReason reason) implements VxlanDecodeResult {
        private static final Dropped[] ALL = new Dropped[VxlanDropReason.values().length];

        static {
            for (VxlanDropReason r : VxlanDropReason.values()) {
                ALL[r.ordinal()] = new Dropped(r);
            }
        }

        /** The shared instance for {@code reason}. */
        public static Dropped of(VxlanDropReason reason) {
            return ALL[reason.ordinal()];
        }
    }
}
