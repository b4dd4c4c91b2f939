/**
 * VXLAN encapsulation (RFC 7348): the 8-byte VXLAN header carried in UDP to port 4789, and the
 * flow hash that picks the outer UDP source port (RFC 7348 §5).
 *
 * <p><b>Threading:</b> {@link io.warren.gateway.encap.vxlan.VxlanCodec} is stateless,
 * {@link io.warren.gateway.encap.vxlan.VxlanHeader} immutable and
 * {@link io.warren.gateway.encap.vxlan.FlowHash} immutable after construction; all may be shared
 * across threads. Decoding allocates nothing when the caller passes its own reusable
 * {@link io.warren.gateway.encap.vxlan.VxlanDecodeResult.Decoded} (confined to its thread).
 *
 * <p><b>Buffers:</b> the caller owns every {@link io.netty.buffer.ByteBuf}. Decoding advances the
 * readerIndex past the VXLAN header on success (the inner Ethernet frame then starts at the
 * readerIndex) and leaves it untouched on a drop; {@code prepend} writes into headroom before the
 * readerIndex and moves it back; nothing here releases a buffer.
 */
package io.warren.gateway.encap.vxlan;
