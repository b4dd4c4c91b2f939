/**
 * Sending UDP datagrams with {@code sendmsg(2)} on a socket someone else owns (Netty's epoll
 * channel), straight from the thread that produced them: no hand-off to an event loop, no copy from
 * a direct buffer, no allocation per datagram. {@link io.warren.tun.udp.UdpSendSocket#sendSegmented}
 * hands a run of equal-sized datagrams to the kernel in one call (UDP GSO, {@code UDP_SEGMENT}).
 *
 * <p>The socket's lifecycle (bind, receive, close) stays with its owner; this package only writes
 * to its file descriptor. Threading: {@link io.warren.tun.udp.UdpSendSocket#send} may be called
 * from several threads at once (per-thread scratch memory; the kernel serialises the sends).
 * Buffers: the caller keeps ownership; the datagram is fully handed to the kernel when
 * {@code send} returns.
 */
package io.warren.tun.udp;
