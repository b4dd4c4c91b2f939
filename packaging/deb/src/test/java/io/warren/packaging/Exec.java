package io.warren.packaging;

import io.warren.testlab.ExecResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs host commands to completion with a deadline. Output goes to temporary files (no pipes to drain),
 * stdin is {@code /dev/null} unless a file is given. On timeout the process and its descendants are
 * killed by PID.
 */
final class Exec {
    /** A clean environment: nothing of the build's JAVA_HOME or locale leaks into a Debian root. */
    static final Map<String, String> ENV = Map.of(
            "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LC_ALL", "C.UTF-8",
            "DEBIAN_FRONTEND", "noninteractive",
            "HOME", "/root");

    private Exec() {
    }

    static ExecResult run(Duration timeout, List<String> argv) {
        return run(timeout, argv, null);
    }

    /** Runs {@code argv}; returns whatever the exit code. Throws only when it cannot start or times out. */
    static ExecResult run(Duration timeout, List<String> argv, Path stdin) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("warren-deb-out", ".txt");
            err = Files.createTempFile("warren-deb-err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from((stdin == null ? Path.of("/dev/null") : stdin).toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().clear();
            pb.environment().putAll(ENV);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                List<ProcessHandle> kids = new ArrayList<>(p.descendants().toList());
                p.destroyForcibly();
                kids.forEach(ProcessHandle::destroyForcibly);
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s: " + String.join(" ", argv)
                        + "\n--- stdout ---\n" + tail(read(out)) + "\n--- stderr ---\n" + tail(read(err)));
            }
            return new ExecResult(p.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", argv), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Like {@link #run} but fails (AssertionError with the output) on a non-zero exit. */
    static ExecResult check(Duration timeout, List<String> argv) {
        ExecResult r = run(timeout, argv);
        if (!r.ok()) {
            throw failure(argv, r);
        }
        return r;
    }

    static AssertionError failure(List<String> argv, ExecResult r) {
        return new AssertionError("exit " + r.exitCode() + ": " + String.join(" ", argv)
                + "\n--- stdout ---\n" + tail(r.stdout()) + "\n--- stderr ---\n" + tail(r.stderr()));
    }

    /** The last 6000 characters: enough for apt's or systemd's complaint, short enough for a report. */
    static String tail(String s) {
        return s.length() <= 6000 ? s : "[...]" + s.substring(s.length() - 6000);
    }

    private static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }

    static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    /** Deletes a tree without following symlinks (a Debian root is full of absolute ones). */
    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // rm -rf --one-file-system stays on this filesystem even if something is still mounted below.
        ExecResult r = run(Duration.ofMinutes(5), List.of("rm", "-rf", "--one-file-system", root.toString()));
        if (!r.ok()) {
            System.err.println("warren-deb: could not delete " + root + ": " + r.stderr());
        }
    }
}
