package io.warren.gateway.l2;

import io.netty.buffer.ByteBuf;

/**
 * The overlay header of one segment, sans-I/O: writes it before frames going out and checks and
 * removes it from datagrams coming in. {@link VxlanEncapsulation} and {@link L2tpv3Encapsulation}.
 * Called under the tunnel's lock (the L2TPv3 sequence state is not thread-safe).
 */
public interface Encapsulation {

    /** Bytes of overlay header before each frame (outer UDP/IP headers excluded). */
    int headerLength();

    /**
     * Writes the header of the next frame into the {@link #headerLength()} bytes of headroom before
     * the readerIndex of {@code frame} and moves the readerIndex back to it.
     */
    void prepend(ByteBuf frame);

    /**
     * Checks the overlay header at the readerIndex of {@code datagram} (the UDP payload, or the IP
     * payload for L2TPv3 over IP). On {@link Accepted} the readerIndex is at the inner Ethernet frame;
     * on {@link Rejected} it is unchanged. Never throws on input.
     */
    Result decapsulate(ByteBuf datagram);

    /** Outcome of {@link #decapsulate}. */
    sealed interface Result permits Accepted, Rejected {
    }

    /** The frame follows at the readerIndex. */
    final class Accepted implements Result {
        /** The one instance. */
        public static final Accepted INSTANCE = new Accepted();

        private Accepted() {
        }
    }

    /**
     * Discard; {@code reason} is the drop counter's name, e.g. {@code "vxlan_i_flag_not_set"}.
     *
     * @param reason lower-case counter name
     */
    record Rejected(String reason) implements Result {
    }
}
