package io.warren.gateway.l2;

import static io.warren.gateway.l2.Frames.BROADCAST;
import static io.warren.gateway.l2.Frames.HOST_A;
import static io.warren.gateway.l2.Frames.HOST_B;
import static io.warren.gateway.l2.Frames.HOST_C;
import static io.warren.gateway.l2.Frames.MULTICAST;
import static io.warren.gateway.l2.Frames.frame;
import static io.warren.gateway.l2.Frames.tagged;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.warren.routing.MacLearn;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The switching core without any I/O: learning, flooding, split horizon, VLAN mapping, bounds, aging. */
class L2SwitchTest {
    private static final InetSocketAddress R1 = new InetSocketAddress("192.0.2.1", 4789);
    private static final InetSocketAddress R2 = new InetSocketAddress("192.0.2.2", 4789);
    private static final InetSocketAddress R3 = new InetSocketAddress("192.0.2.3", 4789);
    private static final long SECOND = 1_000_000_000L;

    private final L2Counters counters = new L2Counters();

    private L2Segment segment(int vlan, boolean learnRemotes, List<InetSocketAddress> remotes) {
        return new L2Segment(100 + vlan, vlan, 1450, remotes, learnRemotes, 16, 2, 300 * SECOND, counters);
    }

    @Test
    void unknownAndGroupDestinationsFloodToEveryRemoteAndKnownOnesAreUnicast() {
        L2Segment seg = segment(0, true, List.of(R1, R2));
        L2Switch sw = new L2Switch(List.of(seg), counters);
        L2Decision.Flood f = assertInstanceOf(L2Decision.Flood.class, sw.fromLocal(frame(HOST_B, HOST_A, 46, 0), 1));
        assertEquals(List.of(R1, R2), f.remotes());
        assertInstanceOf(L2Decision.Flood.class, sw.fromLocal(frame(BROADCAST, HOST_A, 46, 0), 2));
        assertInstanceOf(L2Decision.Flood.class, sw.fromLocal(frame(MULTICAST, HOST_A, 46, 0), 3));
        assertEquals(3, counters.get(L2Counters.FLOODED));

        // B answers from behind R2: learned there, and A was learned on the local side.
        assertInstanceOf(L2Decision.Deliver.class, sw.fromRemote(seg, frame(HOST_A, HOST_B, 46, 4), R2, 4));
        L2Decision.Unicast u = assertInstanceOf(L2Decision.Unicast.class, sw.fromLocal(frame(HOST_B, HOST_A, 46, 0), 5));
        assertEquals(R2, u.remote());
    }

    @Test
    void remoteFramesGoOnlyToTheLocalSide() {
        L2Segment seg = segment(0, true, List.of(R1, R2));
        L2Switch sw = new L2Switch(List.of(seg), counters);
        // Broadcast from a remote: local only, never replicated to R2 (split horizon).
        assertInstanceOf(L2Decision.Deliver.class, sw.fromRemote(seg, frame(BROADCAST, HOST_B, 46, 4), R1, 1));
        // C is behind R2; a frame from R1 for C is not relayed.
        sw.fromRemote(seg, frame(BROADCAST, HOST_C, 46, 4), R2, 2);
        L2Decision d = sw.fromRemote(seg, frame(HOST_C, HOST_B, 46, 4), R1, 3);
        assertEquals(L2Drop.SPLIT_HORIZON, ((L2Decision.Drop) d).reason());
        // A frame from R1 for a host behind R1 is never sent back.
        L2Decision back = sw.fromRemote(seg, frame(HOST_B, HOST_B, 46, 4), R1, 4);
        assertEquals(L2Drop.HAIRPIN, ((L2Decision.Drop) back).reason());
        assertEquals(1, counters.dropped(L2Drop.SPLIT_HORIZON));
        assertEquals(1, counters.dropped(L2Drop.HAIRPIN));
    }

    @Test
    void localFrameForALocalHostIsNotSentIntoTheTunnel() {
        L2Segment seg = segment(0, true, List.of(R1));
        L2Switch sw = new L2Switch(List.of(seg), counters);
        sw.fromLocal(frame(BROADCAST, HOST_A, 46, 0), 1);
        L2Decision d = sw.fromLocal(frame(HOST_A, HOST_C, 46, 0), 2);
        assertEquals(L2Drop.HAIRPIN, ((L2Decision.Drop) d).reason());
    }

    @Test
    void groupSourceAddressesAreDroppedBothWays() {
        L2Segment seg = segment(0, true, List.of(R1));
        L2Switch sw = new L2Switch(List.of(seg), counters);
        assertEquals(L2Drop.INVALID_SOURCE, ((L2Decision.Drop) sw.fromLocal(frame(HOST_B, MULTICAST, 46, 0), 1)).reason());
        assertEquals(L2Drop.INVALID_SOURCE,
                ((L2Decision.Drop) sw.fromRemote(seg, frame(HOST_A, BROADCAST, 46, 4), R1, 1)).reason());
        assertEquals(0, seg.remotes().size() - 1);
    }

    @Test
    void remoteEndpointsAreLearnedBoundedAndAged() {
        L2Segment seg = segment(0, true, List.of(R1));
        L2Switch sw = new L2Switch(List.of(seg), counters);
        sw.fromRemote(seg, frame(BROADCAST, HOST_B, 46, 4), R2, 0);
        sw.fromRemote(seg, frame(BROADCAST, HOST_C, 46, 4), R3, 0);
        assertEquals(List.of(R1, R2, R3), seg.remotes());
        InetSocketAddress r4 = new InetSocketAddress("192.0.2.4", 4789);
        sw.fromRemote(seg, frame(BROADCAST, 0x02_00_00_00_00_0dL, 46, 4), r4, 0);
        assertEquals(3, seg.remotes().size(), "bound of 2 learned remotes");
        assertEquals(1, counters.get("remote_table_full"));
        sw.fromRemote(seg, frame(BROADCAST, HOST_B, 46, 4), R2, 200 * SECOND);
        sw.expire(301 * SECOND);
        assertEquals(List.of(R1, R2), seg.remotes(), "R3 aged out; R2 refreshed; static R1 stays");
    }

    @Test
    void withoutLearningOnlyConfiguredPeersAreAccepted() {
        L2Segment seg = segment(0, false, List.of(R1));
        L2Switch sw = new L2Switch(List.of(seg), counters);
        assertEquals(L2Drop.UNKNOWN_REMOTE,
                ((L2Decision.Drop) sw.fromRemote(seg, frame(HOST_A, HOST_B, 46, 4), R2, 1)).reason());
        assertInstanceOf(L2Decision.Deliver.class, sw.fromRemote(seg, frame(HOST_A, HOST_B, 46, 4), R1, 1));
    }

    @Test
    void macFloodFillsTheTableOnlyToItsBoundAndAgesOut() {
        L2Segment seg = segment(0, true, List.of(R1));
        L2Switch sw = new L2Switch(List.of(seg), counters);
        sw.fromRemote(seg, frame(BROADCAST, HOST_B, 46, 4), R1, 0);
        for (int i = 0; i < 10_000; i++) {
            sw.fromLocal(frame(BROADCAST, 0x02_aa_00_00_00_00L + i, 46, 0), SECOND);
        }
        assertEquals(16, seg.macTable().dynamicCount(), "bound");
        assertEquals(10_000 - 15, seg.macTable().count(MacLearn.TABLE_FULL));
        // The established host still forwards as unicast.
        assertInstanceOf(L2Decision.Unicast.class, sw.fromLocal(frame(HOST_B, HOST_A, 46, 0), 2 * SECOND));
        sw.expire(400 * SECOND);
        assertEquals(0, seg.macTable().dynamicCount());
        assertInstanceOf(L2Decision.Flood.class, sw.fromLocal(frame(HOST_B, HOST_A, 46, 0), 401 * SECOND));
    }

    @Test
    void staticEntriesNeverMoveNorAge() {
        L2Segment seg = segment(0, true, List.of(R1, R2));
        seg.macTable().addStatic(HOST_B, new L2Port.Remote(R1));
        L2Switch sw = new L2Switch(List.of(seg), counters);
        sw.fromRemote(seg, frame(HOST_A, HOST_B, 46, 4), R2, 1);
        sw.expire(1000 * SECOND);
        L2Decision.Unicast u = assertInstanceOf(L2Decision.Unicast.class,
                sw.fromLocal(frame(HOST_B, HOST_A, 46, 0), 1000 * SECOND));
        assertEquals(R1, u.remote());
    }

    @Test
    void vlansMapToTheirOwnSegmentsTagsAreStrippedAndRestored() {
        L2Segment v10 = segment(10, true, List.of(R1));
        L2Segment v20 = segment(20, true, List.of(R2));
        L2Switch sw = new L2Switch(List.of(v10, v20), counters);

        ByteBuffer f = tagged(BROADCAST, HOST_A, 10, 46);
        L2Decision.Flood d = assertInstanceOf(L2Decision.Flood.class, sw.fromLocal(f, 1));
        assertSame(v10, d.segment());
        assertEquals(List.of(R1), d.remotes());
        assertEquals(14 + 46, f.remaining(), "tag removed");
        assertEquals(Frames.bytes(frame(BROADCAST, HOST_A, 46, 0)).length, f.remaining());
        assertEquals(0x0800, f.getShort(f.position() + 12));

        L2Decision.Flood d20 = assertInstanceOf(L2Decision.Flood.class, sw.fromLocal(tagged(BROADCAST, HOST_A, 20, 46), 1));
        assertSame(v20, d20.segment());
        assertEquals(List.of(R2), d20.remotes());

        // VLAN 30 and untagged frames belong to no segment.
        assertEquals(L2Drop.VLAN_UNMAPPED, ((L2Decision.Drop) sw.fromLocal(tagged(BROADCAST, HOST_A, 30, 46), 1)).reason());
        assertEquals(L2Drop.VLAN_UNMAPPED, ((L2Decision.Drop) sw.fromLocal(frame(BROADCAST, HOST_A, 46, 0), 1)).reason());

        // Back from the overlay: the segment's tag is put on again.
        ByteBuffer in = frame(HOST_A, HOST_B, 46, 8);
        assertInstanceOf(L2Decision.Deliver.class, sw.fromRemote(v20, in, R2, 2));
        assertEquals(18 + 46, in.remaining());
        assertEquals(0x8100, in.getShort(in.position() + 12) & 0xffff);
        assertEquals(20, in.getShort(in.position() + 14) & 0x0fff);
        assertEquals(HOST_B, io.warren.routing.Mac.read(in, in.position() + 6));
        // Learning is per segment: HOST_B is known in VLAN 20 only.
        assertInstanceOf(L2Decision.Unicast.class, sw.fromLocal(tagged(HOST_B, HOST_A, 20, 46), 3));
        assertInstanceOf(L2Decision.Flood.class, sw.fromLocal(tagged(HOST_B, HOST_A, 10, 46), 3));
    }

    @Test
    void runtsAndOversizedFramesAreCountedDrops() {
        L2Segment seg = segment(0, true, List.of(R1));
        L2Switch sw = new L2Switch(List.of(seg), counters);
        assertEquals(L2Drop.RUNT, ((L2Decision.Drop) sw.fromLocal(ByteBuffer.allocate(13), 1)).reason());
        ByteBuffer shortTag = tagged(BROADCAST, HOST_A, 10, 0).limit(16);
        assertEquals(L2Drop.RUNT, ((L2Decision.Drop) sw.fromLocal(shortTag, 1)).reason());
        assertInstanceOf(L2Decision.Flood.class, sw.fromLocal(frame(BROADCAST, HOST_A, 1450, 0), 1));
        assertEquals(L2Drop.OVERSIZED, ((L2Decision.Drop) sw.fromLocal(frame(BROADCAST, HOST_A, 1451, 0), 1)).reason());
        assertEquals(L2Drop.OVERSIZED,
                ((L2Decision.Drop) sw.fromRemote(seg, frame(HOST_A, HOST_B, 1451, 4), R1, 1)).reason());
        assertEquals(L2Drop.RUNT, ((L2Decision.Drop) sw.fromRemote(seg, ByteBuffer.allocate(10), R1, 1)).reason());
        assertEquals(2, counters.dropped(L2Drop.OVERSIZED));
        assertEquals(3, counters.dropped(L2Drop.RUNT));
    }

    @Test
    void noRemoteMeansACountedDrop() {
        L2Segment seg = segment(0, true, List.of());
        L2Switch sw = new L2Switch(List.of(seg), counters);
        assertEquals(L2Drop.NO_REMOTE, ((L2Decision.Drop) sw.fromLocal(frame(BROADCAST, HOST_A, 46, 0), 1)).reason());
    }
}
