/**
 * Raw IP sockets through jnr-ffi: {@link io.warren.tun.raw.RawSocket} sends and receives the
 * payload of one IP protocol (GRE 47, L2TPv3 115) with the kernel building the IP header, as raw(7)
 * describes: on AF_INET a received packet includes its IPv4 header, on AF_INET6 it does not.
 *
 * <p>Errors are {@link io.warren.tun.raw.RawSocketException}s naming the operation and the errno.
 * The descriptor is closed on every path: a failed {@code socket()} leaves nothing open, and
 * {@code close()} wakes a blocked receiver and frees the fd once no call is in flight.
 *
 * <p>Batches: {@link io.warren.tun.raw.RawBatch} holds the {@code struct mmsghdr} array of one
 * {@code sendmmsg(2)} / {@code recvmmsg(2)} (a raw socket has no segmentation offload, so this is the
 * fewest syscalls per packet it allows); every native call stays at five arguments or fewer (jnr-ffi
 * 2.3.7 passes garbage in a sixth).
 *
 * <p>Threading: one sender and one receiver thread may use a socket at the same time; per-thread
 * scratch memory holds socket addresses; a batch belongs to one thread. Buffers: the caller's direct
 * memory, referenced by a batch only until the call that sends or fills it returns.
 */
package io.warren.tun.raw;
