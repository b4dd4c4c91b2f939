package io.warren.gateway.cli;

/** The daemon could not be reached, or refused a request. The message is shown to the admin as is. */
public final class ControlException extends Exception {
    private static final long serialVersionUID = 1L;

    public ControlException(String message) {
        super(message);
    }

    public ControlException(String message, Throwable cause) {
        super(message, cause);
    }
}
