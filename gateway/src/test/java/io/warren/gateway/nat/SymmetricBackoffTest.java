package io.warren.gateway.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.uapi.UapiKey;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A spoke does not punch when both NATs are symmetric, but probes rarely and backs off (fake clock). */
class SymmetricBackoffTest {
    private static final long S = 1_000_000_000L;
    private static final UapiKey SELF = key(1);
    private static final UapiKey HUB = key(2);
    private static final UapiKey B = key(3);
    private static final InetSocketAddress B_EP = new InetSocketAddress("198.51.100.3", 40003);
    // probe timeout 5 s, retry 10 s; symmetric: first after 100 s, doubling up to 400 s
    private static final SpokeCoordinator.Timing T = new SpokeCoordinator.Timing(2 * S, 5 * S, 3 * S, 10 * S, 30 * S,
            100 * S, 400 * S);

    private static UapiKey key(int n) {
        byte[] b = new byte[32];
        b[0] = (byte) n;
        return UapiKey.of(b);
    }

    private long sequence = 1;

    private void introduce(SpokeCoordinator spoke, MappingBehaviour mapping, long now) {
        spoke.receive(HUB, new CoordMessage.Introduce(sequence++, B, B_EP, List.of(), mapping), now);
    }

    /** Runs until {@code end} with an introduction every 10 s and no handshake ever; probe start times in s. */
    private List<Long> probes(SpokeCoordinator spoke, MappingBehaviour remote, long from, long end) {
        List<Long> started = new ArrayList<>();
        PeerPath last = spoke.remotes().isEmpty() ? PeerPath.VIA_HUB : spoke.remotes().get(0).path();
        for (long t = from; t <= end; t += S) {
            if ((t / S) % 10 == 0) {
                introduce(spoke, remote, t);
            }
            spoke.tick(t, Map.of());
            PeerPath now = spoke.remotes().get(0).path();
            if (now == PeerPath.PROBING && last != PeerPath.PROBING) {
                started.add(t / S);
            }
            last = now;
        }
        return started;
    }

    @Test
    void bothSymmetricProbesRarelyWithBackOff() {
        CoordCounters c = new CoordCounters();
        SpokeCoordinator spoke = new SpokeCoordinator(SELF, Set.of(HUB), 0, T, c);
        spoke.selfMapping(MappingBehaviour.ENDPOINT_DEPENDENT);
        assertEquals(MappingBehaviour.ENDPOINT_DEPENDENT, spoke.hello(0).get(0).mapping(), "HELLO tells the hub");
        // introduced at 0; probes at 100, then (each given up 6 s later) +200, +400, +400 (the cap)
        assertEquals(List.of(100L, 306L, 712L, 1118L),
                probes(spoke, MappingBehaviour.ENDPOINT_DEPENDENT, 0, 1200 * S));
        assertEquals(5, c.probesDeferred());
        assertEquals(PeerPath.VIA_HUB, spoke.remotes().get(0).path());
    }

    @Test
    void oneSymmetricSideStillPunchesAtTheNormalRate() {
        SpokeCoordinator spoke = new SpokeCoordinator(SELF, Set.of(HUB), 0, T, new CoordCounters());
        spoke.selfMapping(MappingBehaviour.ENDPOINT_DEPENDENT);
        assertEquals(List.of(0L, 16L, 32L, 48L), probes(spoke, MappingBehaviour.ENDPOINT_INDEPENDENT, 0, 50 * S));
        SpokeCoordinator unknown = new SpokeCoordinator(SELF, Set.of(HUB), 0, T, new CoordCounters());
        assertEquals(List.of(0L, 16L, 32L, 48L), probes(unknown, MappingBehaviour.ENDPOINT_DEPENDENT, 0, 50 * S),
                "without STUN on our side: as before");
    }

    @Test
    void aNatThatStopsBeingSymmetricIsProbedAtOnce() {
        CoordCounters c = new CoordCounters();
        SpokeCoordinator spoke = new SpokeCoordinator(SELF, Set.of(HUB), 0, T, c);
        spoke.selfMapping(MappingBehaviour.ENDPOINT_DEPENDENT);
        assertTrue(probes(spoke, MappingBehaviour.ENDPOINT_DEPENDENT, 0, 50 * S).isEmpty(), "waiting for 100 s");
        spoke.selfMapping(MappingBehaviour.ENDPOINT_INDEPENDENT); // our NAT changed (STUN's next round)
        assertEquals(List.of(51L), probes(spoke, MappingBehaviour.ENDPOINT_DEPENDENT, 51 * S, 55 * S));

        SpokeCoordinator other = new SpokeCoordinator(SELF, Set.of(HUB), 0, T, new CoordCounters());
        other.selfMapping(MappingBehaviour.ENDPOINT_DEPENDENT);
        assertTrue(probes(other, MappingBehaviour.ENDPOINT_DEPENDENT, 0, 50 * S).isEmpty());
        assertEquals(List.of(60L), probes(other, MappingBehaviour.UNKNOWN, 60 * S, 62 * S),
                "the other spoke's NAT changed: the hub's next introduction says so");
    }

    @Test
    void aDirectSpokeIsNotForgottenWhenTheHubStopsIntroducingIt() {
        SpokeCoordinator spoke = new SpokeCoordinator(SELF, Set.of(HUB), 0, T, new CoordCounters());
        introduce(spoke, MappingBehaviour.UNKNOWN, 0);
        spoke.tick(0, Map.of());
        spoke.tick(S, Map.of(B, new SpokeCoordinator.Observation(true, S, 100)));
        assertEquals(PeerPath.DIRECT, spoke.remotes().get(0).path());
        long rx = 100;
        for (long t = 2; t <= 100; t++) { // the hub relays nothing for it any more: no introductions
            rx += 32;
            spoke.tick(t * S, Map.of(B, new SpokeCoordinator.Observation(true, S, rx)));
        }
        assertEquals(PeerPath.DIRECT, spoke.remotes().get(0).path(), "alive, so kept");
        spoke.tick(104 * S, Map.of(B, new SpokeCoordinator.Observation(true, S, rx)));
        assertEquals(PeerPath.VIA_HUB, spoke.remotes().get(0).path(), "quiet: back to the hub");
        spoke.tick(120 * S, Map.of());
        assertEquals(1, spoke.remotes().size(), "still known for a while after falling back");
        spoke.tick(135 * S, Map.of());
        assertTrue(spoke.remotes().isEmpty(), "forgotten 30 s after falling back without an introduction");
    }
}
