package io.warren.gateway.uapi;

/**
 * The errno values a UAPI reply carries, as wireguard-go's {@code ipc} package uses them. Replies
 * write them negated: {@code errno=-22}. Positive here, Linux x86-64 numbering.
 */
public final class UapiErrno {
    /** Success: {@code errno=0}. */
    public static final int OK = 0;
    /** I/O error (wireguard-go: failed to read input or write output). */
    public static final int EIO = 5;
    /** Invalid argument: a bad key, value or peer/device attribute. */
    public static final int EINVAL = 22;
    /** Unknown error (wireguard-go's {@code IpcErrorUnknown}, ENOANO). */
    public static final int ENOANO = 55;
    /** Protocol error: a line without {@code =}, or a request cut off by end of input. */
    public static final int EPROTO = 71;
    /** Message too long: a request line or a whole request over the limits. */
    public static final int EMSGSIZE = 90;
    /** Address in use: the device could not bind the requested listen port. */
    public static final int EADDRINUSE = 98;

    private UapiErrno() {
    }

    /** The reply trailer for a positive errno: {@code "errno=-22\n\n"}, or {@code "errno=0\n\n"}. */
    static String trailer(int errno) {
        return "errno=" + (errno == 0 ? "0" : "-" + errno) + "\n\n";
    }
}
