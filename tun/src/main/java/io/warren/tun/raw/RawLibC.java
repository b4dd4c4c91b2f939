package io.warren.tun.raw;

import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.u_int64_t;

/**
 * The libc socket calls of {@link RawSocket}, bound with jnr-ffi. Every buffer, socket address and
 * length pointer is a raw address ({@code long}) so the per-packet calls stay on jffi's
 * all-primitive fast path. Public only because jnr-ffi generates the implementation in another
 * class loader; not API.
 */
public interface RawLibC {
    int socket(int domain, int type, int protocol);

    int bind(int fd, @intptr_t long addr, int addrlen);

    int connect(int fd, @intptr_t long addr, int addrlen);

    int setsockopt(int fd, int level, int optname, @intptr_t long optval, int optlen);

    int getsockopt(int fd, int level, int optname, @intptr_t long optval, @intptr_t long optlen);

    /*
     * sendmsg/recvmsg rather than sendto/recvfrom: jnr-ffi 2.3.7 passed garbage in the sixth
     * argument of a six-argument call here (seen with strace) and crashed on return, so every call
     * in this binding has at most five arguments.
     */
    @ssize_t
    long sendmsg(int fd, @intptr_t long msg, int flags);

    @ssize_t
    long recvmsg(int fd, @intptr_t long msg, int flags);

    /** sendmmsg(2): four arguments, a {@code struct mmsghdr} array ({@link RawBatch}). */
    int sendmmsg(int fd, @intptr_t long msgvec, int vlen, int flags);

    /** recvmmsg(2): five arguments (timeout: a {@code struct timespec *}, 0 for none). */
    int recvmmsg(int fd, @intptr_t long msgvec, int vlen, int flags, @intptr_t long timeout);

    int poll(@intptr_t long fds, @u_int64_t long nfds, int timeoutMillis);

    int shutdown(int fd, int how);

    int close(int fd);
}
