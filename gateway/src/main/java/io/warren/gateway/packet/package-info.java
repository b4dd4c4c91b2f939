/**
 * IP packet helpers for the data path: IPv4/IPv6 header accessors, the Internet checksum
 * (RFC 1071, incremental update RFC 1624), ICMP "too big" errors (RFC 1191, RFC 4443),
 * TCP MSS clamping, IPv4 fragmentation (RFC 791) and an ICMP rate limiter.
 *
 * <p><b>Threading:</b> every class here is either stateless (static methods) or, for
 * {@link io.warren.gateway.packet.IcmpRateLimiter}, confined to the one data-path thread that
 * owns it. Nothing reads a clock: time is passed in as {@code now} nanoseconds.
 *
 * <p><b>Buffers:</b> methods that inspect or rewrite a packet work in place on the caller's
 * {@link io.netty.buffer.ByteBuf} starting at its {@code readerIndex}, never change its indices
 * and never release it; the caller keeps ownership. Methods that build new packets
 * ({@link io.warren.gateway.packet.IcmpErrors}, {@link io.warren.gateway.packet.Ipv4Fragmenter})
 * allocate from the {@link io.netty.buffer.ByteBufAllocator} they are given and hand ownership of
 * the new buffers to the caller. Malformed input never throws: it yields a result or reason value.
 */
package io.warren.gateway.packet;
