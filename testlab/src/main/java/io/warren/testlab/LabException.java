package io.warren.testlab;

import java.util.List;

/**
 * A lab operation failed: a command exited non-zero, timed out, or a namespace could not be entered.
 * The message names the command line, exit code and captured output, so a failing test explains itself.
 */
public final class LabException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed, with enough context to act on */
    public LabException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause   the underlying failure
     */
    public LabException(String message, Throwable cause) {
        super(message, cause);
    }

    static LabException commandFailed(List<String> argv, ExecResult r) {
        return new LabException("command failed (exit " + r.exitCode() + "): " + String.join(" ", argv)
                + "\n--- stdout ---\n" + r.stdout() + "\n--- stderr ---\n" + r.stderr());
    }
}
