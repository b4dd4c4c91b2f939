package io.warren.testlab;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace the lab created ({@code /run/netns/<name>}), with loopback up. Commands run in it
 * with {@code ip netns exec}; Java code runs in it with {@link #call}, on one dedicated platform thread
 * that joined the namespace with {@code setns(CLONE_NEWNET)}, so TUN devices, sockets and netlink sockets
 * opened by the task belong to this namespace.
 */
public final class Netns {
    private static final Path NETNS_DIR = Path.of("/run/netns");

    private final String name;
    private final NetLab lab;
    private ExecutorService thread; // guarded by this; created on first call()
    private boolean deleted; // guarded by this

    Netns(String name, NetLab lab) {
        this.name = name;
        this.lab = lab;
    }

    /** @return the namespace name as {@code ip netns list} shows it */
    public String name() {
        return name;
    }

    /** @return the bind-mount path of the namespace, {@code /run/netns/<name>} */
    public Path path() {
        return NETNS_DIR.resolve(name);
    }

    /**
     * Runs {@code argv} in this namespace and waits for it.
     *
     * @throws LabException with argv, exit code, stdout and stderr when it exits non-zero
     */
    public ExecResult exec(String... argv) {
        List<String> full = wrap(argv);
        return Commands.check(lab.scratchDir(), full);
    }

    /** Runs {@code argv} in this namespace and returns its result whatever the exit code. */
    public ExecResult execAllowFail(String... argv) {
        return Commands.run(lab.scratchDir(), wrap(argv));
    }

    /**
     * Runs {@code task} on this namespace's thread (created on first use and kept until the namespace is
     * deleted) and returns its result. Exceptions of the task are rethrown unchanged when unchecked,
     * otherwise wrapped in a {@link LabException}.
     */
    public <T> T call(Callable<T> task) {
        Future<T> f = executor().submit(() -> {
            enterOnce();
            return task.call();
        });
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running a task in " + name, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new LabException("task in namespace " + name + " failed: " + cause, cause);
        }
    }

    /** Runs {@code task} on this namespace's thread. */
    public void run(ThrowingRunnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    /** A runnable that may throw checked exceptions. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        /** @throws Exception anything; rethrown by {@link Netns#run} */
        void run() throws Exception;
    }

    /** {@code ip addr add CIDR dev IFNAME}; IPv6 addresses get {@code nodad} so they are usable at once. */
    public void addr(String ifname, String cidr) {
        if (cidr.contains(":")) {
            exec("ip", "-6", "addr", "add", cidr, "dev", ifname, "nodad");
        } else {
            exec("ip", "addr", "add", cidr, "dev", ifname);
        }
    }

    /** {@code ip link set IFNAME up}. */
    public void up(String ifname) {
        exec("ip", "link", "set", ifname, "up");
    }

    /** Sets a sysctl of this namespace, e.g. {@code sysctl("net.ipv4.ip_forward", "1")}. */
    public void sysctl(String key, String value) {
        exec("sysctl", "-q", "-w", key + "=" + value);
    }

    /** @return the PIDs of all processes whose network namespace is this one ({@code ip netns pids}) */
    public List<Long> pids() {
        ExecResult r = Commands.run(lab.scratchDir(), List.of(lab.ip(), "netns", "pids", name));
        List<Long> pids = new ArrayList<>();
        if (r.ok()) {
            for (String line : r.stdout().split("\\s+")) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.trim()));
                }
            }
        }
        return pids;
    }

    /** @return whether the namespace still exists under {@code /run/netns} */
    public boolean exists() {
        return Files.exists(path());
    }

    List<String> wrap(String... argv) {
        if (argv.length == 0) {
            throw new IllegalArgumentException("empty command");
        }
        List<String> full = new ArrayList<>(List.of(lab.ip(), "netns", "exec", name));
        full.addAll(Arrays.asList(argv));
        return full;
    }

    private synchronized ExecutorService executor() {
        if (deleted) {
            throw new LabException("namespace " + name + " was already deleted");
        }
        if (thread == null) {
            thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "netns-" + name);
                t.setDaemon(true);
                return t;
            });
        }
        return thread;
    }

    private final ThreadLocal<Boolean> entered = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /** Joins the namespace once per thread and checks that it worked, so a task never runs outside. */
    private void enterOnce() {
        if (entered.get()) {
            return;
        }
        NativeNs.enterNetns(path());
        long want = NativeNs.inode(path());
        long have = NativeNs.currentNetnsInode();
        if (want != have) {
            throw new LabException("setns into " + name + " did not take: thread netns inode " + have
                    + ", namespace inode " + want);
        }
        entered.set(Boolean.TRUE);
    }

    /** Ends the call() thread, then {@code ip netns del}. Called by the lab after processes are stopped. */
    void delete() {
        ExecutorService t;
        synchronized (this) {
            if (deleted) {
                return;
            }
            deleted = true;
            t = thread;
            thread = null;
        }
        if (t != null) {
            t.shutdownNow();
            try {
                t.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ExecResult r = Commands.run(lab.scratchDir(), List.of(lab.ip(), "netns", "del", name));
        if (!r.ok() && exists()) {
            System.err.println("netlab: WARNING could not delete namespace " + name + ": " + r.stderr().trim());
        }
    }

    /** Reads a /proc/sys value of this namespace (via the namespace thread). */
    public String readSysctl(String key) {
        return call(() -> new String(Files.readAllBytes(Path.of("/proc/sys", key.replace('.', '/'))),
                StandardCharsets.US_ASCII).trim());
    }

    @Override
    public String toString() {
        return name;
    }

}
