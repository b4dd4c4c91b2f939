package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Differential property: the cache-hit fast paths ({@link FastQuery} in {@link DnsResolver#onQuery}
 * and {@link DnsResolver#answerFromCache}) against the dnsjava path, on random and mutated queries.
 * Two resolvers hold the same cached answers and draw the same random numbers; the reference one
 * has its local zone changed before every query, so it never takes the fast path. Both must do
 * exactly the same: the same reply bytes, the same drop, or the same upstream query.
 */
class FastPathDifferentialTest {
    private static final long SEC = 1_000_000_000L;
    private static final long T0 = 40_000 * SEC;
    private static final Name BUMP = DnsFixtures.name("bump.invalid");

    private final LocalZone fastZone = new LocalZone(5, 60);
    private final LocalZone slowZone = new LocalZone(5, 60);
    private final DnsCounters fastCounters = new DnsCounters();
    private final DnsCounters slowCounters = new DnsCounters();
    private final DnsResolver<String> fast = resolver(fastZone, fastCounters);
    private final DnsResolver<String> slow = resolver(slowZone, slowCounters);

    private static DnsResolver<String> resolver(LocalZone zone, DnsCounters counters) {
        return new DnsResolver<>(zone, new UpstreamSelector(List.of(DnsFixtures.UPSTREAM_A), Map.of()), 1000,
                new ForwarderSettings(60_000, Duration.ofSeconds(5), 2), new SplittableRandom(99), counters);
    }

    /** Seeds: every shape the fast path takes, with answers of several sizes and RCODEs in the cache. */
    private List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        int id = 1;
        for (String name : new String[] {"a.test", "Mixed.Example.TEST", "big.test", "nx.test", "v6.test"}) {
            int type = name.startsWith("big") ? Type.TXT : name.startsWith("v6") ? Type.AAAA : Type.A;
            for (int payload : new int[] {-1, 512, 1232, 4096}) {
                for (int bits = 0; bits < 4; bits++) {
                    boolean dnssecOk = (bits & 1) != 0 && payload >= 0;
                    byte[] q = DnsFixtures.query(id++, name, type, payload, dnssecOk);
                    if ((bits & 2) == 0) {
                        q[3] &= (byte) ~0x10; // CD off
                    }
                    seeds.add(q);
                }
            }
        }
        return seeds;
    }

    private static Message answerFor(UpstreamSend s) {
        Message q = DnsFixtures.parse(s.wire());
        Name n = q.getQuestion().getName();
        String lower = n.toString().toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("nx.")) {
            SOARecord soa = new SOARecord(DnsFixtures.name("test"), DClass.IN, 600, DnsFixtures.name("ns.test"),
                    DnsFixtures.name("hm.test"), 1, 3600, 600, 86400, 300);
            return DnsFixtures.response(s.wire(), Rcode.NXDOMAIN, new Record[0], new Record[] {soa});
        }
        if (lower.startsWith("big.")) {
            Record[] txt = new Record[9];
            for (int i = 0; i < txt.length; i++) {
                txt[i] = new TXTRecord(n, DClass.IN, 600 + i, "z".repeat(120));
            }
            return DnsFixtures.response(s.wire(), 0, txt, new Record[0]);
        }
        if (lower.startsWith("v6.")) {
            return DnsFixtures.response(s.wire(), 0, new Record[] {new AAAARecord(n, DClass.IN, 900,
                    DnsFixtures.ip("2001:db8::6"))}, new Record[0]);
        }
        return DnsFixtures.response(s.wire(), 0, new Record[] {new ARecord(n, DClass.IN, 700,
                DnsFixtures.ip("192.0.2.7"))}, new Record[0]);
    }

    /** Forwards {@code q} through both resolvers and answers it identically: both caches fill. */
    private void prime(byte[] q) {
        DnsAction<String> f = fast.onQuery(T0, "c", Transport.UDP, q);
        DnsAction<String> s = slow.onQuery(T0, "c", Transport.UDP, q);
        if (f instanceof DnsAction.Send<String> fs) {
            UpstreamSend ss = assertInstanceOf(DnsAction.Send.class, s).send();
            assertArrayEquals(fs.send().wire(), ss.wire());
            byte[] up = answerFor(fs.send()).toWire();
            fast.onUpstream(T0, fs.send().socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, up);
            slow.onUpstream(T0, ss.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, up);
        }
    }

    private void assertSame(byte[] q, long now, Transport t) {
        slowZone.addDomain(BUMP); // a new zone version: the reference takes the dnsjava path
        DnsAction<String> f = fast.onQuery(now, "c", t, q);
        DnsAction<String> s = slow.onQuery(now, "c", t, q);
        String what = t + " " + HexFormat.of().formatHex(q);
        assertEquals(s.getClass(), f.getClass(), what);
        if (s instanceof DnsAction.Reply<String> sr) {
            assertArrayEquals(sr.wire(), ((DnsAction.Reply<String>) f).wire(), what);
        } else if (s instanceof DnsAction.Drop<String> sd) {
            assertEquals(sd.reason(), ((DnsAction.Drop<String>) f).reason(), what);
        } else if (s instanceof DnsAction.Send<String>) {
            UpstreamSend ss = ((DnsAction.Send<String>) s).send();
            UpstreamSend fs = ((DnsAction.Send<String>) f).send();
            assertArrayEquals(ss.wire(), fs.wire(), what);
            assertEquals(ss.socket(), fs.socket(), what);
        }
    }

    @Test
    void fastAndDnsjavaPathsAgreeOnRandomAndMutatedQueries() {
        List<byte[]> seeds = seeds();
        for (byte[] q : seeds) {
            prime(q);
        }
        long now = T0 + 17 * SEC;
        for (byte[] q : seeds) {
            fast.onQuery(now, "c", Transport.UDP, q); // the first hit checks the local zone
            slow.onQuery(now, "c", Transport.UDP, q);
        }
        FastQuery scratch = new FastQuery();
        CacheKey probe = CacheKey.probe();
        byte[] out = new byte[DnsWire.EDNS_UDP_SIZE];
        byte[] ring = new byte[UdpListener.MAX_QUERY];
        SplittableRandom rnd = new SplittableRandom(0x20);
        int fastHits = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] q = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            Transport t = rnd.nextInt(4) == 0 ? Transport.TCP : Transport.UDP;
            if (t == Transport.UDP && q.length <= ring.length) {
                System.arraycopy(q, 0, ring, 0, q.length);
                long hitsBefore = fastCounters.cacheHits();
                int n = fast.answerFromCache(now, ring, q.length, scratch, probe, out);
                if (n > 0) {
                    fastHits++;
                    slowZone.addDomain(BUMP);
                    DnsAction<String> s = slow.onQuery(now, "c", t, q);
                    assertArrayEquals(assertInstanceOf(DnsAction.Reply.class, s).wire(), Arrays.copyOf(out, n),
                            () -> "answerFromCache " + HexFormat.of().formatHex(q));
                    assertEquals(hitsBefore + 1, fastCounters.cacheHits());
                    continue;
                }
            }
            assertSame(q, now, t);
        }
        assertTrue(fastHits > 3_000, "the mutations exercise the fast path: " + fastHits);
        assertEquals(slowCounters.cacheHits(), fastCounters.cacheHits());
        assertEquals(slowCounters.forwarded(), fastCounters.forwarded());
        assertEquals(slowCounters.truncatedReplies(), fastCounters.truncatedReplies());
        for (DnsDropReason r : DnsDropReason.values()) {
            assertEquals(slowCounters.drops(r), fastCounters.drops(r), r.name());
        }
    }

    /** Random edits that keep many queries valid: case flips, flag bits, payload, DO/CD, cuts, byte noise. */
    private static byte[] mutate(byte[] seed, SplittableRandom rnd) {
        byte[] q = seed.clone();
        switch (rnd.nextInt(8)) {
            case 0 -> {
                for (int i = 12; i < q.length; i++) { // 0x20: flip the case of letters
                    if (Character.isLetter(q[i]) && rnd.nextBoolean()) {
                        q[i] ^= 0x20;
                    }
                }
            }
            case 1 -> q[2 + rnd.nextInt(2)] ^= (byte) (1 << rnd.nextInt(8)); // one header flag bit
            case 2 -> {
                if (DnsWire.u16(q, DnsWire.ARCOUNT_OFFSET) == 1) {
                    int opt = q.length - DnsWire.OPT_LENGTH;
                    DnsWire.put16(q, opt + 3, rnd.nextInt(0x10000)); // payload size
                    q[opt + 7] ^= (byte) (rnd.nextBoolean() ? 0x80 : 0x01); // DO or a Z bit
                }
            }
            case 3 -> q = Arrays.copyOf(q, rnd.nextInt(0, q.length + 3)); // cut or pad
            case 4 -> DnsWire.put16(q, 4 + 2 * rnd.nextInt(4), rnd.nextInt(3)); // a section count
            case 5 -> q[3] ^= 0x10; // CD
            default -> {
                for (int k = rnd.nextInt(1, 4); k > 0; k--) {
                    q[rnd.nextInt(q.length)] = (byte) rnd.nextInt(256);
                }
            }
        }
        DnsWire.put16(q.length >= 2 ? q : new byte[2], 0, rnd.nextInt(0x10000));
        return q;
    }
}
