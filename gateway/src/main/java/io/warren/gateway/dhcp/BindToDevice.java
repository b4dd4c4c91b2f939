package io.warren.gateway.dhcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import jnr.ffi.LibraryLoader;

/**
 * {@code SO_BINDTODEVICE} (socket(7)) on a socket fd: the socket then receives only what arrives on
 * that interface and sends out of it, which is how several servers share port 67 (one socket per
 * interface, as dnsmasq's {@code --bind-interfaces}) and how a limited broadcast leaves the right
 * interface. Needs CAP_NET_RAW.
 */
final class BindToDevice {

    private static final int SOL_SOCKET = 1;
    private static final int SO_BINDTODEVICE = 25;
    private static final int IFNAMSIZ = 16;

    private BindToDevice() {
    }

    private static final class Holder {
        static final DhcpLibC LIBC = LibraryLoader.create(DhcpLibC.class).load("c");
    }

    static void apply(int fd, String ifname) throws IOException {
        byte[] name = ifname.getBytes(StandardCharsets.US_ASCII);
        if (name.length >= IFNAMSIZ) {
            throw new IOException("interface name too long: " + ifname);
        }
        byte[] opt = Arrays.copyOf(name, name.length + 1);
        if (Holder.LIBC.setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, opt, opt.length) != 0) {
            int errno = jnr.ffi.Runtime.getRuntime(Holder.LIBC).getLastError();
            throw new IOException("setsockopt(SO_BINDTODEVICE, " + ifname + "): " + Holder.LIBC.strerror(errno)
                    + " (errno " + errno + ")");
        }
    }
}
