package io.warren.gateway.l2;

import static io.warren.gateway.l2.Frames.HOST_A;
import static io.warren.gateway.l2.Frames.HOST_B;
import static io.warren.gateway.l2.Frames.HOST_C;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.warren.gateway.encap.vxlan.FlowHash;
import io.warren.gateway.encap.vxlan.ReservedBits;
import io.warren.tun.TunMode;
import io.warren.tun.VirtioNetHeader;
import io.warren.tun.offload.GsoSegmenter;
import io.warren.tun.testing.MemoryTunDevice;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The offload path without a kernel: TAP devices with a virtio-net header (in memory) on two tunnels
 * wired back to back. A TSO super-frame read on A is switched once, cut into MTU-sized VXLAN
 * datagrams sent as one GSO run per remote, and merged again into one GSO write on B's TAP;
 * tags, learning, split horizon, malformed and corrupt input are checked on the way.
 */
class L2OffloadTest {
    private static final InetSocketAddress SITE_A = new InetSocketAddress("198.51.100.1", 4789);
    private static final InetSocketAddress SITE_B = new InetSocketAddress("198.51.100.2", 4789);
    private static final InetSocketAddress SITE_C = new InetSocketAddress("198.51.100.3", 4789);
    private static final int MTU = 1450;

    private final MemoryTunDevice tapA = new MemoryTunDevice("tapa", TunMode.TAP, true, MTU, 100, false);
    private final MemoryTunDevice tapB = new MemoryTunDevice("tapb", TunMode.TAP, true, MTU, 100, false);
    private L2Tunnel a;
    private L2Tunnel b;
    private L2Segment segA;
    private L2Segment segB;
    private RecordingSink sinkA;
    private TapReader readerA;

    @AfterEach
    void close() {
        InboundBurst.end();
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    /** A (remotes {@code remotesOfA}) sends to B, which hears everything as from SITE_A. */
    private void wire(int vlan, List<InetSocketAddress> remotesOfA) {
        L2Counters ca = new L2Counters();
        L2Counters cb = new L2Counters();
        segA = L2Segment.of(42, vlan, MTU, remotesOfA, true, ca);
        segB = L2Segment.of(42, vlan, MTU, List.of(SITE_A), true, cb);
        L2Tunnel[] peer = new L2Tunnel[1];
        sinkA = new RecordingSink(s -> {
            if (s.to().equals(SITE_B)) {
                peer[0].receive(segB, Unpooled.wrappedBuffer(s.bytes()), SITE_A);
            }
        });
        a = new L2Tunnel("a", tapA, new L2Switch(List.of(segA), ca),
                Map.of(segA, new VxlanEncapsulation(42, ReservedBits.IGNORE)), sinkA, new FlowHash(7), ca, () -> { });
        b = new L2Tunnel("b", tapB, new L2Switch(List.of(segB), cb),
                Map.of(segB, new VxlanEncapsulation(42, ReservedBits.IGNORE)), new RecordingSink(null), new FlowHash(7),
                cb, () -> { });
        peer[0] = b;
        readerA = new TapReader(a, tapA, MTU);
    }

    /** Reads what was injected into A's TAP as the reader thread would, then ends B's receive burst. */
    private void pump() throws Exception {
        readerA.pumpOnce();
        InboundBurst.end();
    }

    @Test
    void superFrameLeavesAsOneGsoRunAndArrivesAsOneGsoWrite() throws Exception {
        wire(0, List.of(SITE_B));
        byte[] payload = SuperFrames.payload(5 * 1000 + 321, 1);
        tapA.inject(SuperFrames.read(HOST_B, HOST_A, 0, payload, 1000));
        pump();

        assertEquals(List.of(6), sinkA.runs, "one GSO send of 6 datagrams");
        int stride = 8 + 14 + 40 + 1000;
        assertEquals(List.of(stride), sinkA.runSegmentSizes);
        for (int i = 0; i < 6; i++) {
            byte[] d = sinkA.sent.get(i).bytes();
            assertEquals(i < 5 ? stride : stride - 1000 + 321, d.length);
            assertEquals("0800000000002a00", java.util.HexFormat.of().formatHex(d, 0, 8), "VXLAN header, VNI 42");
            assertTrue(GsoSegmenter.tcpChecksumValid(ByteBuffer.wrap(d, 8 + 14, d.length - 8 - 14).slice()), "segment " + i + " checksum");
            assertEquals(sinkA.sent.get(0).flowHash(), sinkA.sent.get(i).flowHash(), "one flow, one source port");
        }
        assertEquals(6, a.counters().get(L2Counters.LOCAL_RX_FRAMES));
        assertEquals(6, a.counters().get(L2Counters.TUNNEL_TX_PACKETS));

        byte[] w = tapB.pollWritten();
        assertEquals(VirtioNetHeader.GSO_TCPV4, w[1], "merged into one GSO write");
        assertEquals(1000, SuperFrames.le16(w, 4));
        assertEquals(14 + 40, SuperFrames.le16(w, 2));
        assertArrayEquals(payload, Arrays.copyOfRange(w, 10 + 54, w.length));
        assertNull(tapB.pollWritten());
        assertEquals(6, b.counters().get(L2Counters.LOCAL_TX_FRAMES));
    }

    @Test
    void vlanTagIsRemovedIntoTheOverlayAndPutBackOnTheMergedFrame() throws Exception {
        wire(10, List.of(SITE_B));
        byte[] payload = SuperFrames.payload(3000, 2);
        tapA.inject(SuperFrames.read(HOST_B, HOST_A, 10, payload, 1200));
        pump();
        assertEquals(List.of(3), sinkA.runs);
        byte[] d = sinkA.sent.get(0).bytes();
        assertEquals(0x0800, (d[8 + 12] & 0xff) << 8 | d[8 + 13] & 0xff, "no inner tag in the overlay");
        byte[] w = tapB.pollWritten();
        assertEquals(VirtioNetHeader.GSO_TCPV4, w[1]);
        assertEquals(18 + 40, SuperFrames.le16(w, 2), "hdr_len with the tag");
        assertEquals(18 + 20, SuperFrames.le16(w, 6), "csum_start with the tag");
        assertEquals("8100000a0800", java.util.HexFormat.of().formatHex(w, 10 + 12, 10 + 18), "tag 10 back");
        assertArrayEquals(payload, Arrays.copyOfRange(w, 10 + 58, w.length));
    }

    @Test
    void oneDecisionPerSuperFrameFloodsLearnsAndKeepsSplitHorizon() throws Exception {
        wire(0, List.of(SITE_B, SITE_C));
        tapA.inject(SuperFrames.read(HOST_B, HOST_A, 0, SuperFrames.payload(4000, 3), 1000));
        pump();
        assertEquals(List.of(4, 4), sinkA.runs, "unknown destination: one run per remote");
        assertEquals(SITE_B, sinkA.sent.get(0).to());
        assertEquals(SITE_C, sinkA.sent.get(4).to());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(sinkA.sent.get(i).bytes(), sinkA.sent.get(4 + i).bytes(), "the same datagrams");
        }
        assertEquals(1, a.counters().get(L2Counters.FLOODED), "one decision for the super-frame");
        long now = System.nanoTime();
        // The source was learned on the local side: a remote frame for HOST_A is delivered...
        assertInstanceOf(L2Decision.Deliver.class, segA.fromRemote(SITE_B, HOST_A, HOST_B, now));
        // ...and HOST_B is now known behind SITE_B: the next super-frame goes there only,
        assertEquals(8, sinkA.sent.size());
        tapA.inject(SuperFrames.read(HOST_B, HOST_A, 0, SuperFrames.payload(4000, 4), 1000));
        pump();
        assertEquals(List.of(4, 4, 4), sinkA.runs);
        assertTrue(sinkA.sent.subList(8, 12).stream().allMatch(s -> s.to().equals(SITE_B)));
        // and a frame from SITE_C for HOST_B is never relayed to SITE_B (split horizon).
        assertEquals(new L2Decision.Drop(L2Drop.SPLIT_HORIZON), segA.fromRemote(SITE_C, HOST_B, HOST_C, now));
    }

    @Test
    void malformedAndOversizedSuperFramesAreCountedDrops() throws Exception {
        wire(0, List.of(SITE_B));
        byte[] good = SuperFrames.read(HOST_B, HOST_A, 0, SuperFrames.payload(3000, 5), 1000);
        tapA.inject(new byte[5]); // shorter than the virtio-net header
        byte[] arp = good.clone();
        arp[10 + 12] = 0x08;
        arp[10 + 13] = 0x06; // GSO on an ARP frame: no IP header where one must be
        arp[10 + 14] = 0x00;
        tapA.inject(arp);
        tapA.inject(Arrays.copyOf(good, 10 + 14 + 30)); // truncated inside the TCP header
        byte[] qinq = SuperFrames.read(HOST_B, HOST_A, 7, SuperFrames.payload(3000, 6), 1000);
        qinq[10 + 16] = (byte) 0x81; // a second 802.1Q tag: stacked tags are not cut
        qinq[10 + 17] = 0x00;
        tapA.inject(qinq);
        tapA.inject(SuperFrames.read(HOST_B, HOST_A, 0, SuperFrames.payload(3000, 7), MTU - 40 + 1)); // too big
        byte[] badCsum = SuperFrames.read(HOST_B, HOST_A, 0, SuperFrames.payload(100, 8), 0);
        badCsum[6] = (byte) 0xff; // csum_start beyond the frame
        tapA.inject(badCsum);
        byte[] badGso = good.clone();
        badGso[1] = 0x33; // an unknown GSO type
        tapA.inject(badGso);
        pump();
        assertTrue(sinkA.sent.isEmpty(), "nothing sent: " + a.counters());
        Map<String, Long> c = a.counters();
        assertEquals(6, c.get("drop_offload_malformed"), c.toString());
        assertEquals(1, c.get("drop_oversized"), c.toString());
    }

    /**
     * A GSO header with gso_size 0 (virtio 1.2 §5.1.6.2: gso_size is the segment size; 0 cuts
     * nothing) is a counted drop, and the frames read with it in the same batch still leave.
     */
    @Test
    void zeroGsoSizeIsACountedDropAndTheRestOfTheBatchLeaves() throws Exception {
        wire(0, List.of(SITE_B));
        byte[] zero = SuperFrames.read(HOST_B, HOST_A, 0, SuperFrames.payload(3000, 10), 1000);
        zero[4] = 0;
        zero[5] = 0;
        tapA.inject(zero);
        tapA.inject(SuperFrames.read(HOST_B, HOST_A, 0, SuperFrames.payload(100, 11), 0));
        pump();
        Map<String, Long> c = a.counters();
        assertEquals(1, c.get("drop_offload_malformed"), c.toString());
        assertEquals(1, sinkA.sent.size(), "the frame after it is sent: " + c);
    }

    @Test
    void singleFramesWithPartialChecksumsAreFinishedAndCorruptOnesAreNotMerged() throws Exception {
        wire(0, List.of(SITE_B));
        tapA.inject(SuperFrames.read(HOST_B, HOST_A, 0, SuperFrames.payload(700, 9), 0));
        pump();
        byte[] d = sinkA.sent.get(0).bytes();
        assertTrue(GsoSegmenter.tcpChecksumValid(ByteBuffer.wrap(d, 8 + 14, d.length - 8 - 14).slice()), "checksum finished");
        byte[] w = tapB.pollWritten();
        assertEquals(VirtioNetHeader.GSO_NONE, w[1], "a lone segment: no GSO");
        assertEquals(VirtioNetHeader.F_DATA_VALID, w[0], "its checksum was verified");
        assertArrayEquals(Arrays.copyOfRange(d, 8, d.length), Arrays.copyOfRange(w, 10, w.length));

        // A corrupt segment between two good ones: written as it came, never merged (nor "fixed").
        byte[] corrupt = d.clone();
        corrupt[corrupt.length - 1] ^= 1;
        b.receive(segB, Unpooled.wrappedBuffer(corrupt), SITE_A);
        InboundBurst.end();
        byte[] out = tapB.pollWritten();
        assertEquals(0, out[0] | out[1], "no GSO, no DATA_VALID: the kernel checks (and drops) it");
        assertArrayEquals(Arrays.copyOfRange(corrupt, 8, corrupt.length), Arrays.copyOfRange(out, 10, out.length));
    }
}
