package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A flood of unique names (random subdomains, the classic cache-busting attack) must not grow the
 * resolver's state without limit: the cache stays at its size, LRU evicts, the in-flight table
 * stays at max-forwards and every query beyond it gets SERVFAIL at once.
 */
class DnsFloodBoundsTest {
    private static final long SEC = 1_000_000_000L;
    private static final long T0 = 10_000 * SEC;

    private final DnsCounters counters = new DnsCounters();

    private DnsResolver<String> resolver(int maxInFlight, int maxAttempts) {
        return new DnsResolver<>(new LocalZone(5, 60), new UpstreamSelector(List.of(DnsFixtures.UPSTREAM_A), Map.of()),
                150, new ForwarderSettings(maxInFlight, Duration.ofSeconds(1), maxAttempts), new SplittableRandom(4),
                counters);
    }

    @Test
    void uniqueNamesNeverGrowTheCacheBeyondItsSize() {
        DnsResolver<String> r = resolver(64, 1);
        SplittableRandom rnd = new SplittableRandom(8);
        int names = 20_000;
        for (int i = 0; i < names; i++) {
            String n = Long.toHexString(rnd.nextLong()) + ".flood.test";
            byte[] q = DnsFixtures.query(i & 0xFFFF, n, Type.A, -1, false);
            UpstreamSend s = assertInstanceOf(DnsAction.Send.class, r.onQuery(T0 + i, "c", Transport.UDP, q)).send();
            r.onUpstream(T0 + i, s.socket(), DnsFixtures.UPSTREAM_A, Transport.UDP, DnsFixtures.response(s.wire(), 0,
                    new Record[] {new ARecord(DnsFixtures.name(n), DClass.IN, 3600, DnsFixtures.ip("10.9.9.9"))},
                    new Record[0]).toWire());
            assertTrue(r.cacheSize() <= 150);
            assertEquals(0, r.inFlight());
        }
        assertEquals(150, r.cacheSize());
        assertEquals(names, counters.upstreamAnswers());
    }

    @Test
    void unansweredFloodStopsAtMaxForwardsAndDrainsOnTimeout() {
        DnsResolver<String> r = resolver(500, 2);
        for (int i = 0; i < 5_000; i++) {
            r.onQuery(T0, "c", Transport.UDP, DnsFixtures.query(i & 0xFFFF, "n" + i + ".flood.test", Type.A, -1, false));
            assertTrue(r.inFlight() <= 500);
        }
        assertEquals(500, counters.forwarded());
        assertEquals(4_500, counters.drops(DnsDropReason.IN_FLIGHT_FULL));
        r.onTick(T0 + SEC);
        assertEquals(500, r.inFlight(), "second attempts");
        assertEquals(500, r.onTick(T0 + 2 * SEC).size());
        assertEquals(0, r.inFlight());
        assertEquals(500, counters.drops(DnsDropReason.UPSTREAM_TIMEOUT));
    }
}
