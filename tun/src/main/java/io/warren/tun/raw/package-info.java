/**
 * Raw IP sockets through jnr-ffi: {@link io.warren.tun.raw.RawSocket} sends and receives the
 * payload of one IP protocol (GRE 47, L2TPv3 115) with the kernel building the IP header, as raw(7)
 * describes: on AF_INET a received packet includes its IPv4 header, on AF_INET6 it does not.
 *
 * <p>Errors are {@link io.warren.tun.raw.RawSocketException}s naming the operation and the errno.
 * The descriptor is closed on every path: a failed {@code socket()} leaves nothing open, and
 * {@code close()} wakes a blocked receiver and frees the fd once no call is in flight.
 *
 * <p>Threading: one sender and one receiver thread may use a socket at the same time; per-thread
 * scratch memory holds socket addresses. Buffers: the caller's direct ByteBuffers, never kept.
 */
package io.warren.tun.raw;
