package io.warren.bench.routing;

import io.warren.routing.PrefixTable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The lookups of {@link PrefixTableBench} timed in the measuring thread's own CPU time, for a shared,
 * loaded machine where wall-clock JMH scores swing by 10x: time the thread spends descheduled does not
 * count (cache pollution by other processes still does). Prints millions of lookups per CPU second,
 * median and best of the rounds, per lookup kind and IPv6 fixture.
 *
 * <p>Usage: {@code java -cp <bench jar and classpath> io.warren.bench.routing.PrefixTableCpuTime
 * [rounds] [uniform|bgp ...]}. {@link #prepare} and {@link #round} are public so that a driver can
 * alternate two builds of the routing module (one class loader each) within one JVM.
 */
public final class PrefixTableCpuTime {

    /** Lookup kinds, in the order {@link #round} returns them. */
    public static final String[] KINDS =
            {"lookupV4Random", "lookupV4Hit", "lookupV6Random", "lookupV6Hit", "removeAndReinsertV4"};
    private static final int PASSES = 8;
    /** removeAndReinsertV4 operations per round (reported in thousands per CPU second). */
    private static final int CHURN = 2_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private PrefixTableCpuTime() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        String[] fixtures = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length) : new String[] {"uniform", "bgp"};
        for (String f : fixtures) {
            Object w = prepare(f);
            System.out.println(summary(w));
            double[][] rates = new double[KINDS.length][rounds];
            for (int r = 0; r < rounds; r++) {
                double[] one = round(w);
                for (int k = 0; k < KINDS.length; k++) {
                    rates[k][r] = one[k];
                }
            }
            for (int k = 0; k < KINDS.length; k++) {
                Arrays.sort(rates[k]);
                System.out.printf("%-20s %-8s median %7.1f  best %7.1f  %s/CPU-s%n", KINDS[k], f,
                        rates[k][rounds / 2], rates[k][rounds - 1], k == 4 ? "k ops" : "M lookups");
            }
        }
    }

    /** Builds the workload of one IPv6 fixture ({@code uniform} or {@code bgp}). */
    public static Object prepare(String v6Fixture) {
        return PrefixWorkload.build(v6Fixture);
    }

    /** The computed-size line of a prepared workload. */
    public static String summary(Object workload) {
        return ((PrefixWorkload) workload).summary;
    }

    /**
     * One round: each lookup kind over all addresses {@value #PASSES} times (M lookups per CPU second),
     * then {@value #CHURN} removes and re-inserts of IPv4 prefixes (thousands per CPU second).
     */
    public static double[] round(Object workload) {
        PrefixWorkload w = (PrefixWorkload) workload;
        PrefixTable<Integer> t = w.table;
        double[] out = new double[KINDS.length];
        int found = 0;
        for (int k = 0; k < KINDS.length; k++) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            if (k == 4) {
                found += churn(w);
                out[k] = (double) CHURN / (THREADS.getCurrentThreadCpuTime() - t0) * 1e6;
                continue;
            }
            for (int pass = 0; pass < PASSES; pass++) {
                found += switch (k) {
                    case 0 -> v4(t, w.randomV4);
                    case 1 -> v4(t, w.hitV4);
                    case 2 -> v6(t, w.randomV6);
                    default -> v6(t, w.hitV6);
                };
            }
            long ns = THREADS.getCurrentThreadCpuTime() - t0;
            out[k] = (double) PASSES * PrefixWorkload.ADDRS / ns * 1e3;
        }
        if (found == 42) {
            System.out.print("");
        }
        return out;
    }

    private static int churn(PrefixWorkload w) {
        int found = 0;
        for (int i = 0; i < CHURN; i++) {
            var p = w.v4.get(w.churn.nextInt(w.v4.size()));
            Integer v = w.table.remove(p);
            if (v != null) {
                w.table.put(p, v);
                found++;
            }
        }
        return found;
    }

    private static int v4(PrefixTable<Integer> t, int[] addrs) {
        int found = 0;
        for (int a : addrs) {
            if (t.lookupV4(a) != null) {
                found++;
            }
        }
        return found;
    }

    private static int v6(PrefixTable<Integer> t, long[] addrs) {
        int found = 0;
        for (int i = 0; i < addrs.length; i += 2) {
            if (t.lookupV6(addrs[i], addrs[i + 1]) != null) {
                found++;
            }
        }
        return found;
    }
}
