package io.warren.gateway.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** When host names are resolved again, with a fake clock (seconds turned to nanos). */
class EndpointRefreshTest {
    private static final long S = 1_000_000_000L;

    @Test
    void quietPeersEvery30sAfter135sOthersEvery5min() {
        EndpointRefresh<String> r = new EndpointRefresh<>();
        long t0 = 7 * S;
        // {time since t0 (s), handshake at (s since t0, -1 none), expected due}; resolved when due.
        long[][] table = {
            {0, -1, 0},      // first sight: just resolved at startup
            {100, 90, 0},    // handshake 10 s ago
            {200, 90, 0},    // 110 s quiet: not yet
            {226, 90, 1},    // 136 s quiet and 226 s since the last resolution
            {240, 90, 0},    // resolved 14 s ago
            {256, 90, 1},    // 30 s later, still quiet
            {270, 265, 0},   // a handshake: no longer quiet
            {400, 390, 0},   // lively, 144 s since resolution
            {556, 550, 1},   // lively but 300 s since the last resolution
            {600, 590, 0},
        };
        for (long[] row : table) {
            long now = t0 + row[0] * S;
            boolean due = r.due("p", now, row[1] >= 0, t0 + row[1] * S);
            assertEquals(row[2] == 1, due, "at +" + row[0] + " s");
            if (due) {
                r.resolved("p", now);
            }
        }
    }

    @Test
    void aPeerThatNeverHandshakesIsQuietFromFirstSight() {
        EndpointRefresh<String> r = new EndpointRefresh<>();
        assertEquals(false, r.due("p", 0, false, 0));
        assertEquals(false, r.due("p", 135 * S, false, 0));
        assertEquals(true, r.due("p", 136 * S, false, 0));
    }

    @Test
    void forgottenPeersStartAfresh() {
        EndpointRefresh<String> r = new EndpointRefresh<>(10 * S, 5 * S, S);
        r.due("p", 0, false, 0);
        r.retain(Set.of());
        assertEquals(false, r.due("p", 20 * S, false, 0), "seen for the first time again");
        assertEquals(true, r.due("p", 30 * S, false, 0));
    }
}
