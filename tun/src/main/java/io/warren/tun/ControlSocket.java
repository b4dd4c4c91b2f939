package io.warren.tun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * An {@code AF_INET} datagram socket used only for interface ioctls ({@code SIOCGIFMTU}). It is
 * opened together with the device, on the same thread, so it lives in the device's network
 * namespace even if {@link #mtu} is later called from a thread in another namespace.
 */
final class ControlSocket {
    private final int fd;
    private final NativeHandle handle;

    private ControlSocket(int fd) {
        this.fd = fd;
        this.handle = new NativeHandle(() -> Native.LIBC.close(fd));
    }

    static ControlSocket open(String deviceName) throws TunException {
        int fd = Native.LIBC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            int errno = Native.errno();
            throw TunException.of("cannot open control socket for " + deviceName, errno, null);
        }
        return new ControlSocket(fd);
    }

    /** {@code SIOCGIFMTU} for the named interface. */
    int mtu(String deviceName) throws IOException {
        handle.acquire();
        try {
            Pointer ifreq = Memory.allocateDirect(Native.RUNTIME, IfTun.IFREQ_SIZE, true);
            putName(ifreq, deviceName);
            if (Native.LIBC.ioctl(fd, IfTun.SIOCGIFMTU, ifreq) < 0) {
                int errno = Native.errno();
                throw TunException.of("cannot read MTU of " + deviceName, errno, null);
            }
            return ifreq.getInt(IfTun.IFREQ_UNION_OFFSET);
        } finally {
            handle.release();
        }
    }

    void close() {
        handle.close(() -> { });
    }

    /** Writes {@code ifr_name} (NUL-terminated, at most 15 bytes) at offset 0. */
    static void putName(Pointer ifreq, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        ifreq.put(0, bytes, 0, Math.min(bytes.length, IfTun.IFNAMSIZ - 1));
        ifreq.putByte(Math.min(bytes.length, IfTun.IFNAMSIZ - 1), (byte) 0);
    }

    /** Reads {@code ifr_name} at offset 0. */
    static String getName(Pointer ifreq) {
        byte[] bytes = new byte[IfTun.IFNAMSIZ];
        ifreq.get(0, bytes, 0, bytes.length);
        int len = 0;
        while (len < bytes.length && bytes[len] != 0) {
            len++;
        }
        return new String(bytes, 0, len, StandardCharsets.US_ASCII);
    }
}
