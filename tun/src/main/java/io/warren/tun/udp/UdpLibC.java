package io.warren.tun.udp;

import jnr.ffi.types.ssize_t;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.u_int64_t;

/** The libc calls this package uses (x86_64 Linux). */
public interface UdpLibC {
    int AF_INET = 2;
    int AF_INET6 = 10;
    int MSG_DONTWAIT = 0x40;
    int EAGAIN = 11;
    int EINTR = 4;
    int EIO = 5;
    int EINVAL = 22;
    /** SOL_UDP and UDP_SEGMENT (linux/udp.h): the GSO segment size, a u16 control message. */
    int SOL_UDP = 17;
    int UDP_SEGMENT = 103;
    short POLLOUT = 0x4;

    /**
     * sendmsg(2). (sendto(2) is not used: jnr-ffi 2.3.7 passes a garbage sixth argument on this
     * machine's fast path — seen with strace — while three-argument calls are sound.)
     */
    @ssize_t long sendmsg(int fd, @intptr_t long msghdr, int flags);

    int poll(@intptr_t long fds, @u_int64_t long nfds, int timeoutMillis);
}
