package io.warren.packaging;

import io.warren.testlab.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A throwaway Debian root: the cached root ({@link DebianCache}) as read-only lower layer, and this
 * test's changes in an upper folder under /var/tmp, deleted by {@link #close()}. The overlay is mounted
 * only inside each command's private mount namespace (see {@link Nspawn}).
 */
final class OverlayRoot implements AutoCloseable {
    private final Path lower;
    private final Path dir;
    private final String machine;

    OverlayRoot(Path lower, String name) throws IOException {
        this.lower = lower;
        this.machine = name + "-" + ProcessHandle.current().pid();
        this.dir = Files.createTempDirectory(Path.of("/var/tmp"), "warren-" + name + "-");
        Files.createDirectories(upper());
        Files.createDirectories(work());
        Files.createDirectories(merged());
    }

    Path lower() {
        return lower;
    }

    Path upper() {
        return dir.resolve("upper");
    }

    Path work() {
        return dir.resolve("work");
    }

    Path merged() {
        return dir.resolve("merged");
    }

    /** @return the container's machine name (also its hostname) */
    String machine() {
        return machine;
    }

    /**
     * Puts a host file into the root before any container runs on it (writing to the upper layer of a
     * mounted overlay is undefined, so only call this while no command runs).
     *
     * @param inside absolute path in the root, e.g. /var/tmp/warren.deb
     */
    void put(Path hostFile, String inside) throws IOException {
        Path target = upper().resolve(inside.substring(1));
        Files.createDirectories(target.getParent());
        Files.copy(hostFile, target);
    }

    /** Runs {@code script} with /bin/sh in a one-shot container without network; returns its result. */
    ExecResult sh(Duration timeout, String script) {
        return Exec.run(timeout, Nspawn.privateMounts(this, Nspawn.oneShotNspawn(merged(), machine, true, script)));
    }

    /** Like {@link #sh} but fails with the output on a non-zero exit; {@code step} names the test step. */
    ExecResult check(String step, Duration timeout, String script) {
        ExecResult r = sh(timeout, script);
        if (!r.ok()) {
            throw new AssertionError(step + ": exit " + r.exitCode() + " of\n" + script + "\n--- stdout ---\n"
                    + Exec.tail(r.stdout()) + "\n--- stderr ---\n" + Exec.tail(r.stderr()));
        }
        return r;
    }

    /**
     * Runs a script that prints {@code key=value} lines and returns them (later keys win); other lines
     * are ignored.
     */
    Map<String, String> facts(String step, String script) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : check(step, Duration.ofMinutes(2), script).stdout().split("\r?\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[A-Za-z0-9_.:/+-]+")) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }

    /** Deletes the upper layer and work folder (nothing is mounted outside a command). */
    @Override
    public void close() {
        Exec.deleteTree(dir);
    }
}
