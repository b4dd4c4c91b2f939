package io.warren.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.routing.MacLookup.Forward;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** L2 table with a fake clock: aging, static entries, the bound, moves, and a randomized check. */
class MacTableTest {

    private static final long SEC = 1_000_000_000L;
    private static final long T0 = 7_000 * SEC; // non-zero clock origin
    private static final long HOST_A = 0x02_00_00_00_0a_01L;
    private static final long HOST_B = 0x02_00_00_00_0b_02L;

    private record Port(String tunnel, int vni) {
    }

    private static final Port P1 = new Port("vx0", 101);
    private static final Port P2 = new Port("vx1", 202);

    private static MacLookup<Port> fwd(Port p) {
        return new Forward<>(p);
    }

    @Test
    void learnsAndAgesOutAfterTheAgingTime() {
        MacTable<Port> t = new MacTable<>(16);
        assertEquals(MacLookup.unknown(), t.lookup(HOST_A, T0));
        assertEquals(MacLearn.LEARNED, t.learn(HOST_A, P1, T0));
        assertEquals(fwd(P1), t.lookup(HOST_A, T0 + 299 * SEC));
        assertEquals(MacLearn.REFRESHED, t.learn(HOST_A, P1, T0 + 200 * SEC));
        assertEquals(fwd(P1), t.lookup(HOST_A, T0 + 499 * SEC), "refresh restarts the age");
        assertEquals(MacLookup.unknown(), t.lookup(HOST_A, T0 + 500 * SEC), "aged: flood");
        assertEquals(0, t.expire(T0 + 499 * SEC));
        assertEquals(1, t.expire(T0 + 500 * SEC));
        assertEquals(0, t.size());
        assertEquals(1, t.expiredCount());
        assertEquals(1, t.count(MacLearn.LEARNED));
        assertEquals(1, t.count(MacLearn.REFRESHED));
    }

    @Test
    void movesAreCountedAndLookupsDoNotAllocate() {
        MacTable<Port> t = new MacTable<>(16, 60 * SEC);
        t.learn(HOST_A, P1, T0);
        MacLookup<Port> first = t.lookup(HOST_A, T0 + SEC);
        assertSame(first, t.lookup(HOST_A, T0 + 2 * SEC), "same Forward instance per entry");
        assertEquals(MacLearn.MOVED, t.learn(HOST_A, P2, T0 + 3 * SEC));
        assertEquals(MacLearn.MOVED, t.learn(HOST_A, P1, T0 + 4 * SEC));
        assertEquals(2, t.count(MacLearn.MOVED));
        assertSame(first, t.lookup(HOST_A, T0 + 4 * SEC), "moving back reuses P1's Forward: flapping allocates nothing");
        assertEquals(fwd(P1), t.lookup(HOST_A, T0 + 5 * SEC));
        assertEquals(MacLearn.LEARNED, t.learn(HOST_A, P2, T0 + 100 * SEC), "after aging it is a new host, not a move");
        assertEquals(1, t.flushPort(P2));
        assertEquals(MacLookup.unknown(), t.lookup(HOST_A, T0 + 100 * SEC));
    }

    @Test
    void staticEntriesNeverAgeNorMove() {
        MacTable<Port> t = new MacTable<>(16, 10 * SEC);
        t.learn(HOST_B, P1, T0);
        t.addStatic(HOST_B, P2); // dynamic entry becomes static
        assertEquals(1, t.staticCount());
        assertEquals(0, t.dynamicCount());
        assertEquals(MacLearn.STATIC_KEPT, t.learn(HOST_B, P1, T0 + SEC));
        assertEquals(fwd(P2), t.lookup(HOST_B, T0 + 1_000_000 * SEC));
        assertEquals(0, t.expire(T0 + 1_000_000 * SEC));
        assertEquals(0, t.flushPort(P2));
        assertTrue(t.removeStatic(HOST_B));
        assertEquals(MacLookup.unknown(), t.lookup(HOST_B, T0));
        assertThrows(IllegalArgumentException.class, () -> t.addStatic(Mac.BROADCAST, P1));
    }

    @Test
    void groupAddressesFloodAndAreNeverLearned() {
        MacTable<Port> t = new MacTable<>(16);
        long mcast = Mac.of("01:00:5e:7f:00:01").bits();
        assertEquals(MacLearn.INVALID_SOURCE, t.learn(mcast, P1, T0));
        assertEquals(MacLookup.group(), t.lookup(mcast, T0));
        assertEquals(MacLookup.group(), t.lookup(Mac.BROADCAST, T0));
        assertEquals(0, t.size());
    }

    @Test
    void aMacFloodFillsTheTableOnlyToTheBound() {
        MacTable<Port> t = new MacTable<>(100, 300 * SEC);
        t.learn(HOST_A, P1, T0);
        for (int i = 0; i < 10_000; i++) {
            t.learn(0x02_00_0f_00_00_00L + i, P2, T0 + SEC);
        }
        assertEquals(100, t.dynamicCount());
        assertEquals(10_000 - 99, t.count(MacLearn.TABLE_FULL));
        assertEquals(fwd(P1), t.lookup(HOST_A, T0 + 2 * SEC), "established host kept");
        t.addStatic(HOST_B, P1);
        assertEquals(fwd(P1), t.lookup(HOST_B, T0), "static entries are not bounded by the flood");
        assertEquals(MacLearn.TABLE_FULL, t.learn(0x02_00_00_00_00_99L, P1, T0 + 2 * SEC));
        assertEquals(100, t.expire(T0 + 301 * SEC), "aging frees the space");
        assertEquals(MacLearn.LEARNED, t.learn(0x02_00_00_00_00_99L, P1, T0 + 302 * SEC));
    }

    @Test
    void randomizedAgainstAHashMapWithDeletesAndGrowth() {
        long seed = 0x0ac_7ab1eL;
        SplittableRandom rnd = new SplittableRandom(seed);
        MacTable<Port> t = new MacTable<>(512, 50 * SEC);
        Map<Long, Port> ref = new HashMap<>();
        Map<Long, Long> seen = new HashMap<>();
        long now = T0;
        for (int step = 0; step < 50_000; step++) {
            String where = "seed=" + seed + " step=" + step;
            now += rnd.nextInt(0, 200_000_000);
            long mac = 0x02_00_00_00_00_00L | rnd.nextInt(2048) << 1;
            Port port = rnd.nextBoolean() ? P1 : P2;
            if (rnd.nextInt(50) == 0) {
                final long at = now;
                int expected = (int) seen.entrySet().stream().filter(e -> at - e.getValue() >= 50 * SEC).count();
                seen.entrySet().removeIf(e -> at - e.getValue() >= 50 * SEC);
                ref.keySet().retainAll(seen.keySet());
                assertEquals(expected, t.expire(now), where);
            } else if (ref.containsKey(mac) || ref.size() < 512) {
                t.learn(mac, port, now);
                ref.put(mac, port);
                seen.put(mac, now);
            }
            assertEquals(ref.size(), t.dynamicCount(), where);
            long probe = 0x02_00_00_00_00_00L | rnd.nextInt(2048) << 1;
            Port p = ref.get(probe);
            boolean live = p != null && now - seen.get(probe) < 50 * SEC;
            assertEquals(live ? fwd(p) : MacLookup.unknown(), t.lookup(probe, now), where + " probe " + Mac.format(probe));
        }
    }
}
