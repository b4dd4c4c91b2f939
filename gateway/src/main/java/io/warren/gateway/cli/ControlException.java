package io.warren.gateway.cli;

/**
 * The daemon could not be reached, or refused a request. The message is shown to the admin as is;
 * {@link #exitCode()} is what the command exits with (default {@link ExitCodes#UNAVAILABLE}; a
 * refused reload or client is {@link ExitCodes#INVALID}).
 */
public final class ControlException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public ControlException(String message) {
        this(message, ExitCodes.UNAVAILABLE);
    }

    public ControlException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public ControlException(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = ExitCodes.UNAVAILABLE;
    }

    /** The process exit code for this failure. */
    public int exitCode() {
        return exitCode;
    }
}
