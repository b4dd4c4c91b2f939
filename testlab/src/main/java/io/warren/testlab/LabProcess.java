package io.warren.testlab;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A long-running process the lab started inside a namespace (a peer such as wireguard-go, a server, a
 * ping). {@code ip netns exec} replaces itself with the program, so {@link #pid()} is the program's own
 * PID. Standard output and error are merged into one file under the lab's temp directory.
 */
public final class LabProcess implements AutoCloseable {
    private static final Duration TERM_GRACE = Duration.ofSeconds(5);

    private final Process process;
    private final List<String> argv;
    private final String netns;
    private final Path outputFile;

    LabProcess(Process process, List<String> argv, String netns, Path outputFile) {
        this.process = process;
        this.argv = List.copyOf(argv);
        this.netns = netns;
        this.outputFile = outputFile;
    }

    /** @return the operating-system PID of the program */
    public long pid() {
        return process.pid();
    }

    /** @return the merged stdout and stderr written so far */
    public String output() {
        try {
            return Commands.read(outputFile);
        } catch (IOException e) {
            return "<output unavailable: " + e.getMessage() + ">";
        }
    }

    /** @return true while the process runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return the file receiving stdout and stderr */
    public Path outputFile() {
        return outputFile;
    }

    /**
     * Waits for the process to exit.
     *
     * @param timeout how long to wait
     * @return its exit status
     * @throws LabException naming the command and its output when it is still running after {@code timeout}
     */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new LabException("still running after " + timeout.toMillis() + " ms: " + this
                        + "\n--- output ---\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for " + this, e);
        }
    }

    /**
     * Stops the process by PID: SIGTERM, up to 5 s grace, then SIGKILL. Descendants it forked are
     * stopped the same way. Idempotent.
     */
    public void stop() {
        List<ProcessHandle> descendants = process.descendants().toList();
        terminate(process.toHandle());
        for (ProcessHandle child : descendants) {
            terminate(child);
        }
    }

    private static void terminate(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        if (!awaitExit(handle, TERM_GRACE)) {
            handle.destroyForcibly();
            awaitExit(handle, TERM_GRACE);
        }
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return !handle.isAlive();
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "pid " + pid() + " in " + netns + ": " + String.join(" ", argv);
    }
}
