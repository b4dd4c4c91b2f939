package io.warren.bench.routing;

import io.warren.routing.IpPrefix;
import io.warren.routing.PrefixTable;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Longest-prefix-match throughput of {@link PrefixTable} holding 100k IPv4 + 10k IPv6 prefixes, one
 * thread: uniformly random destinations (mostly misses below the top levels) and destinations inside
 * an inserted prefix (full-depth walks). Each invocation looks up {@value #BATCH} addresses.
 * The table's computed size and the measured heap delta of building it are printed at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PrefixTableBench {

    static final int BATCH = 1024;
    private static final int ADDRS = 1 << 16;

    private PrefixTable<Integer> table;
    private final int[] randomV4 = new int[ADDRS];
    private final int[] hitV4 = new int[ADDRS];
    private final long[] randomV6 = new long[2 * ADDRS];
    private final long[] hitV6 = new long[2 * ADDRS];
    private List<IpPrefix> v4;
    private int next;
    private SplittableRandom churn;

    @Setup(Level.Trial)
    public void build() {
        SplittableRandom rnd = new SplittableRandom(RoutingFixtures.SEED);
        v4 = RoutingFixtures.v4Prefixes(rnd, 100_000);
        List<IpPrefix> v6 = RoutingFixtures.v6Prefixes(rnd, 10_000);
        List<IpPrefix> all = new java.util.ArrayList<>(v4);
        all.addAll(v6);
        long before = RoutingFixtures.usedHeapAfterGc();
        long t0 = System.nanoTime();
        table = RoutingFixtures.table(all);
        long buildNanos = System.nanoTime() - t0;
        long after = RoutingFixtures.usedHeapAfterGc();
        PrefixTable.Stats s = table.stats();
        System.out.printf("%n[routing] %d prefixes (%d distinct), built in %.1f ms; nodes v4=%d v6=%d;"
                        + " computed bytes v4=%d v6=%d total=%d (%.1f B/prefix); measured heap delta=%d%n",
                all.size(), s.prefixes(), buildNanos / 1e6, s.nodesV4(), s.nodesV6(), s.bytesV4(), s.bytesV6(),
                s.bytes(), (double) s.bytes() / s.prefixes(), after - before);
        for (int i = 0; i < ADDRS; i++) {
            randomV4[i] = rnd.nextInt();
            hitV4[i] = RoutingFixtures.hostV4(rnd, v4.get(rnd.nextInt(v4.size())));
            randomV6[2 * i] = RoutingFixtures.v6Hi(rnd);
            randomV6[2 * i + 1] = rnd.nextLong();
            long[] h = RoutingFixtures.hostV6(rnd, v6.get(rnd.nextInt(v6.size())));
            hitV6[2 * i] = h[0];
            hitV6[2 * i + 1] = h[1];
        }
        churn = new SplittableRandom(RoutingFixtures.SEED + 1);
    }

    private int start() {
        int s = next;
        next = (s + BATCH) & (ADDRS - 1);
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void lookupV4Random(Blackhole bh) {
        int s = start();
        for (int i = s; i < s + BATCH; i++) {
            bh.consume(table.lookupV4(randomV4[i]));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void lookupV4Hit(Blackhole bh) {
        int s = start();
        for (int i = s; i < s + BATCH; i++) {
            bh.consume(table.lookupV4(hitV4[i]));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void lookupV6Random(Blackhole bh) {
        int s = start();
        for (int i = s; i < s + BATCH; i++) {
            bh.consume(table.lookupV6(randomV6[2 * i], randomV6[2 * i + 1]));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void lookupV6Hit(Blackhole bh) {
        int s = start();
        for (int i = s; i < s + BATCH; i++) {
            bh.consume(table.lookupV6(hitV6[2 * i], hitV6[2 * i + 1]));
        }
    }

    /** Control-plane cost: remove one existing /8../32 prefix and put it back (two path copies + publications). */
    @Benchmark
    public Integer removeAndReinsertV4() {
        IpPrefix p = v4.get(churn.nextInt(v4.size()));
        Integer v = table.remove(p);
        if (v != null) {
            table.put(p, v);
        }
        return v;
    }
}
