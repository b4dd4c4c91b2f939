/**
 * UDP for the data path, through {@code libc} (jnr-ffi, at most five arguments per call): a socket
 * of our own ({@link io.warren.tun.udp.UdpSocket}: bind, options, {@code UDP_GRO}, shutdown,
 * close), {@code sendmsg(2)} from the thread that produced a datagram
 * ({@link io.warren.tun.udp.UdpSendSocket}; {@link io.warren.tun.udp.UdpSendSocket#sendSegmented}
 * hands a run of equal-sized datagrams to the kernel in one call, UDP GSO, {@code UDP_SEGMENT}),
 * and {@code recvmmsg(2)} into a fixed ring ({@link io.warren.tun.udp.UdpReceiveBatch}) with the
 * source {@code sockaddr} and the control messages (the GRO segment size) read in place
 * ({@link io.warren.tun.udp.UdpWire}). A source is a holder of plain numbers
 * ({@link io.warren.tun.udp.UdpSource}) compared with a known {@link io.warren.tun.udp.UdpEndpoint}
 * without allocating; an {@link java.net.InetSocketAddress} is built only when asked for (a new
 * endpoint, a handshake, a STUN answer). Nothing here allocates per datagram.
 *
 * <p>Threading: {@link io.warren.tun.udp.UdpSendSocket#send} may be called from several threads at
 * once (per-thread scratch memory; the kernel serialises the sends). A
 * {@link io.warren.tun.udp.UdpReceiveBatch} and its {@link io.warren.tun.udp.UdpSource} belong to
 * one receiving thread; {@link io.warren.tun.udp.UdpSocket#shutdownInput} from another thread wakes
 * it, and the socket is closed once it has stopped. A {@link io.warren.tun.udp.UdpSendSocket} may
 * also write to a socket someone else owns (by file descriptor).
 *
 * <p>Buffers: a sender's caller keeps ownership; the datagram is fully handed to the kernel when
 * {@code send} returns. The receive ring owns its buffers: a received datagram (a view of its slot,
 * after the slot's headroom) is valid until the next {@code receive}, and may be changed in place
 * (decrypted) by its consumer.
 */
package io.warren.tun.udp;
