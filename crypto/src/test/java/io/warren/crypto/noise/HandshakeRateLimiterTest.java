package io.warren.crypto.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Token bucket per source: 20/s, burst 5, /64 for IPv6, bounded, idle entries collected; fake clock. */
class HandshakeRateLimiterTest {
    private static final long T0 = 9_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final byte[] A = {(byte) 198, 51, 100, 1};
    private static final byte[] B = {(byte) 198, 51, 100, 2};

    @Test
    void burstOfFiveThenTwentyPerSecond() {
        HandshakeRateLimiter rl = new HandshakeRateLimiter();
        for (int i = 0; i < 5; i++) {
            assertTrue(rl.allow(A, T0), "burst " + i);
        }
        assertFalse(rl.allow(A, T0));
        assertTrue(rl.allow(B, T0), "other sources are independent");
        assertFalse(rl.allow(A, T0 + 49 * MS));
        assertTrue(rl.allow(A, T0 + 50 * MS), "one token per 50 ms");
        assertFalse(rl.allow(A, T0 + 60 * MS));
        // Over a long quiet period the bucket refills only to the burst size.
        long later = T0 + 900 * MS;
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            if (rl.allow(A, later)) {
                allowed++;
            }
        }
        assertEquals(5, allowed);
    }

    @Test
    void ipv6SourcesShareTheirSlash64() {
        HandshakeRateLimiter rl = new HandshakeRateLimiter();
        byte[] v6a = new byte[16];
        v6a[0] = 0x20;
        v6a[1] = 0x01;
        v6a[15] = 1;
        byte[] v6b = v6a.clone();
        v6b[15] = 2;
        v6b[8] = 0x7f;
        for (int i = 0; i < 5; i++) {
            assertTrue(rl.allow(i % 2 == 0 ? v6a : v6b, T0));
        }
        assertFalse(rl.allow(v6b, T0));
        byte[] otherPrefix = v6a.clone();
        otherPrefix[7] = 1;
        assertTrue(rl.allow(otherPrefix, T0));
        assertFalse(rl.allow(new byte[5], T0), "bad address length");
    }

    @Test
    void tableIsBoundedAndIdleEntriesAreCollected() {
        HandshakeRateLimiter rl = new HandshakeRateLimiter(3);
        for (int i = 1; i <= 3; i++) {
            assertTrue(rl.allow(new byte[] {10, 0, 0, (byte) i}, T0));
        }
        assertFalse(rl.allow(new byte[] {10, 0, 0, 4}, T0 + 10 * MS), "full table refuses new sources");
        assertEquals(3, rl.size());
        assertTrue(rl.allow(new byte[] {10, 0, 0, 4}, T0 + 1_500 * MS), "idle entries collected after 1 s");
        assertEquals(1, rl.size());
        assertThrows(IllegalArgumentException.class, () -> new HandshakeRateLimiter(0));
    }
}
