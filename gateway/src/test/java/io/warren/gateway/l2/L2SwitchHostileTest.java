package io.warren.gateway.l2;

import static io.warren.gateway.l2.Frames.BROADCAST;
import static io.warren.gateway.l2.Frames.HOST_A;
import static io.warren.gateway.l2.Frames.HOST_B;
import static io.warren.gateway.l2.Frames.HOST_C;
import static io.warren.gateway.l2.Frames.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.testing.AllocationMeter;
import io.warren.routing.MacLearn;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The switch under hostile frames: forged source addresses, MAC floods from both sides, flapping,
 * hairpins, size limits and a flood of remote endpoints. Every bad frame is a counted drop; nothing
 * throws, static entries never move, the flood list stays bounded.
 */
class L2SwitchHostileTest {
    private static final InetSocketAddress R1 = new InetSocketAddress("192.0.2.1", 4789);
    private static final InetSocketAddress R2 = new InetSocketAddress("192.0.2.2", 4789);
    private static final long SECOND = 1_000_000_000L;
    private static final long ZERO_MAC = 0L;

    private final L2Counters counters = new L2Counters();

    private L2Segment segment(int vlan, boolean learnRemotes, List<InetSocketAddress> remotes) {
        return new L2Segment(100 + vlan, vlan, 1450, remotes, learnRemotes, 16, 2, 300 * SECOND, counters);
    }

    private static L2Drop dropOf(L2Decision d) {
        return assertInstanceOf(L2Decision.Drop.class, d).reason();
    }

    /**
     * 00:00:00:00:00:00 is no station's address (IEEE 802-2014 §8.2: a universally administered
     * address is an OUI plus an assigned part; Linux's bridge and vxlan drop it as
     * !is_valid_ether_addr): it must never be learned nor make its sender a learned remote.
     */
    @Test
    void allZeroSourceIsNeverLearnedFromEitherSide() {
        L2Segment seg = segment(0, true, List.of(R1));
        L2Switch sw = new L2Switch(List.of(seg), counters);
        assertEquals(L2Drop.INVALID_SOURCE, dropOf(sw.fromLocal(frame(HOST_B, ZERO_MAC, 46, 0), 1)));
        assertEquals(L2Drop.INVALID_SOURCE, dropOf(sw.fromRemote(seg, frame(HOST_A, ZERO_MAC, 46, 4), R1, 1)));
        assertEquals(L2Drop.INVALID_SOURCE, dropOf(sw.fromRemote(seg, frame(HOST_A, ZERO_MAC, 46, 4), R2, 1)));
        assertEquals(List.of(R1), seg.remotes(), "a zero-source frame does not make R2 a remote");
        assertEquals(0, seg.macTable().dynamicCount());
        // A frame to 00:00:00:00:00:00 is unknown unicast: flooded, never forwarded to whoever forged it.
        assertInstanceOf(L2Decision.Flood.class, sw.fromLocal(frame(ZERO_MAC, HOST_A, 46, 0), 2));
        assertEquals(3, counters.dropped(L2Drop.INVALID_SOURCE));
    }

    @Test
    void randomSourceFloodFromARemoteKeepsTheBoundStaticEntriesAndEstablishedHosts() {
        L2Segment seg = segment(0, true, List.of(R1, R2));
        seg.macTable().addStatic(HOST_C, new L2Port.Remote(R2));
        L2Switch sw = new L2Switch(List.of(seg), counters);
        sw.fromRemote(seg, frame(BROADCAST, HOST_B, 46, 4), R1, 0);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 20_000; i++) {
            long src = random.nextLong() & io.warren.routing.Mac.MASK;
            if (i % 100 == 0) {
                src = HOST_C; // forged claims on the static host
            }
            L2Decision d = sw.fromRemote(seg, frame(HOST_A, src, 46, 4), R1, SECOND);
            assertTrue(d instanceof L2Decision.Deliver || d instanceof L2Decision.Drop, d.toString());
        }
        assertEquals(16, seg.macTable().dynamicCount(), "bound");
        assertTrue(seg.macTable().count(MacLearn.TABLE_FULL) > 9_000, "about half the random sources are group addresses");
        assertEquals(R2, assertInstanceOf(L2Decision.Unicast.class,
                sw.fromLocal(frame(HOST_C, HOST_A, 46, 0), 2 * SECOND)).remote(), "static entry never moves");
        assertEquals(R1, assertInstanceOf(L2Decision.Unicast.class,
                sw.fromLocal(frame(HOST_B, HOST_A, 46, 0), 2 * SECOND)).remote(), "established host kept");
        // Once the flood ages out, learning works again.
        sw.expire(400 * SECOND);
        sw.fromRemote(seg, frame(HOST_A, 0x02_00_00_00_00_99L, 46, 4), R2, 401 * SECOND);
        assertEquals(R2, assertInstanceOf(L2Decision.Unicast.class,
                sw.fromLocal(frame(0x02_00_00_00_00_99L, HOST_A, 46, 0), 401 * SECOND)).remote());
    }

    @Test
    void aFlappingAddressFollowsItsLatestPortAndIsCounted() {
        L2Segment seg = segment(0, true, List.of(R1, R2));
        L2Switch sw = new L2Switch(List.of(seg), counters);
        for (int i = 0; i < 10; i++) {
            InetSocketAddress from = i % 2 == 0 ? R1 : R2;
            assertInstanceOf(L2Decision.Deliver.class, sw.fromRemote(seg, frame(HOST_A, HOST_B, 46, 4), from, i));
            assertEquals(from, assertInstanceOf(L2Decision.Unicast.class,
                    sw.fromLocal(frame(HOST_B, HOST_A, 46, 0), i)).remote());
        }
        assertEquals(9, seg.macTable().count(MacLearn.MOVED));
        // Back on the local side: a frame for it from a remote is delivered, from local is a hairpin.
        sw.fromLocal(frame(BROADCAST, HOST_B, 46, 0), 20);
        assertEquals(L2Drop.HAIRPIN, dropOf(sw.fromLocal(frame(HOST_B, HOST_A, 46, 0), 21)));
        assertInstanceOf(L2Decision.Deliver.class, sw.fromRemote(seg, frame(HOST_B, HOST_C, 46, 4), R1, 22));
    }

    @Test
    void aFrameNeverGoesBackToTheRemoteItCameFrom() {
        L2Segment seg = segment(0, true, List.of(R1, R2));
        L2Switch sw = new L2Switch(List.of(seg), counters);
        sw.fromRemote(seg, frame(BROADCAST, HOST_B, 46, 4), R1, 1);
        assertEquals(L2Drop.HAIRPIN, dropOf(sw.fromRemote(seg, frame(HOST_B, HOST_C, 46, 4), R1, 2)));
        // Group destinations from a remote go to the local side only, never to any remote.
        for (long dst : new long[] {BROADCAST, Frames.MULTICAST, 0x33_33_00_00_00_01L}) {
            assertInstanceOf(L2Decision.Deliver.class, sw.fromRemote(seg, frame(dst, HOST_C, 46, 4), R2, 3));
        }
    }

    @Test
    void sizeLimitsHoldBothWaysForEveryLength() {
        L2Segment seg = segment(0, true, List.of(R1));
        L2Switch sw = new L2Switch(List.of(seg), counters);
        for (int len = 0; len < 14; len++) {
            ByteBuffer b = ByteBuffer.allocate(4 + len).position(4);
            assertEquals(L2Drop.RUNT, dropOf(sw.fromLocal(b.duplicate(), 1)), "local " + len);
            assertEquals(L2Drop.RUNT, dropOf(sw.fromRemote(seg, b.duplicate(), R1, 1)), "remote " + len);
        }
        for (int payload = 1440; payload <= 1460; payload++) {
            L2Decision out = sw.fromLocal(frame(BROADCAST, HOST_A, payload, 0), 2);
            L2Decision in = sw.fromRemote(seg, frame(HOST_A, HOST_B, payload, 4), R1, 2);
            if (payload <= 1450) {
                assertInstanceOf(L2Decision.Flood.class, out, "payload " + payload);
                assertInstanceOf(L2Decision.Deliver.class, in, "payload " + payload);
            } else {
                assertEquals(L2Drop.OVERSIZED, dropOf(out), "payload " + payload);
                assertEquals(L2Drop.OVERSIZED, dropOf(in), "payload " + payload);
            }
        }
    }

    /**
     * An inner 802.1Q tag does not count against the MTU (IEEE 802.3 max frame 1522 tagged vs 1518;
     * Linux's bridge forwards MTU + VLAN_HLEN): a tagged frame with a full payload from a remote is
     * delivered as it is, one byte more is oversized.
     */
    @Test
    void aTaggedInnerFrameMayCarryAFullPayload() {
        for (int vlan : new int[] {0, 10}) {
            L2Segment seg = segment(vlan, true, List.of(R1));
            L2Switch sw = new L2Switch(List.of(seg), counters);
            ByteBuffer full = Frames.tagged(HOST_A, HOST_B, 7, 1450);
            ByteBuffer withRoom = ByteBuffer.allocate(4 + full.remaining()).position(4);
            withRoom.put(full).flip().position(4);
            assertInstanceOf(L2Decision.Deliver.class, sw.fromRemote(seg, withRoom, R1, 1), "vlan " + vlan);
            assertEquals(L2Drop.OVERSIZED, dropOf(sw.fromRemote(seg, Frames.tagged(HOST_A, HOST_B, 7, 1451), R1, 1)));
            assertEquals(L2Drop.OVERSIZED, dropOf(sw.fromRemote(seg, frame(HOST_A, HOST_B, 1451, 4), R1, 1)));
        }
    }

    /** A hostile remote flapping an address between two remotes allocates nothing per frame. */
    @Test
    void aFlappingAddressAllocatesNothingPerFrame() {
        L2Segment seg = segment(0, true, List.of(R1, R2));
        L2Switch sw = new L2Switch(List.of(seg), counters);
        ByteBuffer f = frame(HOST_A, HOST_B, 46, 4);
        for (int i = 0; i < 1000; i++) {
            f.position(4);
            sw.fromRemote(seg, f, i % 2 == 0 ? R1 : R2, i);
        }
        AllocationMeter meter = new AllocationMeter();
        meter.start();
        for (int i = 0; i < 20_000; i++) {
            f.position(4);
            sw.fromRemote(seg, f, i % 2 == 0 ? R1 : R2, 1000 + i);
        }
        meter.stop(20_000);
        assertEquals(21_000 - 1, seg.macTable().count(MacLearn.MOVED));
        assertTrue(meter.perPacket() < 1, "allocates " + meter.perPacket() + " B per flapping frame");
    }

    /** BUM replication is bounded: many senders never grow the flood list past static + maxRemotes. */
    @Test
    void aFloodOfRemoteEndpointsIsBoundedRepliesStillReachThemAndNothingIsAllocated() {
        L2Segment seg = new L2Segment(100, 0, 1450, List.of(R1), true, 1024, 2, 300 * SECOND, counters);
        L2Switch sw = new L2Switch(List.of(seg), counters);
        InetSocketAddress[] senders = new InetSocketAddress[64];
        for (int i = 0; i < senders.length; i++) {
            senders[i] = new InetSocketAddress("198.51.100." + (i + 1), 4789);
        }
        ByteBuffer[] frames = new ByteBuffer[senders.length];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = frame(BROADCAST, 0x02_00_00_00_10_00L + i, 46, 4); // a host behind each sender
        }
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < senders.length; i++) {
                frames[i].position(4);
                sw.fromRemote(seg, frames[i], senders[i], round);
            }
        }
        assertEquals(3, seg.remotes().size(), "R1 and two learned");
        assertEquals(3, assertInstanceOf(L2Decision.Flood.class, sw.fromLocal(frame(BROADCAST, HOST_A, 46, 0), 1))
                .remotes().size());
        // A sender beyond the bound is not flooded to, but a unicast reply reaches it.
        assertEquals(senders[40], assertInstanceOf(L2Decision.Unicast.class,
                sw.fromLocal(frame(0x02_00_00_00_10_00L + 40, HOST_A, 46, 0), 2)).remote());
        AllocationMeter meter = new AllocationMeter();
        meter.start();
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < senders.length; i++) {
                frames[i].position(4);
                sw.fromRemote(seg, frames[i], senders[i], 300 + round);
            }
        }
        meter.stop(200 * senders.length);
        assertTrue(meter.perPacket() < 1, "allocates " + meter.perPacket() + " B per frame from an unlearned remote");
    }
}
