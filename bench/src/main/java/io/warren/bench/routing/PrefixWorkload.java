package io.warren.bench.routing;

import io.warren.routing.IpPrefix;
import io.warren.routing.PrefixTable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The routing benchmarks' workload: one {@link PrefixTable} of 100k IPv4 prefixes plus 10k IPv6
 * prefixes of a named {@link RoutingFixtures} shape ({@code uniform} or {@code bgp}), and
 * {@value #ADDRS} destinations of each kind: uniformly random ones (mostly misses below the top
 * levels) and ones inside a random inserted prefix (full-depth walks).
 */
final class PrefixWorkload {

    static final int ADDRS = 1 << 16;
    static final int V4_PREFIXES = 100_000;
    static final int V6_PREFIXES = 10_000;

    final PrefixTable<Integer> table;
    final List<IpPrefix> v4;
    final int[] randomV4 = new int[ADDRS];
    final int[] hitV4 = new int[ADDRS];
    /** (hi, lo) pairs. */
    final long[] randomV6 = new long[2 * ADDRS];
    final long[] hitV6 = new long[2 * ADDRS];
    /** Picks the prefixes removeAndReinsertV4 churns. */
    final SplittableRandom churn = new SplittableRandom(RoutingFixtures.SEED + 1);
    /** Computed size and measured heap delta of the table, one line. */
    final String summary;

    private PrefixWorkload(String v6Fixture) {
        SplittableRandom rnd = new SplittableRandom(RoutingFixtures.SEED);
        v4 = RoutingFixtures.v4Prefixes(rnd, V4_PREFIXES);
        List<IpPrefix> v6 = switch (v6Fixture) {
            case "uniform" -> RoutingFixtures.v6Prefixes(rnd, V6_PREFIXES);
            case "bgp" -> RoutingFixtures.v6BgpPrefixes(rnd, V6_PREFIXES);
            default -> throw new IllegalArgumentException("unknown IPv6 fixture " + v6Fixture);
        };
        List<IpPrefix> all = new ArrayList<>(v4);
        all.addAll(v6);
        long before = RoutingFixtures.usedHeapAfterGc();
        long t0 = System.nanoTime();
        table = RoutingFixtures.table(all);
        long buildNanos = System.nanoTime() - t0;
        long after = RoutingFixtures.usedHeapAfterGc();
        PrefixTable.Stats s = table.stats();
        summary = String.format("[routing] v6=%s: %d prefixes (%d distinct), built in %.1f ms; nodes v4=%d v6=%d;"
                        + " computed bytes trie v4=%d v6=%d, fib v4=%d v6=%d, total=%d (%.1f B/prefix); measured heap delta=%d",
                v6Fixture, all.size(), s.prefixes(), buildNanos / 1e6, s.nodesV4(), s.nodesV6(), s.bytesV4(),
                s.bytesV6(), s.fibBytesV4(), s.fibBytesV6(), s.bytes(), (double) s.bytes() / s.prefixes(),
                after - before);
        for (int i = 0; i < ADDRS; i++) {
            randomV4[i] = rnd.nextInt();
            hitV4[i] = RoutingFixtures.hostV4(rnd, v4.get(rnd.nextInt(v4.size())));
            randomV6[2 * i] = RoutingFixtures.v6Hi(rnd);
            randomV6[2 * i + 1] = rnd.nextLong();
            long[] h = RoutingFixtures.hostV6(rnd, v6.get(rnd.nextInt(v6.size())));
            hitV6[2 * i] = h[0];
            hitV6[2 * i + 1] = h[1];
        }
    }

    static PrefixWorkload build(String v6Fixture) {
        return new PrefixWorkload(v6Fixture);
    }
}
