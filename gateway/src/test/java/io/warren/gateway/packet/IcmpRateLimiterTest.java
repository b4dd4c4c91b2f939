package io.warren.gateway.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IcmpRateLimiterTest {

    private static final long MS = 1_000_000L;

    @Test
    void burstThenSustainedRate() {
        IcmpRateLimiter limiter = new IcmpRateLimiter(10, 3);
        long now = 123_456_789L;
        assertTrue(limiter.tryAcquire(now));
        assertTrue(limiter.tryAcquire(now));
        assertTrue(limiter.tryAcquire(now));
        assertFalse(limiter.tryAcquire(now));
        assertFalse(limiter.tryAcquire(now + 99 * MS));
        assertTrue(limiter.tryAcquire(now + 100 * MS));
        assertFalse(limiter.tryAcquire(now + 150 * MS));
        assertEquals(4, limiter.allowed());
        assertEquals(3, limiter.limited());
    }

    @Test
    void idleTimeRefillsOnlyUpToBurst() {
        IcmpRateLimiter limiter = new IcmpRateLimiter(10, 2);
        long now = -5_000 * MS; // nanoTime may be negative
        assertTrue(limiter.tryAcquire(now));
        assertTrue(limiter.tryAcquire(now));
        now += 3_600_000 * MS;
        assertTrue(limiter.tryAcquire(now));
        assertTrue(limiter.tryAcquire(now));
        assertFalse(limiter.tryAcquire(now));
    }

    @Test
    void clockGoingBackwardsGrantsNothing() {
        IcmpRateLimiter limiter = new IcmpRateLimiter(1, 1);
        assertTrue(limiter.tryAcquire(1_000 * MS));
        assertFalse(limiter.tryAcquire(0));
        assertFalse(limiter.tryAcquire(1_999 * MS));
        assertTrue(limiter.tryAcquire(2_000 * MS));
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new IcmpRateLimiter(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new IcmpRateLimiter(1, 0));
    }
}
