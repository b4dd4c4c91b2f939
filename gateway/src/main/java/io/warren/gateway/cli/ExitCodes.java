package io.warren.gateway.cli;

/**
 * Process exit codes of {@code warren}, shown in {@code warren --help}.
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** The config (or a key read from stdin) is invalid; the messages say where and why. */
    public static final int INVALID = 1;
    /** Bad command line (unknown option, missing argument); picocli's default. */
    public static final int USAGE = 2;
    /** The daemon's control socket could not be reached (daemon not running, or no permission). */
    public static final int UNAVAILABLE = 3;
    /** Reading input failed (stdin, or the daemon's reply) or the daemon failed to start. */
    public static final int IO = 4;

    private ExitCodes() {
    }
}
