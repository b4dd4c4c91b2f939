package io.warren.gateway.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The periodic drops summary (sans-I/O): instead of a line per dropped packet, one line per
 * interface and period naming the drop counters that grew, e.g. {@code wg0: dropped since last
 * report: mac1_invalid=120, outbound_no_peer=3}. Interfaces whose counters did not grow say nothing.
 *
 * <p>The caller ticks it with the time and, when {@link #due} says so, the interfaces' current
 * counters ({@link #report}); it keeps the counts of the last report to subtract. A counter lower
 * than last time belongs to a restarted interface and counts from zero; interfaces not given are
 * forgotten. Not thread-safe: one caller (the report timer).
 */
public final class DropReport {
    private final long periodNanos;
    private long last;
    private Map<String, Map<String, Long>> previous = new HashMap<>();

    /** @param startNanos when counting began: the first report is due one period later */
    public DropReport(long periodNanos, long startNanos) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        this.periodNanos = periodNanos;
        this.last = startNanos;
    }

    /** True once a period has passed since the last report (or the start). */
    public boolean due(long now) {
        return now - last >= periodNanos;
    }

    /**
     * The lines to log now, one per interface whose drops grew, in the order of {@code counters};
     * empty (and nothing remembered) if not {@link #due}.
     *
     * @param counters every running interface's drop counters by reason (absent reasons are zero)
     */
    public List<String> report(long now, Map<String, Map<String, Long>> counters) {
        if (!due(now)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        Map<String, Map<String, Long>> seen = new HashMap<>();
        for (Map.Entry<String, Map<String, Long>> e : counters.entrySet()) {
            Map<String, Long> before = previous.getOrDefault(e.getKey(), Map.of());
            Map<String, Long> grown = new TreeMap<>();
            e.getValue().forEach((reason, count) -> {
                long was = before.getOrDefault(reason, 0L);
                long delta = count >= was ? count - was : count;
                if (delta > 0) {
                    grown.put(reason, delta);
                }
            });
            if (!grown.isEmpty()) {
                lines.add(line(e.getKey(), grown));
            }
            seen.put(e.getKey(), Map.copyOf(e.getValue()));
        }
        previous = seen;
        last = now;
        return lines;
    }

    /** {@code iface: dropped since last report: reason=n, ...}. */
    static String line(String iface, Map<String, Long> grown) {
        StringJoiner j = new StringJoiner(", ", iface + ": dropped since last report: ", "");
        grown.forEach((reason, n) -> j.add(reason + "=" + n));
        return j.toString();
    }
}
