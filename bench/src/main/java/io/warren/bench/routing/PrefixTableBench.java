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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Longest-prefix-match throughput of {@link PrefixTable} holding 100k IPv4 + 10k IPv6 prefixes
 * ({@link PrefixWorkload}; the IPv6 half in both fixture shapes, {@code -p v6Fixture=...}), one
 * thread: uniformly random destinations (mostly misses below the top levels) and destinations inside
 * an inserted prefix (full-depth walks). Each invocation looks up {@value #BATCH} addresses.
 * The table's computed size and the measured heap delta of building it are printed at setup.
 * {@link PrefixTableCpuTime} measures the same lookups in CPU time, for loaded machines.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PrefixTableBench {

    static final int BATCH = 1024;
    private static final int ADDRS = PrefixWorkload.ADDRS;

    /** The IPv6 half of the table: {@code uniform} (worst case) or {@code bgp} (shaped like the real table). */
    @Param({"uniform", "bgp"})
    public String v6Fixture;

    private PrefixTable<Integer> table;
    private int[] randomV4;
    private int[] hitV4;
    private long[] randomV6;
    private long[] hitV6;
    private List<IpPrefix> v4;
    private int next;
    private SplittableRandom churn;

    @Setup(Level.Trial)
    public void build() {
        PrefixWorkload w = PrefixWorkload.build(v6Fixture);
        System.out.printf("%n%s%n", w.summary);
        table = w.table;
        v4 = w.v4;
        randomV4 = w.randomV4;
        hitV4 = w.hitV4;
        randomV6 = w.randomV6;
        hitV6 = w.hitV6;
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
