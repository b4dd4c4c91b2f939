package io.warren.bench.routing;

import io.warren.routing.IpPrefix;
import io.warren.routing.PrefixTable;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic tables for the routing benchmarks: uniformly random IPv4 prefixes with a BGP-like
 * length mix (55% /24, the rest /8../32), IPv6 prefixes in 2000::/3 (/32../64 and some /128).
 * Uniform addresses are the worst case for a trie (no clustering); a fixed seed keeps runs comparable.
 */
final class RoutingFixtures {

    static final long SEED = 0x5eed_2026L;

    private RoutingFixtures() {
    }

    static int v4Length(SplittableRandom rnd) {
        int r = rnd.nextInt(100);
        if (r < 55) {
            return 24;
        }
        if (r < 96) {
            int[] mid = {23, 23, 23, 22, 22, 21, 21, 20, 20, 19, 18, 17, 16};
            return mid[rnd.nextInt(mid.length)];
        }
        return r < 98 ? rnd.nextInt(8, 16) : rnd.nextInt(25, 33);
    }

    static int v6Length(SplittableRandom rnd) {
        int r = rnd.nextInt(100);
        return r < 50 ? 48 : r < 60 ? 32 : r < 70 ? 40 : r < 80 ? 56 : r < 95 ? 64 : 128;
    }

    static long v6Hi(SplittableRandom rnd) {
        return 0x2000_0000_0000_0000L | (rnd.nextLong() >>> 3);
    }

    static List<IpPrefix> v4Prefixes(SplittableRandom rnd, int n) {
        List<IpPrefix> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(IpPrefix.v4(rnd.nextInt(), v4Length(rnd)));
        }
        return out;
    }

    static List<IpPrefix> v6Prefixes(SplittableRandom rnd, int n) {
        List<IpPrefix> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(IpPrefix.v6(v6Hi(rnd), rnd.nextLong(), v6Length(rnd)));
        }
        return out;
    }

    /** A table of all {@code prefixes}, value = index (distinct objects). */
    static PrefixTable<Integer> table(List<IpPrefix> prefixes) {
        PrefixTable<Integer> t = new PrefixTable<>();
        t.update(e -> {
            for (int i = 0; i < prefixes.size(); i++) {
                e.put(prefixes.get(i), 100_000 + i);
            }
        });
        return t;
    }

    /** A host address inside {@code p}: random host bits. */
    static int hostV4(SplittableRandom rnd, IpPrefix p) {
        int hostMask = p.length() == 0 ? -1 : p.length() == 32 ? 0 : -1 >>> p.length();
        return p.v4Address() | (rnd.nextInt() & hostMask);
    }

    static long[] hostV6(SplittableRandom rnd, IpPrefix p) {
        IpPrefix host = IpPrefix.v6(rnd.nextLong(), rnd.nextLong(), 128);
        int len = p.length();
        long mhi = len == 0 ? 0 : len >= 64 ? -1L : -1L << (64 - len);
        long mlo = len <= 64 ? 0 : -1L << (128 - len);
        return new long[] {p.hi() | (host.hi() & ~mhi), p.lo() | (host.lo() & ~mlo)};
    }

    /** Used heap after a full GC, in bytes (approximate; for a before/after delta). */
    static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
