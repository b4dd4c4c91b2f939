package io.warren.bench.routing;

import io.warren.routing.IpPrefix;
import io.warren.routing.PrefixTable;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic tables for the routing benchmarks: uniformly random IPv4 prefixes with a BGP-like
 * length mix (55% /24, the rest /8../32), and two IPv6 tables:
 * <ul>
 *   <li>{@code uniform}: prefixes spread uniformly over 2000::/3 (50% /48, /32../64, 5% /128). No two
 *       prefixes share more than ~14 bits, so every prefix hangs off its own long chain of trie nodes:
 *       the worst case for a trie (no clustering, long sparse paths);</li>
 *   <li>{@code bgp}: shaped like the public IPv6 table (most prefixes /48 and /32, then /44, /40, /36,
 *       /29), clustered the way the registries allocate: 16% are /29 or /32 allocations under the RIR
 *       blocks (2a00::/12 RIPE, 2400::/12 APNIC, 2600::/12 ARIN, 2001::/16, 2800::/12 LACNIC,
 *       2c00::/12 AFRINIC), the rest more-specifics inside those allocations (a few ISPs hold many),
 *       with 5% /64 and 3% /128 host routes as a gateway or WireGuard hub adds them.</li>
 * </ul>
 * A fixed seed keeps runs comparable.
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

    /** RIR blocks (top 16 bits, length) and their weights in % for the {@code bgp} fixture. */
    private static final int[][] RIR_BLOCKS = {
        {0x2a00, 12, 40}, {0x2400, 12, 20}, {0x2600, 12, 20}, {0x2001, 16, 10}, {0x2800, 12, 8}, {0x2c00, 12, 2},
    };

    /** More-specific lengths (cumulative %) under an allocation for the {@code bgp} fixture. */
    private static final int[][] BGP_MORE_SPECIFIC = {
        {36, 5}, {40, 15}, {44, 27}, {46, 30}, {47, 33}, {48, 88}, {56, 90}, {64, 96}, {128, 100},
    };

    /** IPv6 prefixes shaped like the public table (see the class comment); {@code n >= 10}. */
    static List<IpPrefix> v6BgpPrefixes(SplittableRandom rnd, int n) {
        List<IpPrefix> out = new ArrayList<>(n);
        int allocations = n * 16 / 100;
        long[] alloc = new long[allocations];
        for (int i = 0; i < allocations; i++) {
            int[] rir = RIR_BLOCKS[0];
            for (int r = rnd.nextInt(100), acc = 0, k = 0; k < RIR_BLOCKS.length; k++) {
                acc += RIR_BLOCKS[k][2];
                if (r < acc) {
                    rir = RIR_BLOCKS[k];
                    break;
                }
            }
            int len = rnd.nextInt(8) == 0 ? 29 : 32;
            alloc[i] = (long) rir[0] << 48 | (rnd.nextLong() >>> rir[1]) & (-1L << (64 - len));
            out.add(IpPrefix.v6(alloc[i], 0, len));
        }
        while (out.size() < n) {
            // skewed towards the first allocations: a few large ISPs announce many more-specifics
            long base = alloc[rnd.nextInt(rnd.nextInt(allocations) + 1)];
            int r = rnd.nextInt(100);
            int len = 48;
            for (int[] l : BGP_MORE_SPECIFIC) {
                if (r < l[1]) {
                    len = l[0];
                    break;
                }
            }
            out.add(IpPrefix.v6(base | (rnd.nextLong() >>> 32), rnd.nextLong(), len));
        }
        return out;
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
