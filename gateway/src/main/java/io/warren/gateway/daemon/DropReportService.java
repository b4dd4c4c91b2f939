package io.warren.gateway.daemon;

import io.warren.gateway.config.ConfigDiff;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.log.DropReport;
import io.warren.gateway.transport.ShellCounters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs, every minute at INFO, the drop counters of each WireGuard interface that grew since the
 * last report ({@link DropReport}): the data path logs nothing per packet, so this is where drops
 * show up in the journal. Starts after the WireGuard service; on start and every reload (control
 * thread) it takes a copy of the running interfaces, which its own timer thread reads.
 */
final class DropReportService implements Service {
    private static final Logger LOG = Logger.getLogger(DropReportService.class.getName());
    static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How often the timer asks {@link DropReport#due}; a late tick delays a report by at most this. */
    private static final long TICK_SECONDS = 5;

    private final WireGuardService wireguard;
    private volatile Map<String, ShellCounters> interfaces = Map.of();
    private ScheduledExecutorService timer;
    private DropReport report;

    DropReportService(WireGuardService wireguard) {
        this.wireguard = wireguard;
    }

    @Override
    public String name() {
        return "drop-report";
    }

    @Override
    public void start(WarrenConfig config) {
        refresh();
        report = new DropReport(PERIOD_NANOS, System.nanoTime());
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warren-drop-report");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::tick, TICK_SECONDS, TICK_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void apply(WarrenConfig previous, WarrenConfig next, ConfigDiff diff) {
        refresh();
    }

    private void refresh() {
        Map<String, ShellCounters> now = new LinkedHashMap<>();
        wireguard.interfaces().forEach((name, ri) -> now.put(name, ri.wireGuard().counters()));
        interfaces = now;
    }

    /** On the timer thread. */
    private void tick() {
        try {
            long now = System.nanoTime();
            if (!report.due(now)) {
                return;
            }
            Map<String, Map<String, Long>> counters = new LinkedHashMap<>();
            interfaces.forEach((name, c) -> counters.put(name, c.nonZero()));
            List<String> lines = report.report(now, counters);
            lines.forEach(LOG::info);
        } catch (RuntimeException e) {
            // A failed report must not cancel the timer (scheduleAtFixedRate stops on an exception).
            LOG.log(Level.WARNING, "drop report failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
