package io.warren.gateway.tunnel.gre;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * What the shell must do after {@link GreTunnelCore#outbound} or {@link GreTunnelCore#inbound}.
 * Buffer rules: {@link Send} and {@link Deliver} reuse the caller's buffer (indices moved);
 * {@link SendAll} and {@link ReplyToTun} carry new buffers the shell must release.
 *
 * <p>Per packet nothing is allocated: each core keeps one {@link Send} (for {@code outbound}) and
 * one {@link Deliver} (for {@code inbound}) and returns it again for the next packet, and every
 * {@link Drop} is a shared constant ({@link Drop#of}). Act on a result before the next call of the
 * same direction. The rare results (fragments, ICMP errors) are new objects.
 */
public sealed interface GreResult {

    /**
     * Send the readable bytes of the caller's buffer (a GRE packet) to the remote endpoint. Reused
     * by its core: valid until the core's next {@code outbound}.
     */
    final class Send implements GreResult {
        private ByteBuf gre;

        Send set(ByteBuf packet) {
            this.gre = packet;
            return this;
        }

        /** The GRE packet: the caller's buffer, readerIndex at the GRE header. */
        public ByteBuf gre() {
            return gre;
        }

        @Override
        public String toString() {
            return "Send[" + gre + "]";
        }
    }

    /** Send each GRE packet (fragments of one inner packet); the shell releases them. */
    record SendAll(List<ByteBuf> gre) implements GreResult {
    }

    /** Write this packet (an ICMP error to the inner sender) into the TUN device; the shell releases it. */
    record ReplyToTun(ByteBuf packet) implements GreResult {
    }

    /**
     * Write the readable bytes of the caller's buffer (the inner packet) into the TUN device.
     * Reused by its core: valid until the core's next {@code inbound}.
     */
    final class Deliver implements GreResult {
        private ByteBuf inner;

        Deliver set(ByteBuf packet) {
            this.inner = packet;
            return this;
        }

        /** The inner packet: the caller's buffer, readerIndex at the inner IP header. */
        public ByteBuf inner() {
            return inner;
        }

        @Override
        public String toString() {
            return "Deliver[" + inner + "]";
        }
    }

    /** Discarded and counted. */
    record Drop(GreDrop reason) implements GreResult {
        private static final Drop[] ALL = new Drop[GreDrop.values().length];

        static {
            for (GreDrop d : GreDrop.values()) {
                ALL[d.ordinal()] = new Drop(d);
            }
        }

        /** The shared instance for {@code reason}. */
        public static Drop of(GreDrop reason) {
            return ALL[reason.ordinal()];
        }
    }
}
