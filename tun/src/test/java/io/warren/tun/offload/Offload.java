package io.warren.tun.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.tun.VirtioNetHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Calls into the offload codecs with byte arrays, for the forgery and property tests. */
final class Offload {
    static final int HEADROOM = 7;
    /** Output buffers for {@link #splitSuper} (tests run one at a time). */
    private static final ByteBuffer[] SPLIT = buffers(64, 65_600);

    private Offload() {}

    /** Output buffers for {@link GsoSegmenter#segment}: direct, each positioned at {@link #HEADROOM}. */
    static ByteBuffer[] buffers(int n, int size) {
        ByteBuffer[] out = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            out[i] = ByteBuffer.allocateDirect(size);
            out[i].position(HEADROOM);
        }
        return out;
    }

    /** {@code b} in a direct buffer at an odd offset, with slack after its limit. */
    static ByteBuffer direct(byte[] b, int offset) {
        ByteBuffer d = ByteBuffer.allocateDirect(offset + b.length + 64);
        d.position(offset).put(b).flip().position(offset);
        return d;
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(b.position(), a);
        return a;
    }

    /** The segments {@code segment} wrote ({@code n} of them, each from HEADROOM to its limit). */
    static List<byte[]> segments(ByteBuffer[] out, int n) {
        List<byte[]> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] a = new byte[out[i].limit() - out[i].position()];
            out[i].get(out[i].position(), a);
            s.add(a);
        }
        return s;
    }

    static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    /**
     * Splits a GSO super-packet {@link TcpCoalescer#flush} returned (virtio-net header first, then
     * {@code l2} bytes of link-layer header) back into its segments, after checking the header
     * (NEEDS_CSUM, the GSO type for the IP version, hdr_len, csum_start/offset), the IP length, the
     * IPv4 header checksum, and that the partial TCP checksum, once finished as the kernel would,
     * verifies over the whole super-packet.
     */
    static List<byte[]> splitSuper(ByteBuffer out, int l2) {
        byte[] w = bytes(out);
        int gsoSize = le16(w, 4);
        byte[] packet = Arrays.copyOfRange(w, VirtioNetHeader.SIZE + l2, w.length);
        assertEquals(VirtioNetHeader.F_NEEDS_CSUM, w[0]);
        assertEquals(Pkt.isV4(packet) ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6, w[1]);
        int ip = Pkt.ipHeaderLength(packet);
        assertEquals(l2 + ip + Pkt.tcpHeaderLength(packet), le16(w, 2), "hdr_len");
        assertEquals(l2 + ip, le16(w, 6), "csum_start");
        assertEquals(16, le16(w, 8), "csum_offset");
        assertTrue(packet.length <= 65_535, "IP length " + packet.length);
        assertEquals(packet.length - (Pkt.isV4(packet) ? 0 : 40), Pkt.get16(packet, Pkt.isV4(packet) ? 2 : 4), "IP length");
        assertTrue(!Pkt.isV4(packet) || Pkt.ipv4HeaderValid(packet), "IPv4 header checksum");
        ByteBuffer finished = ByteBuffer.wrap(packet.clone());
        assertTrue(GsoSegmenter.completeChecksum(finished, ip, 16));
        assertTrue(GsoSegmenter.tcpChecksumValid(finished), "the finished checksum of the super-packet");
        ByteBuffer frame = ByteBuffer.wrap(w, VirtioNetHeader.SIZE, w.length - VirtioNetHeader.SIZE).slice();
        ByteBuffer[] segs = SPLIT;
        for (ByteBuffer b : segs) {
            b.clear().position(HEADROOM);
        }
        int n = GsoSegmenter.segment(frame, l2, w[1], gsoSize, segs);
        assertTrue(n > 1 && n <= 64, "segments " + n);
        return segments(segs, n);
    }
}
