package io.warren.bench.routing;

import io.warren.routing.MacLearn;
import io.warren.routing.MacTable;
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
 * {@link MacTable} with 100k learned entries (bound 100k, 16 ports): lookup of known and unknown
 * destinations and source learning (refresh) per frame. Computed and measured memory printed at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MacTableBench {

    static final int BATCH = 1024;
    private static final int N = 100_000;
    private static final int ADDRS = 1 << 16;
    private static final long NOW = 1_000_000_000_000L;

    private MacTable<Integer> table;
    private final long[] known = new long[ADDRS];
    private final long[] unknown = new long[ADDRS];
    private final Integer[] portOf = new Integer[ADDRS];
    private int next;

    @Setup(Level.Trial)
    public void build() {
        SplittableRandom rnd = new SplittableRandom(RoutingFixtures.SEED);
        long[] macs = new long[N];
        Integer[] ports = new Integer[16];
        for (int i = 0; i < ports.length; i++) {
            ports[i] = 1000 + i;
        }
        long before = RoutingFixtures.usedHeapAfterGc();
        table = new MacTable<>(N);
        int learned = 0;
        for (int i = 0; i < N; i++) {
            macs[i] = rnd.nextLong() & 0xfeff_ffff_ffffL; // individual addresses
            if (table.learn(macs[i], ports[i & 15], NOW) == MacLearn.LEARNED) {
                learned++;
            }
        }
        long after = RoutingFixtures.usedHeapAfterGc();
        System.out.printf("%n[mac] %d entries learned; computed bytes=%d (%.1f B/entry); measured heap delta=%d%n",
                learned, table.memoryBytes(), (double) table.memoryBytes() / learned, after - before);
        for (int i = 0; i < ADDRS; i++) {
            int k = rnd.nextInt(N);
            known[i] = macs[k];
            portOf[i] = ports[k & 15];
            unknown[i] = rnd.nextLong() & 0xfeff_ffff_ffffL;
        }
    }

    private int start() {
        int s = next;
        next = (s + BATCH) & (ADDRS - 1);
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void lookupKnown(Blackhole bh) {
        int s = start();
        for (int i = s; i < s + BATCH; i++) {
            bh.consume(table.lookup(known[i], NOW + 1));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void lookupUnknown(Blackhole bh) {
        int s = start();
        for (int i = s; i < s + BATCH; i++) {
            bh.consume(table.lookup(unknown[i], NOW + 1));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void learnRefresh(Blackhole bh) {
        int s = start();
        for (int i = s; i < s + BATCH; i++) {
            bh.consume(table.learn(known[i], portOf[i], NOW + 2));
        }
    }
}
