package io.warren.testlab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs short-lived commands to completion. Output goes to temporary files rather than pipes, so a
 * chatty command can never block on a full pipe and no reader threads are needed.
 */
final class Commands {
    /** Upper bound for one lab command (ip, ethtool, nft all finish in milliseconds). */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private Commands() {
    }

    /** Runs {@code argv} and returns its result whatever the exit code; throws only if it cannot run. */
    static ExecResult run(Path scratchDir, List<String> argv) {
        Path out = null;
        Path err = null;
        try {
            Files.createDirectories(scratchDir);
            out = Files.createTempFile(scratchDir, "out", ".txt");
            err = Files.createTempFile(scratchDir, "err", ".txt");
            Process p = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new LabException("command timed out after " + COMMAND_TIMEOUT.toSeconds() + " s: "
                        + String.join(" ", argv));
            }
            return new ExecResult(p.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new LabException("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running " + String.join(" ", argv), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Like {@link #run} but throws {@link LabException} with the full output on a non-zero exit. */
    static ExecResult check(Path scratchDir, List<String> argv) {
        ExecResult r = run(scratchDir, argv);
        if (!r.ok()) {
            throw LabException.commandFailed(argv, r);
        }
        return r;
    }

    static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: the whole temp dir is removed at lab close anyway
        }
    }
}
