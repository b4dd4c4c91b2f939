package io.warren.tun.link;

/**
 * Linux errno values that rtnetlink answers with (asm-generic/errno-base.h, errno.h), with the text of
 * {@code strerror(3)}, so errors read "Invalid argument (EINVAL)". Unknown values print as
 * "errno N".
 */
enum NetlinkErrno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    ESRCH(3, "No such process"),
    EINTR(4, "Interrupted system call"),
    EIO(5, "Input/output error"),
    ENXIO(6, "No such device or address"),
    E2BIG(7, "Argument list too long"),
    EBADF(9, "Bad file descriptor"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EFAULT(14, "Bad address"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    ENODEV(19, "No such device"),
    EINVAL(22, "Invalid argument"),
    ENFILE(23, "Too many open files in system"),
    EMFILE(24, "Too many open files"),
    ENOSPC(28, "No space left on device"),
    ERANGE(34, "Numerical result out of range"),
    ENAMETOOLONG(36, "File name too long"),
    EPROTO(71, "Protocol error"),
    EMSGSIZE(90, "Message too long"),
    EPROTONOSUPPORT(93, "Protocol not supported"),
    EOPNOTSUPP(95, "Operation not supported"),
    EAFNOSUPPORT(97, "Address family not supported by protocol"),
    EADDRINUSE(98, "Address already in use"),
    EADDRNOTAVAIL(99, "Cannot assign requested address"),
    ENETDOWN(100, "Network is down"),
    ENETUNREACH(101, "Network is unreachable"),
    ENOBUFS(105, "No buffer space available"),
    EHOSTUNREACH(113, "No route to host");

    private static final NetlinkErrno[] BY_NUMBER = new NetlinkErrno[128];

    static {
        for (NetlinkErrno e : values()) {
            BY_NUMBER[e.number] = e;
        }
    }

    private final int number;
    private final String text;

    NetlinkErrno(int number, String text) {
        this.number = number;
        this.text = text;
    }

    int number() {
        return number;
    }

    /** @return e.g. "EINVAL", or "errno 200" when unknown */
    static String name(int errno) {
        NetlinkErrno e = errno > 0 && errno < BY_NUMBER.length ? BY_NUMBER[errno] : null;
        return e == null ? "errno " + errno : e.name();
    }

    /** @return e.g. "Invalid argument (EINVAL)", or "errno 200" when unknown */
    static String describe(int errno) {
        NetlinkErrno e = errno > 0 && errno < BY_NUMBER.length ? BY_NUMBER[errno] : null;
        return e == null ? "errno " + errno : e.text + " (" + e.name() + ")";
    }
}
