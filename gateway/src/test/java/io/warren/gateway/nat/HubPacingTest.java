package io.warren.gateway.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.uapi.UapiKey;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hub's pacing of introductions, with a fake clock: only talking pairs, token buckets, round robin. */
class HubPacingTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final HubCoordinator.Pacing PACING = new HubCoordinator.Pacing(20 * S, 60 * S,
            new TokenBucket.Rate(S, 4), new TokenBucket.Rate(20 * MS, 50), 100_000);

    private static UapiKey key(int n) {
        byte[] b = new byte[32];
        b[0] = (byte) n;
        b[1] = (byte) (n >> 8);
        b[31] = 1;
        return UapiKey.of(b);
    }

    private static HubCoordinator.Spoke spoke(int n, int port) {
        return new HubCoordinator.Spoke(key(n), Optional.of(new InetSocketAddress("198.51.100." + (n % 250 + 1), port)),
                List.of());
    }

    private static List<HubCoordinator.Spoke> spokes(int n) {
        List<HubCoordinator.Spoke> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(spoke(i, 40000 + i));
        }
        return out;
    }

    private static HubCoordinator hub(int n, CoordCounters c) {
        HubCoordinator hub = new HubCoordinator(0, PACING, 3600 * S, c);
        for (int i = 0; i < n; i++) {
            hub.receive(key(i), new CoordMessage.Hello(1), 0);
        }
        return hub;
    }

    @Test
    void tokenBucketStartsFullRefillsAtItsRateAndCapsAtItsBurst() {
        TokenBucket b = new TokenBucket(new TokenBucket.Rate(S, 3));
        assertTrue(b.tryTake(0) && b.tryTake(0) && b.tryTake(0));
        assertFalse(b.tryTake(0));
        assertFalse(b.tryTake(S - 1));
        assertTrue(b.tryTake(S));
        assertFalse(b.available(S + S / 2));
        assertTrue(b.tryTake(2 * S), "one more second, one more token");
        assertEquals(3, takeAll(b, 100 * S), "never more than the burst");
    }

    private static int takeAll(TokenBucket b, long now) {
        int n = 0;
        while (b.tryTake(now)) {
            n++;
        }
        return n;
    }

    @Test
    void everyoneTalkingToEveryoneIsPacedNotABurstAndEveryoneIsServed() {
        int n = 40; // 40 * 39 = 1560 introductions wanted at once
        CoordCounters c = new CoordCounters();
        HubCoordinator hub = hub(n, c);
        List<HubCoordinator.Spoke> spokes = spokes(n);
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                hub.relayed(key(a), key(b), 0);
            }
        }
        assertEquals(n * (n - 1), hub.trackedIntroductions());
        Set<List<UapiKey>> introduced = new HashSet<>();
        Map<UapiKey, Integer> perSpoke = new HashMap<>();
        long maxPerTick = 0;
        long t = 0;
        for (; t <= 60 * S && introduced.size() < n * (n - 1); t += 100 * MS) {
            List<HubCoordinator.Outgoing> out = hub.tick(t, spokes);
            maxPerTick = Math.max(maxPerTick, out.size());
            for (HubCoordinator.Outgoing o : out) {
                introduced.add(List.of(o.to(), ((CoordMessage.Introduce) o.message()).peer()));
                perSpoke.merge(o.to(), 1, Integer::sum);
            }
            if (t == 0) {
                assertTrue(out.size() <= 50, "the overall burst: " + out.size());
                assertTrue(perSpoke.values().stream().allMatch(v -> v <= 4), "the per-spoke burst");
            }
        }
        assertEquals(n * (n - 1), introduced.size(), "every talking pair was introduced in the end");
        assertTrue(maxPerTick <= 50, "at most the overall burst in one tick: " + maxPerTick);
        // per spoke: 4 at once, then 1/s: 39 introductions take ~35 s
        assertTrue(t >= 30 * S && t <= 40 * S, "paced by the per-spoke bucket: " + t / S + " s");
        assertTrue(c.deferred() >= n * (n - 1) - 50, "held-back introductions were counted: " + c.deferred());
        assertEquals(n * (n - 1), c.sent());
    }

    @Test
    void overallBucketBoundsTheRateWhenManySpokesTalkToOne() {
        int n = 200;
        CoordCounters c = new CoordCounters();
        HubCoordinator hub = hub(n, c);
        List<HubCoordinator.Spoke> spokes = spokes(n);
        for (int a = 1; a < n; a++) {
            hub.relayed(key(a), key(0), 0);
        }
        int total = 0;
        for (long t = 0; t < 10 * S; t += 100 * MS) {
            total += hub.tick(t, spokes).size();
        }
        // 199 spokes get one introduction each at once (their own buckets are full), spoke 0 gets 4
        // then 1/s; the overall bucket allows 50 + 50/s: everything fits in ~3 s, never a burst of 203.
        assertEquals(199 + 4 + 9, total, "spoke 0 is limited to its own rate");
        assertTrue(c.deferred() > 0);
    }

    @Test
    void onlyTalkingPairsAreRefreshedAndAnEndpointChangeIsImmediate() {
        CoordCounters c = new CoordCounters();
        HubCoordinator hub = hub(3, c);
        List<HubCoordinator.Spoke> spokes = spokes(3);
        hub.relayed(key(0), key(1), 0);
        assertEquals(2, hub.tick(0, spokes).size());
        assertTrue(hub.tick(10 * S, spokes).isEmpty());
        hub.relayed(key(0), key(1), 15 * S); // still relaying
        assertEquals(2, hub.tick(20 * S, spokes).size(), "refreshed after 20 s");
        List<HubCoordinator.Spoke> moved = List.of(spokes.get(0), spoke(1, 50001), spokes.get(2));
        List<HubCoordinator.Outgoing> out = hub.tick(21 * S, moved);
        assertEquals(1, out.size(), "spoke 1's NAT mapping moved: spoke 0 hears of it at once");
        assertEquals(key(0), out.get(0).to());
        assertEquals(50001, ((CoordMessage.Introduce) out.get(0).message()).endpoint().getPort());
        hub.receive(key(1), new CoordMessage.Hello(2, MappingBehaviour.ENDPOINT_DEPENDENT), 22 * S);
        out = hub.tick(22 * S, moved);
        assertEquals(1, out.size(), "so does a change of its mapping behaviour");
        assertEquals(MappingBehaviour.ENDPOINT_DEPENDENT, out.get(0).message().mapping());
        assertEquals(2, hub.tick(42 * S, moved).size(), "last refresh: the pair talked at 15 s");
        assertTrue(hub.tick(76 * S, moved).isEmpty(), "quiet for 60 s (direct, or done): no longer introduced");
        assertEquals(0, hub.trackedIntroductions());
    }

    @Test
    void relayedFlowsNoteEachFlowOncePerDrainAndOwnersMapThemToSpokes() throws Exception {
        RelayedFlows flows = new RelayedFlows();
        var a = io.warren.crypto.primitives.NoisePublicKey.fromBytes(key(1).bytes());
        java.nio.ByteBuffer v4 = CoordCodec.encode(new CoordMessage.Hello(1),
                java.net.InetAddress.getByName("10.99.0.2"), java.net.InetAddress.getByName("10.3.0.9"));
        java.nio.ByteBuffer v6 = CoordCodec.encode(new CoordMessage.Hello(1),
                java.net.InetAddress.getByName("fd00::2"), java.net.InetAddress.getByName("fd00:3::9"));
        for (int i = 0; i < 1000; i++) {
            flows.offer(a, v4);
            flows.offer(a, v6);
        }
        flows.offer(a, java.nio.ByteBuffer.wrap(new byte[] {0x10, 0, 0}));
        List<RelayedFlows.Flow> drained = flows.drain();
        assertEquals(2, drained.size(), drained.toString());
        assertTrue(flows.drain().isEmpty());
        io.warren.gateway.uapi.PeerState owner = new io.warren.gateway.uapi.PeerState(key(3), UapiKey.ZERO,
                Optional.empty(), 0, 0, 0, 0, 0, List.of(io.warren.gateway.uapi.AllowedIp.parse("10.3.0.0/24").orElseThrow(),
                io.warren.gateway.uapi.AllowedIp.parse("fd00:3::/64").orElseThrow()));
        PrefixOwners owners = PrefixOwners.of(new io.warren.gateway.uapi.DeviceState(Optional.empty(), 0, 0,
                List.of(owner)), null);
        for (RelayedFlows.Flow f : drained) {
            assertEquals(key(1), f.from());
            assertEquals(key(3), owners.owner(f));
        }
    }
}
