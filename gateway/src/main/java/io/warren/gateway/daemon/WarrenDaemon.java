package io.warren.gateway.daemon;

import io.warren.gateway.cli.Daemon;
import io.warren.gateway.cli.ExitCodes;
import io.warren.gateway.config.ConfigDiff;
import io.warren.gateway.config.ConfigError;
import io.warren.gateway.config.ConfigLoader;
import io.warren.gateway.config.ConfigResult;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.isolation.ChildFirstLoader;
import io.warren.gateway.systemd.NotifyMessage;
import io.warren.gateway.systemd.SdNotify;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the gateway until stopped: the real {@link Daemon} behind {@code warren run}. See the
 * package documentation for the lifecycle.
 */
public final class WarrenDaemon implements Daemon {
    private static final Logger LOG = Logger.getLogger(WarrenDaemon.class.getName());
    /** Full GCs at most after start-up or a reload, until the released class loaders are gone. */
    static final int STARTUP_GCS = 4;
    static final long STARTUP_GC_PAUSE_NANOS = 50_000_000L;

    private final Function<WarrenDaemon, List<Service>> serviceFactory;
    private final Function<Path, ConfigResult> loader;
    private final SdNotify notify;
    private final boolean handleSignals;
    private final BlockingQueue<DaemonEvent> events = new ArrayBlockingQueue<>(64);
    /** Started services, in start order; touched only by the control thread. */
    private final List<Service> started = new ArrayList<>();
    private volatile WarrenConfig running;
    private volatile Path configFile;

    /**
     * @param serviceFactory the services to start, in start order (stopped in reverse)
     * @param loader         reads and validates the config file on reload
     * @param notify         where to report readiness
     * @param handleSignals  install SIGHUP/SIGTERM/SIGINT handlers (off in tests)
     */
    public WarrenDaemon(Supplier<List<Service>> serviceFactory, Function<Path, ConfigResult> loader,
                        SdNotify notify, boolean handleSignals) {
        this(d -> serviceFactory.get(), loader, notify, handleSignals);
    }

    /** As above, for services that need the daemon itself (the control socket submits reloads). */
    public WarrenDaemon(Function<WarrenDaemon, List<Service>> serviceFactory, Function<Path, ConfigResult> loader,
                        SdNotify notify, boolean handleSignals) {
        this.serviceFactory = serviceFactory;
        this.loader = loader;
        this.notify = notify;
        this.handleSignals = handleSignals;
    }

    /** The production daemon: every service, the file loader, systemd notification, signals. */
    public static WarrenDaemon standard() {
        return new WarrenDaemon(standardServices(), ConfigLoader::load,
                SdNotify.fromEnvironment(), true);
    }

    /** The production services, for a daemon built with another loader or notifier (tests). */
    public static Function<WarrenDaemon, List<Service>> standardServices() {
        return Services::standard;
    }

    /** Queues an event (a reload from the control socket, a stop); false when the queue is full. */
    public boolean submit(DaemonEvent event) {
        return events.offer(event);
    }

    /** The configuration now running, or null before start. */
    public WarrenConfig runningConfig() {
        return running;
    }

    /** The config file being run (what reloads and {@code client add} read), or null before start. */
    public Path configFile() {
        return configFile;
    }

    @Override
    public int run(WarrenConfig config, Path configFile, PrintWriter out) {
        this.configFile = configFile;
        if (handleSignals) {
            SignalEvents.install(events);
        }
        List<Service> services = serviceFactory.apply(this);
        try {
            for (Service s : services) {
                try {
                    s.start(config);
                } catch (Exception e) {
                    LOG.log(Level.SEVERE, "cannot start " + s.name() + ": " + e.getMessage(), e);
                    out.println("warren: cannot start " + s.name() + ": " + e.getMessage());
                    out.flush();
                    return ExitCodes.UNAVAILABLE;
                }
                started.add(s);
            }
            running = config;
            String summary = "running " + configFile.getFileName() + ": " + started.size() + " services";
            LOG.info(summary);
            notify.send(NotifyMessage.ready(summary));
            collectStartupGarbage();
            awaitStop(configFile);
            notify.send(NotifyMessage.stopping("stopping"));
            LOG.info("stopping");
            return ExitCodes.OK;
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                closeQuietly(started.get(i));
            }
            started.clear();
            notify.close();
        }
    }

    private void awaitStop(Path configFile) {
        while (true) {
            DaemonEvent event;
            try {
                event = events.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (event instanceof DaemonEvent.Stop stop) {
                LOG.info("stop requested (" + stop.origin() + ")");
                return;
            }
            if (event instanceof DaemonEvent.Reload reload) {
                reload.done().complete(reload(configFile, reload.origin()));
                collectStartupGarbage();
            }
        }
    }

    /**
     * One full collection after start-up and after each reload: the config parser's class loader (tomlj
     * and ANTLR, see {@link ConfigLoader#releaseParser}) is unloaded only by a full GC, and the old
     * generation, which start-up filled with parse garbage, shrinks to the live set only then
     * (-XX:MaxHeapFreeRatio). Without it both stay resident until the heap fills, which an idle daemon
     * never does (issue #9). A few milliseconds with the daemon's small heap. When a loader outlives it
     * (a compilation of its code was in flight), up to {@value #STARTUP_GCS} in all,
     * {@value #STARTUP_GC_PAUSE_NANOS} ns apart.
     */
    private static void collectStartupGarbage() {
        ConfigLoader.releaseParser();
        for (int gc = 1; ; gc++) {
            System.gc();
            int alive = ChildFirstLoader.alive();
            if (alive == 0) {
                return;
            }
            if (gc == STARTUP_GCS) {
                LOG.fine(alive + " start-up class loaders still alive after " + gc + " full GCs");
                return;
            }
            // A JIT compilation of the parser's code still in flight keeps its loader for that GC.
            LockSupport.parkNanos(STARTUP_GC_PAUSE_NANOS);
        }
    }

    /** Re-reads the file; an invalid file changes nothing. Runs on the control thread. */
    ReloadOutcome reload(Path configFile, String origin) {
        notify.send(NotifyMessage.reloading(System.nanoTime() / 1000, "reloading (" + origin + ")"));
        ConfigResult result = loader.apply(configFile);
        List<String> messages = new ArrayList<>();
        if (!result.isValid()) {
            for (ConfigError e : result.errors()) {
                messages.add(e.format());
                LOG.warning("reload rejected: " + e.format());
            }
            String status = "reload rejected (" + result.errors().size() + " errors); running configuration kept";
            LOG.warning(status);
            notify.send(NotifyMessage.ready(status));
            return new ReloadOutcome(false, messages);
        }
        WarrenConfig next = result.config().orElseThrow();
        ConfigDiff diff = ConfigDiff.between(running, next);
        List<ReloadProblem> refused = new ArrayList<>();
        for (Service s : started) {
            refused.addAll(check(s, next, diff));
        }
        if (!refused.isEmpty()) {
            for (ReloadProblem p : refused) {
                String m = p.in(configFile).format();
                messages.add(m);
                LOG.warning("reload rejected: " + m);
            }
            String status = "reload rejected (" + refused.size() + " cannot run here); running configuration kept";
            LOG.warning(status);
            notify.send(NotifyMessage.ready(status));
            return new ReloadOutcome(false, messages);
        }
        boolean allApplied = true;
        for (Service s : started) {
            try {
                s.apply(running, next, diff);
            } catch (ApplyFailure e) {
                allApplied = false;
                for (ReloadProblem p : e.problems()) {
                    String m = "reload: " + s.name() + " not applied: " + p.in(configFile).format();
                    LOG.severe(m);
                    messages.add(m);
                }
            } catch (Exception e) {
                allApplied = false;
                String m = "reload: " + s.name() + " failed to apply: " + e.getMessage();
                LOG.log(Level.SEVERE, m, e);
                messages.add(m);
            }
        }
        running = next;
        messages.addAll(diff.summary());
        String status = (diff.isEmpty() ? "reloaded: no changes" : "reloaded: " + String.join("; ", diff.summary()))
                + (allApplied ? "" : " (not all applied, see the log)");
        LOG.info(status);
        notify.send(NotifyMessage.ready(status));
        return new ReloadOutcome(allApplied, false, messages);
    }

    /** {@code s}'s objections to {@code next}; a check that throws objects to nothing (apply will say). */
    private static List<ReloadProblem> check(Service s, WarrenConfig next, ConfigDiff diff) {
        try {
            return s.check(next, diff);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reload: " + s.name() + " could not check the new configuration", e);
            return List.of();
        }
    }

    private static void closeQuietly(Service s) {
        try {
            s.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "stopping " + s.name() + ": " + e.getMessage(), e);
        }
    }
}
