package io.warren.gateway.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The drops summary with a fake clock: when it is due, what grew, resets, quiet interfaces. */
class DropReportTest {
    private static final long S = 1_000_000_000L;
    private static final long START = 7_000 * S; // not zero: nanoTime has no fixed origin

    private static Map<String, Map<String, Long>> ifaces(Object... nameAndCounters) {
        Map<String, Map<String, Long>> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndCounters.length; i += 2) {
            @SuppressWarnings("unchecked")
            Map<String, Long> c = (Map<String, Long>) nameAndCounters[i + 1];
            m.put((String) nameAndCounters[i], c);
        }
        return m;
    }

    @Test
    void reportsOnlyWhatGrewOncePerPeriod() {
        DropReport r = new DropReport(60 * S, START);
        Map<String, Map<String, Long>> first = ifaces(
                "wg0", Map.of("mac1_invalid", 120L, "outbound_no_peer", 3L),
                "wg1", Map.of());
        assertFalse(r.due(START + 59 * S));
        assertEquals(List.of(), r.report(START + 59 * S, first), "not due: nothing, and nothing remembered");
        assertTrue(r.due(START + 60 * S));
        assertEquals(List.of("wg0: dropped since last report: mac1_invalid=120, outbound_no_peer=3"),
                r.report(START + 60 * S, first), "one line per interface with drops; wg1 had none");

        Map<String, Map<String, Long>> second = ifaces(
                "wg0", Map.of("mac1_invalid", 125L, "outbound_no_peer", 3L, "replay", 1L),
                "wg1", Map.of("no_endpoint", 9L));
        assertEquals(List.of(), r.report(START + 119 * S, second), "the period starts at the last report");
        assertEquals(List.of("wg0: dropped since last report: mac1_invalid=5, replay=1",
                        "wg1: dropped since last report: no_endpoint=9"),
                r.report(START + 120 * S, second), "only the growth; reasons sorted by name");
        assertEquals(List.of(), r.report(START + 180 * S, second), "no growth: silent");
    }

    @Test
    void aRestartedInterfaceCountsFromZeroAndAGoneOneIsForgotten() {
        DropReport r = new DropReport(60 * S, START);
        r.report(START + 60 * S, ifaces("wg0", Map.of("udp_send_failed", 50L), "wg9", Map.of("replay", 4L)));
        // wg0 was restarted (new counters, lower than before); wg9 was removed.
        assertEquals(List.of("wg0: dropped since last report: udp_send_failed=7"),
                r.report(START + 120 * S, ifaces("wg0", Map.of("udp_send_failed", 7L))));
        // wg9 comes back: its drops since it came back are all new.
        assertEquals(List.of("wg9: dropped since last report: replay=2"),
                r.report(START + 180 * S, ifaces("wg0", Map.of("udp_send_failed", 7L), "wg9", Map.of("replay", 2L))));
    }

    @Test
    void rejectsANonPositivePeriod() {
        assertThrows(IllegalArgumentException.class, () -> new DropReport(0, START));
    }
}
