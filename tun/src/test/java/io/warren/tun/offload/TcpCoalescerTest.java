package io.warren.tun.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.tun.VirtioNetHeader;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Coalescing then segmenting must give back the original packets byte for byte (the segmenter
 * itself is checked against a reference in {@link GsoSegmenterTest}).
 */
class TcpCoalescerTest {
    @ParameterizedTest
    @CsvSource({"4, 1380, 45, 700", "6, 1360, 10, 1360", "4, 1000, 2, 1"})
    void coalescedSegmentsSplitBackIntoTheOriginals(int version, int mss, int full, int lastLength) {
        Random r = new Random(version + mss);
        GsoSegmenterTest.Reference ref = new GsoSegmenterTest.Reference(version, 6, r);
        int total = full * mss + lastLength;
        byte[] stream = new byte[total];
        r.nextBytes(stream);
        int n = full + 1;
        byte[][] originals = new byte[n][];
        TcpCoalescer c = new TcpCoalescer();
        for (int i = 0; i < n; i++) {
            int len = Math.min(mss, total - i * mss);
            originals[i] = ref.packet(stream, i * mss, len, i, i == n - 1 ? 0x18 : 0x10, false);
            assertTrue(c.offer(ByteBuffer.wrap(originals[i])), "segment " + i);
        }
        ByteBuffer out = c.flush();
        assertTrue(c.isEmpty());
        assertEquals(VirtioNetHeader.F_NEEDS_CSUM, out.get(0));
        assertEquals(version == 4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6, out.get(1));
        assertEquals(mss, (out.get(4) & 0xff) | (out.get(5) & 0xff) << 8);
        out.position(VirtioNetHeader.SIZE);
        ByteBuffer[] segs = new ByteBuffer[64];
        for (int i = 0; i < segs.length; i++) {
            segs[i] = ByteBuffer.allocate(1600);
        }
        assertEquals(n, GsoSegmenter.segment(out, out.get(1), mss, segs));
        for (int i = 0; i < n; i++) {
            byte[] got = new byte[segs[i].limit()];
            segs[i].get(0, got);
            assertArrayEquals(originals[i], got, "segment " + i);
        }
    }

    @Test
    void aLoneSegmentGoesOutUnchanged() {
        GsoSegmenterTest.Reference ref = new GsoSegmenterTest.Reference(4, 6, new Random(1));
        byte[] p = ref.packet(new byte[100], 0, 100, 0, 0x18, false);
        TcpCoalescer c = new TcpCoalescer();
        assertTrue(c.offer(ByteBuffer.wrap(p)));
        ByteBuffer out = c.flush();
        assertEquals(VirtioNetHeader.F_DATA_VALID, out.get(0));
        assertEquals(VirtioNetHeader.GSO_NONE, out.get(1));
        byte[] got = new byte[out.remaining() - VirtioNetHeader.SIZE];
        out.get(VirtioNetHeader.SIZE, got);
        assertArrayEquals(p, got);
        assertNull(c.flush());
    }

    @Test
    void refusesWhatMustNotMerge() {
        Random r = new Random(2);
        GsoSegmenterTest.Reference ref = new GsoSegmenterTest.Reference(4, 6, r);
        GsoSegmenterTest.Reference other = new GsoSegmenterTest.Reference(4, 6, r);
        byte[] s = new byte[5000];
        TcpCoalescer c = new TcpCoalescer();
        assertFalse(c.offer(ByteBuffer.wrap(ref.packet(s, 0, 1000, 0, 0x02, false))), "SYN");
        assertFalse(c.offer(ByteBuffer.wrap(ref.packet(s, 0, 0, 0, 0x10, false))), "pure ACK");
        assertFalse(c.offer(ByteBuffer.wrap(new GsoSegmenterTest.Reference(4, 17, r).packet(s, 0, 100, 0, 0, false))), "UDP");
        assertTrue(c.offer(ByteBuffer.wrap(ref.packet(s, 0, 1000, 0, 0x10, false))));
        assertFalse(c.offer(ByteBuffer.wrap(ref.packet(s, 2000, 1000, 2, 0x10, false))), "gap");
        assertFalse(c.offer(ByteBuffer.wrap(other.packet(s, 1000, 1000, 1, 0x10, false))), "other flow");
        assertFalse(c.offer(ByteBuffer.wrap(ref.packet(s, 1000, 1001, 1, 0x10, false))), "longer than the first");
        assertTrue(c.offer(ByteBuffer.wrap(ref.packet(s, 1000, 500, 1, 0x10, false))));
        assertFalse(c.offer(ByteBuffer.wrap(ref.packet(s, 1500, 500, 2, 0x10, false))), "after a short segment");
        byte[] truncated = java.util.Arrays.copyOf(ref.packet(s, 1500, 500, 2, 0x10, false), 45);
        assertFalse(c.offer(ByteBuffer.wrap(truncated)), "length disagrees with the IP header");
        assertFalse(c.isEmpty());
    }

    /** Ethernet frames merge behind an identical link-layer header, and only behind it. */
    @Test
    void mergesFramesBehindTheSameEthernetHeader() {
        Random r = new Random(18);
        GsoSegmenterTest.Reference ref = new GsoSegmenterTest.Reference(4, 6, r);
        byte[] stream = new byte[3 * 1000];
        r.nextBytes(stream);
        byte[] eth = {2, 0, 0, 0, 0, 0xb, 2, 0, 0, 0, 0, 0xa, (byte) 0x81, 0, 0, 10, 8, 0};
        TcpCoalescer c = new TcpCoalescer();
        byte[][] frames = new byte[3][];
        for (int i = 0; i < 3; i++) {
            byte[] ip = ref.packet(stream, i * 1000, 1000, i, 0x10, false);
            frames[i] = new byte[18 + ip.length];
            System.arraycopy(eth, 0, frames[i], 0, 18);
            System.arraycopy(ip, 0, frames[i], 18, ip.length);
        }
        assertTrue(c.offer(ByteBuffer.wrap(frames[0]), 18));
        assertTrue(c.offer(ByteBuffer.wrap(frames[1]), 18));
        byte[] otherMac = frames[2].clone();
        otherMac[0] = 4;
        assertFalse(c.offer(ByteBuffer.wrap(otherMac), 18), "another destination MAC");
        assertFalse(c.offer(ByteBuffer.wrap(frames[2], 4, frames[2].length - 4), 14), "another link-layer length");
        assertTrue(c.offer(ByteBuffer.wrap(frames[2]), 18));
        ByteBuffer out = c.flush();
        assertEquals(VirtioNetHeader.GSO_TCPV4, out.get(1));
        assertEquals(18 + 20 + 32, (out.get(2) & 0xff) | (out.get(3) & 0xff) << 8, "hdr_len counts the Ethernet header");
        assertEquals(18 + 20, (out.get(6) & 0xff) | (out.get(7) & 0xff) << 8, "csum_start counts the Ethernet header");
        out.position(VirtioNetHeader.SIZE);
        ByteBuffer[] segs = new ByteBuffer[4];
        for (int i = 0; i < segs.length; i++) {
            segs[i] = ByteBuffer.allocate(1600);
        }
        assertEquals(3, GsoSegmenter.segment(out, 18, VirtioNetHeader.GSO_TCPV4, 1000, segs));
        for (int i = 0; i < 3; i++) {
            byte[] got = new byte[segs[i].limit()];
            segs[i].get(0, got);
            assertArrayEquals(frames[i], got, "frame " + i);
        }
        assertFalse(c.offer(ByteBuffer.wrap(frames[0]), 19), "longer than an Ethernet header with one tag");
        assertFalse(c.offer(ByteBuffer.wrap(new byte[10]), 14), "shorter than its link-layer header");
    }
}
