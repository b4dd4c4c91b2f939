package io.warren.tun.raw;

import io.warren.tun.Errno;
import java.io.IOException;

/**
 * A socket call failed. The message names the operation and the errno by name, e.g.
 * {@code cannot open raw IPv4 socket for protocol 47: Operation not permitted (EPERM): needs
 * CAP_NET_RAW}; it never contains packet data.
 */
public final class RawSocketException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public RawSocketException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The Linux errno of the failed call. */
    public int errno() {
        return errno;
    }

    /** The named errno, or {@code null} when {@link Errno} does not know it. */
    public Errno errnoName() {
        return Errno.valueOf(errno);
    }

    static RawSocketException of(String what, int errno) {
        String text = what + ": " + Errno.describe(errno);
        if (errno == Errno.EPERM.number() || errno == Errno.EACCES.number()) {
            text += ": needs CAP_NET_RAW";
        }
        return new RawSocketException(text, errno);
    }
}
