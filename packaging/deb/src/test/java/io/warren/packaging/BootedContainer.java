package io.warren.packaging;

import io.warren.testlab.ExecResult;
import io.warren.testlab.Wait;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Debian root booted with systemd as PID 1 ({@code systemd-nspawn -b}) inside a network namespace the
 * test made, following the recipe in shared/lab-notes.md. Commands run in it with {@code nsenter -a} into
 * its PID 1. {@link #close()} powers it off and stops nspawn by PID (SIGTERM, then SIGKILL).
 */
final class BootedContainer implements AutoCloseable {
    private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(2);

    private final Process nspawn;
    private final Path console;
    private final long leader;

    private BootedContainer(Process nspawn, Path console, long leader) {
        this.nspawn = nspawn;
        this.console = console;
        this.leader = leader;
    }

    /**
     * Boots {@code root} with its network in {@code netnsPath} and CAP_NET_ADMIN, and waits until systemd
     * reports the boot finished ({@code is-system-running --wait}: running or degraded).
     */
    static BootedContainer boot(OverlayRoot root, Path netnsPath) throws IOException {
        List<String> nspawnArgs = new ArrayList<>(List.of("systemd-nspawn", "-D", root.merged().toString(),
                "-M", root.machine(), "-q", "--register=no", "--keep-unit", "--timezone=off", "--link-journal=no",
                "--resolv-conf=off", "--network-namespace-path=" + netnsPath, "--capability=CAP_NET_ADMIN",
                "--console=read-only", "-b"));
        Path console = Files.createTempFile("warren-boot-console", ".log");
        ProcessBuilder pb = new ProcessBuilder(Nspawn.privateMounts(root, nspawnArgs))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(console.toFile());
        pb.environment().clear();
        pb.environment().putAll(Exec.ENV);
        Process p = pb.start();
        BootedContainer c = null;
        try {
            long leader = Wait.untilPresent(Duration.ofSeconds(30), "the container's PID 1 (systemd)",
                    () -> findLeader(p));
            c = new BootedContainer(p, console, leader);
            BootedContainer booting = c;
            // systemd answers on its private socket a moment after exec; "offline" until then.
            Wait.until(Duration.ofSeconds(60), "systemd in the container answering systemctl", () -> {
                String st = booting.sh(Duration.ofSeconds(10), "systemctl is-system-running").stdout().trim();
                return !st.isEmpty() && !st.equals("offline");
            });
            ExecResult r = c.sh(BOOT_TIMEOUT.plusSeconds(10), "systemctl is-system-running --wait; systemctl --failed --no-legend");
            String state = r.stdout().split("\n")[0].trim();
            if (!state.equals("running") && !state.equals("degraded")) {
                throw new AssertionError("container did not finish booting: " + r.stdout() + r.stderr()
                        + "\n--- console ---\n" + c.consoleOutput());
            }
            DebianCache.log("container booted (" + state + "), PID 1 is host PID " + leader
                    + (state.equals("degraded") ? "; failed units: " + r.stdout().substring(state.length()).trim() : ""));
            return c;
        } catch (RuntimeException | Error e) {
            if (c != null) {
                c.close();
            } else {
                stopByPid(p);
                Exec.deleteQuietly(console);
            }
            throw e;
        }
    }

    /** Host PID of the container's PID 1: a descendant of nspawn whose innermost namespace PID is 1. */
    private static Optional<Long> findLeader(Process nspawn) {
        if (!nspawn.isAlive()) {
            throw new AssertionError("systemd-nspawn exited with " + nspawn.exitValue() + " before booting");
        }
        return nspawn.descendants().map(ProcessHandle::pid).filter(BootedContainer::isNamespaceInit)
                .filter(pid -> comm(pid).equals("systemd")).findFirst();
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean isNamespaceInit(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("NSpid:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return f.length > 1 && f[f.length - 1].equals("1");
                }
            }
        } catch (IOException e) {
            return false; // exited meanwhile
        }
        return false;
    }

    /** Runs {@code sh -c script} in all the container's namespaces. */
    ExecResult sh(Duration timeout, String script) {
        return Exec.run(timeout, enter(script));
    }

    /** Runs {@code sh -c script} in the container with {@code stdin} (a host file) as its input. */
    ExecResult sh(Duration timeout, String script, Path stdin) {
        return Exec.run(timeout, enter(script), stdin);
    }

    /** Like {@link #sh} but fails with the output on a non-zero exit; {@code step} names the test step. */
    ExecResult check(String step, Duration timeout, String script) {
        return check(step, timeout, script, null);
    }

    /** {@link #check(String, Duration, String)} with {@code stdin} (a host file, or null) as input. */
    ExecResult check(String step, Duration timeout, String script, Path stdin) {
        ExecResult r = Exec.run(timeout, enter(script), stdin);
        if (!r.ok()) {
            throw new AssertionError(step + ": exit " + r.exitCode() + " of\n" + script + "\n--- stdout ---\n"
                    + Exec.tail(r.stdout()) + "\n--- stderr ---\n" + Exec.tail(r.stderr()));
        }
        return r;
    }

    private List<String> enter(String script) {
        return List.of("nsenter", "-t", Long.toString(leader), "-a", "/bin/sh", "-c", script);
    }

    String consoleOutput() {
        try {
            return Exec.tail(Files.readString(console, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "(console unreadable: " + e.getMessage() + ")";
        }
    }

    /** Powers off (systemd stops warren like a real shutdown), then stops nspawn by PID if needed. */
    @Override
    public void close() {
        try {
            if (nspawn.isAlive()) {
                Exec.run(Duration.ofSeconds(30), enter("systemctl --no-block poweroff"));
                if (!nspawn.waitFor(60, TimeUnit.SECONDS)) {
                    DebianCache.log("container did not power off in 60 s; stopping nspawn by PID " + nspawn.pid());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | AssertionError e) {
            DebianCache.log("poweroff failed: " + e.getMessage());
        } finally {
            stopByPid(nspawn);
            Exec.deleteQuietly(console);
        }
    }

    /** SIGTERM (nspawn then shuts the container down), 30 s grace, then SIGKILL to nspawn and its tree. */
    private static void stopByPid(Process p) {
        if (!p.isAlive()) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                tree.forEach(ProcessHandle::destroyForcibly);
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
