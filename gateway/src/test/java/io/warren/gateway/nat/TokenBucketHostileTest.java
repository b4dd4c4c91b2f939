package io.warren.gateway.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.primitives.NoisePublicKey;
import io.warren.gateway.uapi.UapiKey;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Pacing under a hostile clock and a flood: the token bucket with time going backwards, huge
 * jumps and the nanoTime wrap; the hub's tables under a flood of relayed flows and garbage.
 */
class TokenBucketHostileTest {
    private static final long S = 1_000_000_000L;

    private static int takeAll(TokenBucket b, long now) {
        int n = 0;
        while (b.tryTake(now) && n < 1_000_000) {
            n++;
        }
        return n;
    }

    @Test
    void clockGoingBackwardsGrantsNothingAndNeverDoubleCounts() {
        TokenBucket b = new TokenBucket(new TokenBucket.Rate(S, 4));
        assertEquals(4, takeAll(b, 100 * S));
        assertEquals(0, takeAll(b, 50 * S), "backwards: nothing new");
        assertEquals(0, takeAll(b, 100 * S), "back where it was: still nothing");
        assertEquals(1, takeAll(b, 101 * S), "one period later: one token, the backward step was not credited");
    }

    @Test
    void hugeJumpsAreCappedAtTheBurstAndNeverOverflow() {
        for (long every : new long[] {1, 3, S, Long.MAX_VALUE / 2, Long.MAX_VALUE}) {
            for (int burst : new int[] {1, 8, Integer.MAX_VALUE}) {
                TokenBucket b = new TokenBucket(new TokenBucket.Rate(every, burst));
                b.available(0);
                for (long jump : new long[] {0, 1, every, Long.MAX_VALUE / 3, Long.MAX_VALUE}) {
                    while (b.tryTake(0)) {
                        if (burst == Integer.MAX_VALUE) {
                            break; // do not spend two billion tokens
                        }
                    }
                    boolean any = b.available(jump);
                    assertTrue(!any || jump >= every || burst == Integer.MAX_VALUE, every + "/" + burst + "/" + jump);
                }
                if (burst < 100) {
                    TokenBucket c = new TokenBucket(new TokenBucket.Rate(every, burst));
                    assertEquals(burst, takeAll(c, 0));
                    assertTrue(takeAll(c, Long.MAX_VALUE) <= burst);
                }
            }
        }
    }

    @Test
    void theNanoTimeWrapIsJustTimePassing() {
        TokenBucket b = new TokenBucket(new TokenBucket.Rate(S, 2));
        long start = Long.MAX_VALUE - S / 2;
        assertEquals(2, takeAll(b, start));
        assertEquals(1, takeAll(b, start + S), "across the wrap (overflowing add) one period is one token");
        assertEquals(2, takeAll(b, start + 10 * S));
    }

    @Test
    void randomClocksNeverGrantMoreThanBurstPlusElapsedPeriods() {
        Random r = new Random(4787);
        for (int round = 0; round < 200; round++) {
            long every = 1 + r.nextInt(1_000);
            int burst = 1 + r.nextInt(10);
            TokenBucket b = new TokenBucket(new TokenBucket.Rate(every, burst));
            long now = r.nextLong();
            long max = now;
            long taken = 0;
            long first = now;
            b.available(now);
            for (int i = 0; i < 500; i++) {
                now += r.nextInt(4) == 0 ? -r.nextInt(5_000) : r.nextInt(3_000);
                max = max - now < 0 ? now : max;
                taken += b.tryTake(now) ? 1 : 0;
            }
            assertTrue(taken <= burst + (max - first) / every, "taken " + taken);
        }
    }

    @Test
    void aFloodOfRelayedFlowsKeepsEveryTableBounded() {
        RelayedFlows flows = new RelayedFlows();
        NoisePublicKey a = NoisePublicKey.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        ByteBuffer p = ByteBuffer.allocate(40);
        for (int i = 0; i < 200_000; i++) {
            p.clear();
            p.put(0, (byte) 0x45).putInt(16, i);
            flows.offer(a, p);
        }
        // garbage: empty, short, unknown versions; only IP is noted
        flows.offer(a, ByteBuffer.allocate(0));
        flows.offer(a, ByteBuffer.wrap(new byte[] {0x45, 0, 0}));
        flows.offer(a, ByteBuffer.wrap(new byte[39]).put(0, (byte) 0x60));
        flows.offer(a, ByteBuffer.wrap(new byte[60]).put(0, (byte) 0xf0));
        List<RelayedFlows.Flow> drained = flows.drain();
        assertTrue(drained.size() <= 512, "a fixed table: " + drained.size());
        assertTrue(drained.stream().allMatch(f -> f.version() == 4));

        HubCoordinator hub = new HubCoordinator(1, new HubCoordinator.Pacing(20 * S, 60 * S,
                new TokenBucket.Rate(S, 8), new TokenBucket.Rate(S / 50, 100), 1_000), 30 * S, new CoordCounters());
        for (int i = 0; i < 5_000; i++) {
            byte[] k = new byte[32];
            k[0] = (byte) i;
            k[1] = (byte) (i >> 8);
            hub.relayed(UapiKey.of(new byte[32]), UapiKey.of(k), i);
        }
        assertTrue(hub.trackedIntroductions() <= 1_000, "maxPairs holds: " + hub.trackedIntroductions());
        assertTrue(hub.tick(10 * S, List.of()).isEmpty(), "nobody said HELLO: nothing is sent");
        assertFalse(hub.tick(100 * S, List.of()).size() > 0);
        assertEquals(0, hub.trackedIntroductions(), "idle pairs are dropped");
    }
}
