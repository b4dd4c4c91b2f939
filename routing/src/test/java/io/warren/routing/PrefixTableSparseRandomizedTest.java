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
 * {@link PrefixTable} against {@link NaivePrefixTable} on sparse tables: prefixes of every length at
 * uniformly random addresses, under a few shared sites, so that long prefixes hang off long chains of
 * prefix-less nodes (the path-compressed skips of {@link FibBlock}) and short prefixes above them change
 * the values pushed down into compiled blocks. Inserts, replaces, removes and batches; lookups of
 * random addresses, of hosts inside a random inserted prefix, and of such hosts with one bit flipped
 * (mismatches inside a skipped chain). The seed is in every failure message.
 */
class PrefixTableSparseRandomizedTest {

    private static final int STEPS = 1500;

    private static IpPrefix randomPrefix(SplittableRandom rnd, boolean v6, long[] sites) {
        int bits = v6 ? 128 : 32;
        long hi = rnd.nextLong();
        long lo = rnd.nextLong();
        if (rnd.nextInt(3) > 0) { // under a site: shares 8..48 leading bits with others
            int shared = 8 + rnd.nextInt(v6 ? 41 : 17);
            long site = sites[rnd.nextInt(sites.length)];
            hi = site & (-1L << (64 - shared)) | hi & (-1L >>> shared);
        }
        int len = rnd.nextInt(4) == 0 ? rnd.nextInt(bits + 1) : bits - rnd.nextInt(bits / 2 + 1);
        return v6 ? IpPrefix.v6(hi, lo, len) : IpPrefix.v4((int) (hi >>> 32), len);
    }

    /** A host inside {@code p} (random host bits). */
    private static IpPrefix hostIn(SplittableRandom rnd, IpPrefix p) {
        IpPrefix h = IpPrefix.v6(rnd.nextLong(), rnd.nextLong(), 128);
        int len = p.length();
        if (p.family() == IpPrefix.Family.IPV4) {
            int mask = len == 0 ? 0 : -1 << (32 - len);
            return IpPrefix.v4(p.v4Address() | (int) (h.hi() >>> 32) & ~mask, 32);
        }
        long mhi = len == 0 ? 0 : len >= 64 ? -1L : -1L << (64 - len);
        long mlo = len <= 64 ? 0 : -1L << (128 - len);
        return IpPrefix.v6(p.hi() | h.hi() & ~mhi, p.lo() | h.lo() & ~mlo, 128);
    }

    private static IpPrefix flip(IpPrefix host, int bit) {
        if (host.family() == IpPrefix.Family.IPV4) {
            return IpPrefix.v4(host.v4Address() ^ (1 << (31 - bit)), 32);
        }
        return bit < 64 ? IpPrefix.v6(host.hi() ^ (1L << (63 - bit)), host.lo(), 128)
                : IpPrefix.v6(host.hi(), host.lo() ^ (1L << (127 - bit)), 128);
    }

    private static Integer lookup(PrefixTable<Integer> t, IpPrefix host) {
        return host.family() == IpPrefix.Family.IPV4 ? t.lookupV4(host.v4Address()) : t.lookupV6(host.hi(), host.lo());
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 0x5eed_0011L, 0x5eed_0012L, 0x5eed_0013L})
    void sparseTablesMatchNaiveReference(long seed) {
        for (boolean v6 : new boolean[] {false, true}) {
            SplittableRandom rnd = new SplittableRandom(seed);
            long[] sites = {rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), 0x2001_0db8_0000_0000L};
            PrefixTable<Integer> table = new PrefixTable<>();
            NaivePrefixTable naive = new NaivePrefixTable();
            List<IpPrefix> inserted = new ArrayList<>();
            for (int step = 0; step < STEPS; step++) {
                String where = "seed=" + seed + " v6=" + v6 + " step=" + step;
                int op = rnd.nextInt(20);
                if (op < 8 || inserted.isEmpty()) {
                    IpPrefix p = randomPrefix(rnd, v6, sites);
                    Integer v = rnd.nextInt(1, 1_000_000);
                    assertEquals(naive.map.put(p, v), table.put(p, v), where + " put " + p);
                    inserted.add(p);
                } else if (op < 11) {
                    IpPrefix p = inserted.get(rnd.nextInt(inserted.size()));
                    Integer v = rnd.nextInt(1, 1_000_000);
                    assertEquals(naive.map.put(p, v), table.put(p, v), where + " replace " + p);
                } else if (op < 16) {
                    IpPrefix p = inserted.get(rnd.nextInt(inserted.size()));
                    assertEquals(naive.map.remove(p), table.remove(p), where + " remove " + p);
                } else if (op < 18) {
                    List<IpPrefix> batch = new ArrayList<>();
                    for (int k = rnd.nextInt(1, 8); k > 0; k--) {
                        batch.add(rnd.nextBoolean() || inserted.isEmpty() ? randomPrefix(rnd, v6, sites)
                                : inserted.get(rnd.nextInt(inserted.size())));
                    }
                    Map<IpPrefix, Integer> values = new HashMap<>();
                    table.update(e -> {
                        for (IpPrefix p : batch) {
                            if (values.containsKey(p) || rnd.nextInt(3) == 0) {
                                e.remove(p);
                                naive.map.remove(p);
                                values.put(p, null);
                            } else {
                                Integer v = rnd.nextInt(1, 1_000_000);
                                e.put(p, v);
                                naive.map.put(p, v);
                                values.put(p, v);
                            }
                        }
                    });
                    inserted.addAll(batch);
                } else {
                    IpPrefix p = rnd.nextBoolean() ? randomPrefix(rnd, v6, sites) : inserted.get(rnd.nextInt(inserted.size()));
                    assertEquals(naive.map.get(p), table.get(p), where + " get " + p);
                }
                assertEquals(naive.map.size(), table.size(), where + " size");
                IpPrefix random = randomPrefix(rnd, v6, sites);
                IpPrefix hit = hostIn(rnd, inserted.get(rnd.nextInt(inserted.size())));
                IpPrefix near = flip(hit, rnd.nextInt(v6 ? 128 : 32));
                for (IpPrefix host : new IpPrefix[] {hostIn(rnd, random), hit, near}) {
                    assertEquals(naive.lookup(host), lookup(table, host), where + " lookup " + host);
                }
            }
            for (IpPrefix p : naive.map.keySet()) {
                IpPrefix host = hostIn(rnd, p);
                assertEquals(naive.lookup(host), lookup(table, host), "seed=" + seed + " v6=" + v6 + " final " + host);
            }
        }
    }
}
