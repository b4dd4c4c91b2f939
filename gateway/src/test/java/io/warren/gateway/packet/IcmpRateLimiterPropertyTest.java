package io.warren.gateway.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link IcmpRateLimiter} against random rates, bursts and clocks (seeded), including a clock that
 * steps back or wraps: nothing throws, the counters add up, and over any run no more errors are
 * allowed than the burst plus the rate times the time that passed (RFC 1812 §4.3.2.8).
 */
class IcmpRateLimiterPropertyTest {

    @Test
    void neverAllowsMoreThanBurstPlusRate() {
        Random r = new Random(0x5EED_0009L);
        for (int run = 0; run < 300; run++) {
            long rate = 1 + r.nextInt(r.nextBoolean() ? 100 : 1_000_000);
            long burst = 1 + r.nextInt(50);
            IcmpRateLimiter limiter = new IcmpRateLimiter(rate, burst);
            long start = r.nextBoolean() ? r.nextLong() : Long.MAX_VALUE - r.nextInt(1_000_000);
            long now = start;
            long latest = start;
            int calls = 2_000;
            for (int i = 0; i < calls; i++) {
                long step = switch (r.nextInt(10)) {
                    case 0 -> -r.nextInt(1_000_000_000);
                    case 1 -> r.nextInt(Integer.MAX_VALUE);
                    default -> r.nextInt(2_000_000);
                };
                now += step;
                if (now - latest > 0) {
                    latest = now;
                }
                limiter.tryAcquire(now);
            }
            assertEquals(calls, limiter.allowed() + limiter.limited());
            long nanosPerToken = 1_000_000_000L / rate;
            long elapsed = latest - start;
            assertTrue(limiter.allowed() <= burst + elapsed / nanosPerToken,
                    "rate " + rate + " burst " + burst + ": " + limiter.allowed() + " allowed in " + elapsed + " ns");
        }
    }
}
