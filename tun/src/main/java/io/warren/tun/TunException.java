package io.warren.tun;

import java.io.IOException;

/**
 * A system call on a TUN/TAP device failed. The message names the operation, the device and the
 * errno (e.g. {@code cannot create TUN device wg-a: Operation not permitted (EPERM): needs
 * CAP_NET_ADMIN}); it never contains packet data.
 */
public final class TunException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public TunException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The Linux errno of the failed call. */
    public int errno() {
        return errno;
    }

    /** The named errno, or {@code null} when it is not in {@link Errno}. */
    public Errno errnoName() {
        return Errno.valueOf(errno);
    }

    /** "{@code what}: {@code strerror} ({@code NAME})[: hint]". */
    static TunException of(String what, int errno, String hint) {
        String text = what + ": " + Errno.describe(errno);
        return new TunException(hint == null ? text : text + ": " + hint, errno);
    }

    /** The hint for a failed {@code TUNSETIFF}, by errno. */
    static String setIffHint(int errno, TunMode mode) {
        Errno e = Errno.valueOf(errno);
        if (e == null) {
            return null;
        }
        return switch (e) {
            case EPERM, EACCES -> "needs CAP_NET_ADMIN";
            case EBUSY -> "the device exists and is already attached (persistent or single-queue in use)";
            case EINVAL -> "the name may belong to a device that is not a " + mode
                    + " device, or the flags are not supported";
            case ENOMEM, ENOBUFS -> "out of kernel memory";
            default -> null;
        };
    }

    /** The hint for a failed open of {@code /dev/net/tun}. */
    static String openHint(int errno) {
        Errno e = Errno.valueOf(errno);
        if (e == Errno.ENOENT || e == Errno.ENODEV || e == Errno.ENXIO) {
            return "is the tun module loaded (modprobe tun) and /dev/net/tun present?";
        }
        if (e == Errno.EACCES || e == Errno.EPERM) {
            return "needs read/write access to /dev/net/tun";
        }
        if (e == Errno.EMFILE || e == Errno.ENFILE) {
            return "file descriptor limit reached";
        }
        return null;
    }
}
