package io.warren.tun;

/**
 * The few Linux errno values ({@code asm-generic/errno-base.h}, {@code errno.h}) this layer names in
 * messages, with the text of {@code strerror(3)}; unknown values print as {@code errno N}.
 */
public enum Errno {
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
    ENOTTY(25, "Inappropriate ioctl for device"),
    ENOSPC(28, "No space left on device"),
    ERANGE(34, "Numerical result out of range"),
    ENAMETOOLONG(36, "File name too long"),
    EPROTO(71, "Protocol error"),
    EBADFD(77, "File descriptor in bad state"),
    ENOTSOCK(88, "Socket operation on non-socket"),
    EMSGSIZE(90, "Message too long"),
    ENOPROTOOPT(92, "Protocol not available"),
    EPROTONOSUPPORT(93, "Protocol not supported"),
    EOPNOTSUPP(95, "Operation not supported"),
    EAFNOSUPPORT(97, "Address family not supported by protocol"),
    EADDRINUSE(98, "Address already in use"),
    EADDRNOTAVAIL(99, "Cannot assign requested address"),
    ENETDOWN(100, "Network is down"),
    ENETUNREACH(101, "Network is unreachable"),
    ENOBUFS(105, "No buffer space available"),
    ENOTCONN(107, "Transport endpoint is not connected"),
    ECONNREFUSED(111, "Connection refused"),
    EHOSTUNREACH(113, "No route to host");

    private static final Errno[] BY_NUMBER = new Errno[128];

    static {
        for (Errno e : values()) {
            BY_NUMBER[e.number] = e;
        }
    }

    private final int number;
    private final String description;

    Errno(int number, String description) {
        this.number = number;
        this.description = description;
    }

    /** The numeric value on Linux. */
    public int number() {
        return number;
    }

    /** The {@code strerror(3)} text. */
    public String description() {
        return description;
    }

    /** The named value, or {@code null} when this table does not know it. */
    public static Errno valueOf(int number) {
        return number > 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }

    /** "EPERM", or "errno 200" for an unknown value. */
    public static String name(int number) {
        Errno e = valueOf(number);
        return e == null ? "errno " + number : e.name();
    }

    /** "Operation not permitted (EPERM)", or "errno 200" for an unknown value. */
    public static String describe(int number) {
        Errno e = valueOf(number);
        return e == null ? "errno " + number : e.description + " (" + e.name() + ")";
    }
}
