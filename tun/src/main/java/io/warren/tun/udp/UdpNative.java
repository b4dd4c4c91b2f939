package io.warren.tun.udp;

import com.kenai.jffi.MemoryIO;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/** The libc binding and raw memory access shared by this package's sockets (loaded once). */
final class UdpNative {
    static final UdpLibC LIBC = LibraryLoader.create(UdpLibC.class).load("c");
    static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    static final MemoryIO MEMORY = MemoryIO.getInstance();

    private UdpNative() {
    }

    /** errno of the latest failed call on this thread. */
    static int errno() {
        return RUNTIME.getLastError();
    }
}
