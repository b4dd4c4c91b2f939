package io.warren.tun.link;

import io.warren.tun.Errno;

/**
 * A link configuration request failed. The message names the operation, the device and the errno, e.g.
 * {@code cannot set MTU 9000 on wt0: Invalid argument (EINVAL)}.
 */
public final class LinkConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * @param message full description (operation, device, errno text)
     * @param errno   the positive errno, or 0 when the failure was not an errno (malformed reply)
     */
    public LinkConfigException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** @return the positive errno, or 0 when none */
    public int errno() {
        return errno;
    }

    /** @return the errno's symbolic name, e.g. {@code "EINVAL"}, or {@code "errno N"} when unknown */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** Builds the exception for a failed request: {@code what + ": " + strerror + " (NAME)"}. */
    static LinkConfigException of(String what, int errno, String extAck) {
        String detail = extAck == null || extAck.isEmpty() ? "" : " [kernel: " + extAck + "]";
        return new LinkConfigException(what + ": " + Errno.describe(errno) + detail, errno);
    }
}
