package io.warren.tun.udp;

import jnr.ffi.types.ssize_t;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.u_int64_t;

/** The libc calls this package uses (x86_64 Linux). */
public interface UdpLibC {
    int AF_INET = 2;
    int AF_INET6 = 10;
    int MSG_DONTWAIT = 0x40;
    /** recvmmsg: block for the first datagram only, then take what is queued. */
    int MSG_WAITFORONE = 0x10000;
    /** SO_RCVTIMEO (x86_64/arm64 Linux): a struct timeval. */
    int SO_RCVTIMEO = 20;
    int EAGAIN = 11;
    int EINTR = 4;
    int EIO = 5;
    int EINVAL = 22;
    /** SOL_UDP and UDP_SEGMENT (linux/udp.h): the GSO segment size, a u16 control message. */
    int SOL_UDP = 17;
    int UDP_SEGMENT = 103;
    short POLLIN = 0x1;
    short POLLOUT = 0x4;
    int SOCK_DGRAM = 2;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SO_REUSEPORT = 15;
    int SO_SNDBUF = 7;
    int SO_RCVBUF = 8;
    int IPPROTO_IPV6 = 41;
    int IPV6_V6ONLY = 26;
    /** UDP_GRO (linux/udp.h): receive coalesced runs; the cmsg carries the segment size (an int). */
    int UDP_GRO = 104;
    int SHUT_RD = 0;
    int EAFNOSUPPORT = 97;
    /** msg_flags: the datagram was longer than the buffer / the control data did not fit. */
    int MSG_TRUNC = 0x20;
    int MSG_CTRUNC = 0x8;

    /**
     * sendmsg(2). (sendto(2) is not used: jnr-ffi 2.3.7 passes a garbage sixth argument on this
     * machine's fast path — seen with strace — while three-argument calls are sound.)
     */
    @ssize_t long sendmsg(int fd, @intptr_t long msghdr, int flags);

    /** sendmmsg(2): four arguments. */
    int sendmmsg(int fd, @intptr_t long msgvec, int vlen, int flags);

    int poll(@intptr_t long fds, @u_int64_t long nfds, int timeoutMillis);

    int socket(int domain, int type, int protocol);

    int bind(int fd, @intptr_t long addr, int addrlen);

    int getsockname(int fd, @intptr_t long addr, @intptr_t long addrlen);

    int setsockopt(int fd, int level, int optname, @intptr_t long optval, int optlen);

    int getsockopt(int fd, int level, int optname, @intptr_t long optval, @intptr_t long optlen);

    /** recvmmsg(2): five arguments (timeout: a {@code struct timespec *}, 0 for none). */
    int recvmmsg(int fd, @intptr_t long msgvec, int vlen, int flags, @intptr_t long timeout);

    int shutdown(int fd, int how);

    int close(int fd);
}
