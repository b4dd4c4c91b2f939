package io.warren.gateway.tunnel.gre;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * What the shell must do after {@link GreTunnelCore#outbound} or {@link GreTunnelCore#inbound}.
 * Buffer rules: {@link Send} and {@link Deliver} reuse the caller's buffer (indices moved);
 * {@link SendAll} and {@link ReplyToTun} carry new buffers the shell must release.
 */
public sealed interface GreResult {

    /** Send the readable bytes of the caller's buffer (a GRE packet) to the remote endpoint. */
    record Send(ByteBuf gre) implements GreResult {
    }

    /** Send each GRE packet (fragments of one inner packet); the shell releases them. */
    record SendAll(List<ByteBuf> gre) implements GreResult {
    }

    /** Write this packet (an ICMP error to the inner sender) into the TUN device; the shell releases it. */
    record ReplyToTun(ByteBuf packet) implements GreResult {
    }

    /** Write the readable bytes of the caller's buffer (the inner packet) into the TUN device. */
    record Deliver(ByteBuf inner) implements GreResult {
    }

    /** Discarded and counted. */
    record Drop(GreDrop reason) implements GreResult {
    }
}
