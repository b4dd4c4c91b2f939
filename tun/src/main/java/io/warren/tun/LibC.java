package io.warren.tun;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Variadic;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.u_int64_t;

/**
 * The libc calls this layer makes, bound with jnr-ffi. Buffers are passed as raw addresses
 * ({@code long}) so the per-packet calls stay on jffi's all-primitive fast path with no marshalling.
 * Public only because jnr-ffi generates its implementation in another class loader; not API.
 */
public interface LibC {
    int O_RDWR = 0x2;
    int O_NONBLOCK = 0x800;
    int O_CLOEXEC = 0x80000;
    int EFD_NONBLOCK = 0x800;
    int EFD_CLOEXEC = 0x80000;
    int AF_INET = 2;
    int SOCK_DGRAM = 2;
    int SOCK_CLOEXEC = 0x80000;
    short POLLIN = 0x1;
    short POLLOUT = 0x4;

    int open(String path, int flags);

    int close(int fd);

    @ssize_t long read(int fd, @intptr_t long buf, @size_t long count);

    @ssize_t long readv(int fd, @intptr_t long iov, int iovcnt);

    @ssize_t long write(int fd, @intptr_t long buf, @size_t long count);

    @Variadic(fixedCount = 2)
    int ioctl(int fd, @u_int64_t long request, Pointer arg);

    @Variadic(fixedCount = 2)
    int ioctl(int fd, @u_int64_t long request, @u_int64_t long arg);

    int poll(Pointer fds, @u_int64_t long nfds, int timeoutMillis);

    int eventfd(int initval, int flags);

    int socket(int domain, int type, int protocol);
}
