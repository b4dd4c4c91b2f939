package io.warren.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PrefixTable} against a naive reference ({@link NaivePrefixTable}), as wireguard-go's
 * allowedips_rand_test and the kernel's selftest/allowedips.c do. Prefixes are drawn from a small address pool so that they overlap and nest heavily; the seed is
 * in every failure message.
 */
class PrefixTableRandomizedTest {

    private static IpPrefix randomPrefix(SplittableRandom rnd, boolean v6, long[] poolHi, long[] poolLo) {
        int i = rnd.nextInt(poolHi.length);
        long hi = poolHi[i] ^ (rnd.nextInt(8) == 0 ? rnd.nextLong() : 0);
        long lo = poolLo[i] ^ (rnd.nextInt(4) == 0 ? rnd.nextLong() : 0);
        int bits = v6 ? 128 : 32;
        int len = rnd.nextInt(10) == 0 ? rnd.nextInt(bits + 1) : bits - rnd.nextInt(Math.min(bits, 40) + 1);
        if (rnd.nextBoolean()) {
            len = rnd.nextInt(bits + 1);
        }
        return v6 ? IpPrefix.v6(hi, lo, len) : IpPrefix.v4((int) (hi >>> 32), len);
    }

    private static IpPrefix randomHost(SplittableRandom rnd, boolean v6, long[] poolHi, long[] poolLo) {
        int i = rnd.nextInt(poolHi.length);
        long hi = poolHi[i];
        long lo = poolLo[i];
        // flip a few random low bits so that hosts fall inside, beside and between prefixes
        int flip = rnd.nextInt(v6 ? 128 : 32);
        if (v6) {
            if (flip < 64) {
                hi ^= 1L << flip;
            } else {
                lo ^= 1L << (flip - 64);
            }
            if (rnd.nextInt(4) == 0) {
                lo = rnd.nextLong();
            }
        } else {
            hi ^= 1L << (32 + flip);
        }
        return v6 ? IpPrefix.v6(hi, lo, 128) : IpPrefix.v4((int) (hi >>> 32), 32);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 0x5eed_0001L, 0x5eed_0002L})
    void matchesNaiveReferenceV4AndV6(long seed) {
        for (boolean v6 : new boolean[] {false, true}) {
            SplittableRandom rnd = new SplittableRandom(seed);
            long[] poolHi = new long[64];
            long[] poolLo = new long[64];
            for (int i = 0; i < poolHi.length; i++) {
                poolHi[i] = rnd.nextLong();
                poolLo[i] = rnd.nextLong();
                if (i > 0 && rnd.nextBoolean()) { // share a long common prefix with an earlier one
                    poolHi[i] = poolHi[i - 1] ^ (1L << rnd.nextInt(v6 ? 64 : 32));
                }
            }
            PrefixTable<Integer> table = new PrefixTable<>();
            NaivePrefixTable naive = new NaivePrefixTable();
            List<IpPrefix> inserted = new ArrayList<>();
            for (int step = 0; step < 2000; step++) {
                String where = "seed=" + seed + " v6=" + v6 + " step=" + step;
                int op = rnd.nextInt(10);
                if (op < 6 || inserted.isEmpty()) {
                    IpPrefix p = randomPrefix(rnd, v6, poolHi, poolLo);
                    Integer v = rnd.nextInt(1, 1_000_000);
                    assertEquals(naive.map.put(p, v), table.put(p, v), where + " put " + p);
                    inserted.add(p);
                } else if (op < 9) {
                    IpPrefix p = inserted.get(rnd.nextInt(inserted.size()));
                    assertEquals(naive.map.remove(p), table.remove(p), where + " remove " + p);
                } else {
                    IpPrefix p = randomPrefix(rnd, v6, poolHi, poolLo);
                    assertEquals(naive.map.get(p), table.get(p), where + " get " + p);
                }
                assertEquals(naive.map.size(), table.size(), where + " size");
                for (int k = 0; k < 12; k++) {
                    IpPrefix host = randomHost(rnd, v6, poolHi, poolLo);
                    Integer got = v6 ? table.lookupV6(host.hi(), host.lo()) : table.lookupV4(host.v4Address());
                    assertEquals(naive.lookup(host), got, where + " lookup " + host);
                }
            }
            Map<IpPrefix, Integer> iterated = new HashMap<>();
            table.forEach((p, v) -> assertEquals(null, iterated.put(p, v), "seed=" + seed + " duplicate " + p));
            assertEquals(naive.map, iterated, "seed=" + seed + " v6=" + v6 + " iteration");
            for (IpPrefix p : new ArrayList<>(naive.map.keySet())) {
                table.remove(p);
            }
            assertEquals(0, table.size(), "seed=" + seed);
            assertEquals(1, table.stats().nodesV4() + table.stats().nodesV6() - 1, "seed=" + seed + " pruned");
        }
    }
}
