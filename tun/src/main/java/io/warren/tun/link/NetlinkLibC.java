package io.warren.tun.link;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc socket calls of {@link NetlinkSocket}, bound with jnr-ffi. Public only because jnr-ffi
 * generates the implementation in another class loader; not API.
 */
public interface NetlinkLibC {
    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    int bind(int fd, @In byte[] addr, int addrlen);

    @SaveError
    int setsockopt(int fd, int level, int optname, @In byte[] optval, int optlen);

    @SaveError
    @ssize_t
    long sendto(int fd, @In byte[] buf, @size_t long len, int flags, @In byte[] destAddr, int addrlen);

    @SaveError
    @ssize_t
    long recvfrom(int fd, @Out byte[] buf, @size_t long len, int flags, @Out byte[] srcAddr, IntByReference addrlen);

    int close(int fd);
}
