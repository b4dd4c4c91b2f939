/**
 * GRE encapsulation: the header of RFC 2784 with the Key and Sequence Number extensions of
 * RFC 2890, optionally carried in UDP (GRE-in-UDP, RFC 8086), and the receive-side sequence
 * check of RFC 2890 §2.2.
 *
 * <p><b>Threading:</b> {@link io.warren.gateway.encap.gre.GreCodec} is stateless and
 * {@link io.warren.gateway.encap.gre.GreHeader} immutable, so both are shared freely;
 * {@link io.warren.gateway.encap.gre.GreSequence} holds per-tunnel receive state and is confined
 * to the data-path thread that owns the tunnel. Decoding allocates nothing when the caller passes
 * its own reusable {@link io.warren.gateway.encap.gre.GreDecodeResult.Decoded} (confined like the
 * sequence state); drops are shared constants.
 *
 * <p><b>Buffers:</b> the caller owns every {@link io.netty.buffer.ByteBuf}. Decoding advances the
 * readerIndex past the GRE header on success and leaves it untouched on a drop; it never releases.
 * {@code prepend} writes the header into headroom before the readerIndex and moves the readerIndex
 * back; {@code encode} appends header and payload to an output buffer.
 */
package io.warren.gateway.encap.gre;
