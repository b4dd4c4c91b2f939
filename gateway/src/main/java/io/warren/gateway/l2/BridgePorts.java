package io.warren.gateway.l2;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.Variadic;
import jnr.ffi.types.u_int64_t;
import java.nio.charset.StandardCharsets;

/**
 * Enslaves a device to a Linux bridge, like {@code ip link set DEV master BR}, with the bridge ioctl
 * {@code SIOCBRADDIF} ({@code net/bridge/br_ioctl.c}: {@code ifr_name} = bridge, {@code ifr_ifindex}
 * = port). The link configurator of the tun module has no "set master" request yet; this ioctl needs
 * only an AF_INET socket, opened in the calling thread's network namespace.
 */
final class BridgePorts {
    static final long SIOCBRADDIF = 0x89a2;
    static final long SIOCBRDELIF = 0x89a3;
    private static final int IFREQ_SIZE = 40;
    private static final int IFNAMSIZ = 16;
    private static final int IFREQ_UNION_OFFSET = 16;

    /** The libc calls used here; public only for jnr-ffi's generated class. */
    public interface Libc {
        int socket(int domain, int type, int protocol);

        int close(int fd);

        @Variadic(fixedCount = 2)
        int ioctl(int fd, @u_int64_t long request, Pointer arg);
    }

    private static final class Holder {
        static final Libc LIBC = LibraryLoader.create(Libc.class).load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }

    private BridgePorts() {
    }

    /** Makes interface {@code ifindex} a port of {@code bridge}. */
    static void add(String bridge, int ifindex) {
        call(SIOCBRADDIF, "add", bridge, ifindex);
    }

    /** Removes interface {@code ifindex} from {@code bridge}. */
    static void remove(String bridge, int ifindex) {
        call(SIOCBRDELIF, "remove", bridge, ifindex);
    }

    private static void call(long request, String what, String bridge, int ifindex) {
        byte[] name = bridge.getBytes(StandardCharsets.US_ASCII);
        if (name.length == 0 || name.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("bad bridge name: " + bridge);
        }
        Libc c = Holder.LIBC;
        int fd = c.socket(2 /* AF_INET */, 2 | 0x80000 /* SOCK_DGRAM | SOCK_CLOEXEC */, 0);
        if (fd < 0) {
            throw new IllegalStateException("cannot open a socket for bridge ioctl: errno " + Holder.RUNTIME.getLastError());
        }
        try {
            Pointer ifr = Memory.allocateDirect(Holder.RUNTIME, IFREQ_SIZE, true);
            ifr.put(0, name, 0, name.length);
            ifr.putInt(IFREQ_UNION_OFFSET, ifindex);
            if (c.ioctl(fd, request, ifr) < 0) {
                int errno = Holder.RUNTIME.getLastError();
                throw new IllegalStateException("cannot " + what + " interface #" + ifindex + " "
                        + (request == SIOCBRADDIF ? "to" : "from") + " bridge " + bridge + ": errno " + errno
                        + (errno == 19 ? " (no such bridge)" : ""));
            }
        } finally {
            c.close(fd);
        }
    }
}
