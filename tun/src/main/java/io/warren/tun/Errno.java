package io.warren.tun;

/**
 * The few Linux errno values ({@code asm-generic/errno-base.h}, {@code errno.h}) this layer names in
 * messages, with the text of {@code strerror(3)}; unknown values print as {@code errno N}.
 */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    EINTR(4, "Interrupted system call"),
    EIO(5, "Input/output error"),
    ENXIO(6, "No such device or address"),
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
    EMSGSIZE(90, "Message too long"),
    EOPNOTSUPP(95, "Operation not supported"),
    ENOBUFS(105, "No buffer space available"),
    EBADFD(77, "File descriptor in bad state");

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

    /** "Operation not permitted (EPERM)", or "errno 200" for an unknown value. */
    public static String describe(int number) {
        Errno e = valueOf(number);
        return e == null ? "errno " + number : e.description + " (" + e.name() + ")";
    }
}
