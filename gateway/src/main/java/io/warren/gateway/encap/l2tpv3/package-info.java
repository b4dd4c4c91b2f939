/**
 * L2TPv3 data messages (RFC 3931 §4.1) for static, unmanaged sessions as Linux configures them
 * with {@code ip l2tp add tunnel/session}: over IP (protocol 115) or UDP (port 1701), with a 0, 4
 * or 8 byte cookie and either no L2-Specific Sublayer or the default one (RFC 3931 §4.6) carrying
 * optional sequence numbers. No control connection (no L2TPv3 control messages) is implemented.
 *
 * <p><b>Threading:</b> {@link io.warren.gateway.encap.l2tpv3.L2tpv3Codec} is stateless and
 * {@link io.warren.gateway.encap.l2tpv3.L2tpv3Session} immutable; the per-session
 * {@link io.warren.gateway.encap.l2tpv3.L2tpv3Sequence} state is confined to the data-path thread
 * that owns the session, and so is the reusable
 * {@link io.warren.gateway.encap.l2tpv3.L2tpv3DecodeResult.Decoded} a caller passes to decode
 * without allocating.
 *
 * <p><b>Buffers:</b> the caller owns every {@link io.netty.buffer.ByteBuf}. Decoding advances the
 * readerIndex to the payload (the Ethernet frame) on success and leaves it untouched on a drop;
 * {@code prepend} writes the header into headroom before the readerIndex and moves it back;
 * nothing here releases a buffer.
 */
package io.warren.gateway.encap.l2tpv3;
