package io.warren.testlab;

/**
 * The outcome of a finished command: its exit status and everything it wrote.
 *
 * @param exitCode the process exit status (0 = success)
 * @param stdout   standard output, decoded as UTF-8
 * @param stderr   standard error, decoded as UTF-8
 */
public record ExecResult(int exitCode, String stdout, String stderr) {

    /** @return true when the command exited with status 0 */
    public boolean ok() {
        return exitCode == 0;
    }
}
