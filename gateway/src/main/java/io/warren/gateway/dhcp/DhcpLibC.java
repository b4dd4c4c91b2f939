package io.warren.gateway.dhcp;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;

/**
 * The one libc call the shell needs beyond Netty: {@code setsockopt(SO_BINDTODEVICE)}. Public only
 * because jnr-ffi generates the implementation in another class loader; not API.
 */
public interface DhcpLibC {
    @SaveError
    int setsockopt(int fd, int level, int optname, @In byte[] optval, int optlen);

    String strerror(int errnum);
}
