package io.warren.tun.offload;

import static io.warren.tun.offload.Pkt.fold;
import static io.warren.tun.offload.Pkt.get16;
import static io.warren.tun.offload.Pkt.put16;
import static io.warren.tun.offload.Pkt.sum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.tun.VirtioNetHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Segments are compared byte for byte with packets built independently by a slow reference
 * (byte arrays, 16-bit checksum loop) from the same stream, as the sender would have sent them
 * without TSO/USO.
 */
class GsoSegmenterTest {
    private static final int HEADROOM = 7;

    @ParameterizedTest
    @CsvSource({
        "4, 6, 1380, 65000, 0x19", "4, 6, 1380, 1380, 0x18", "4, 6, 1000, 2501, 0x11",
        "6, 6, 1360, 40000, 0x18", "6, 6, 536, 537, 0x98",
        "4, 17, 1400, 14000, 0", "6, 17, 1200, 5000, 0", "4, 6, 1380, 0, 0x10"})
    void matchesTheReference(int version, int proto, int mss, int payloadLength, int tcpFlags) {
        Random r = new Random(version * 1000 + proto + payloadLength);
        byte[] payload = new byte[payloadLength];
        r.nextBytes(payload);
        Reference ref = new Reference(version, proto, r);
        byte[] superPacket = ref.packet(payload, 0, payloadLength, 0, tcpFlags, true);
        ByteBuffer in = ByteBuffer.allocateDirect(superPacket.length + 20);
        in.position(10).put(superPacket).flip().position(10);
        ByteBuffer[] out = buffers(64, 1600, ByteOrder.LITTLE_ENDIAN);
        int gsoType = proto == 17 ? VirtioNetHeader.GSO_UDP_L4
                : version == 4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6;
        int n = GsoSegmenter.segment(in, gsoType, mss, out);
        int expected = Math.max(1, (payloadLength + mss - 1) / mss);
        assertEquals(expected, n);
        for (int i = 0; i < n; i++) {
            int from = i * mss;
            int len = Math.min(mss, payloadLength - from);
            byte[] want = ref.packet(payload, from, len, i, segmentFlags(tcpFlags, i, n), false);
            byte[] got = new byte[out[i].limit() - HEADROOM];
            out[i].get(HEADROOM, got);
            assertArrayEquals(want, got, "segment " + i);
            assertEquals(HEADROOM, out[i].position());
        }
    }

    private static int segmentFlags(int flags, int i, int n) {
        int f = flags;
        if (i != n - 1) {
            f &= ~0x09;
        }
        if (i != 0) {
            f &= ~0x80;
        }
        return f;
    }

    @Test
    void refusesMalformedAndOversizedInput() {
        ByteBuffer[] out = buffers(2, 1600, ByteOrder.BIG_ENDIAN);
        Reference ref = new Reference(4, 6, new Random(1));
        byte[] big = ref.packet(new byte[5000], 0, 5000, 0, 0x10, true);
        ByteBuffer in = ByteBuffer.wrap(big);
        assertEquals(GsoSegmenter.TOO_MANY_SEGMENTS, GsoSegmenter.segment(in, VirtioNetHeader.GSO_TCPV4, 1380, out));
        assertEquals(GsoSegmenter.MALFORMED, GsoSegmenter.segment(in, VirtioNetHeader.GSO_TCPV6, 1380, out));
        assertEquals(GsoSegmenter.MALFORMED, GsoSegmenter.segment(in, VirtioNetHeader.GSO_UDP_L4, 1380, out));
        assertEquals(GsoSegmenter.MALFORMED, GsoSegmenter.segment(ByteBuffer.wrap(new byte[30]), 1, 1380, out));
        assertEquals(GsoSegmenter.MALFORMED, GsoSegmenter.segment(ByteBuffer.wrap(new byte[3]), 1, 1380, out));
        byte[] truncated = java.util.Arrays.copyOf(big, 30);
        assertEquals(GsoSegmenter.MALFORMED, GsoSegmenter.segment(ByteBuffer.wrap(truncated), 1, 1380, out));
        assertEquals(GsoSegmenter.MALFORMED, GsoSegmenter.segment(in, VirtioNetHeader.GSO_TCPV4, 0, out));
    }

    /** A TAP super-frame: the Ethernet header (and 802.1Q tag) leads every segment unchanged. */
    @ParameterizedTest
    @CsvSource({"4, 6, 1398, 20000, 14", "6, 6, 1378, 9000, 18", "4, 17, 1400, 5000, 18", "4, 6, 1000, 1000, 14"})
    void keepsTheLinkLayerHeaderBeforeEverySegment(int version, int proto, int mss, int payloadLength, int l2) {
        Random r = new Random(l2 * 31 + payloadLength);
        byte[] payload = new byte[payloadLength];
        r.nextBytes(payload);
        Reference ref = new Reference(version, proto, r);
        byte[] eth = new byte[l2];
        r.nextBytes(eth);
        if (l2 == 18) {
            eth[12] = (byte) 0x81;
            eth[13] = 0;
        }
        byte[] superPacket = ref.packet(payload, 0, payloadLength, 0, 0x18, true);
        ByteBuffer in = ByteBuffer.allocateDirect(l2 + superPacket.length + 20);
        in.position(10).put(eth).put(superPacket).flip().position(10);
        ByteBuffer[] out = buffers(64, 1600, ByteOrder.BIG_ENDIAN);
        int gsoType = proto == 17 ? VirtioNetHeader.GSO_UDP_L4
                : version == 4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6;
        int n = GsoSegmenter.segment(in, l2, gsoType, mss, out);
        assertEquals((payloadLength + mss - 1) / mss, n);
        for (int i = 0; i < n; i++) {
            int from = i * mss;
            int len = Math.min(mss, payloadLength - from);
            byte[] want = ref.packet(payload, from, len, i, segmentFlags(0x18, i, n), false);
            byte[] got = new byte[out[i].limit() - HEADROOM];
            out[i].get(HEADROOM, got);
            assertArrayEquals(eth, java.util.Arrays.copyOf(got, l2), "link-layer header of segment " + i);
            assertArrayEquals(want, java.util.Arrays.copyOfRange(got, l2, got.length), "segment " + i);
        }
        assertEquals(GsoSegmenter.MALFORMED, GsoSegmenter.segment(in, in.remaining() + 1, gsoType, mss, out));
        assertEquals(GsoSegmenter.MALFORMED, GsoSegmenter.segment(in, l2 + 1, gsoType, mss, out), "IP header misplaced");
    }

    @Test
    void completesAPartialChecksum() {
        Reference ref = new Reference(6, 6, new Random(3));
        byte[] payload = new byte[333];
        new Random(4).nextBytes(payload);
        byte[] want = ref.packet(payload, 0, payload.length, 0, 0x18, false);
        byte[] partial = ref.packet(payload, 0, payload.length, 0, 0x18, true);
        ByteBuffer b = ByteBuffer.allocate(partial.length + 4);
        b.position(4).put(partial).position(4);
        assertTrue(GsoSegmenter.completeChecksum(b, 40, 16));
        byte[] got = new byte[partial.length];
        b.get(4, got);
        assertArrayEquals(want, got);
        assertFalse(GsoSegmenter.completeChecksum(b, 400, 16));
    }

    @Test
    void consumesAVirtioNetHeaderInPlace() {
        Reference ref = new Reference(6, 6, new Random(3));
        byte[] payload = new byte[333];
        new Random(4).nextBytes(payload);
        byte[] want = ref.packet(payload, 0, payload.length, 0, 0x18, false);
        byte[] partial = ref.packet(payload, 0, payload.length, 0, 0x18, true);
        int at = 3;
        ByteBuffer b = ByteBuffer.allocate(at + VirtioNetHeader.SIZE + partial.length);
        b.position(at);
        new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, 40, 16).encode(b);
        b.put(partial).position(at);
        assertEquals(VirtioNetHeader.GSO_NONE, GsoSegmenter.consumeHeader(b), "a plain packet");
        assertEquals(at + VirtioNetHeader.SIZE, b.position());
        byte[] got = new byte[partial.length];
        b.get(b.position(), got);
        assertArrayEquals(want, got, "the partial checksum is finished");

        b.position(at);
        new VirtioNetHeader(0, VirtioNetHeader.GSO_TCPV4 | VirtioNetHeader.GSO_ECN, 40, 1400, 40, 16).encode(b);
        b.position(at);
        assertEquals(VirtioNetHeader.GSO_TCPV4 | VirtioNetHeader.GSO_ECN, GsoSegmenter.consumeHeader(b));
        assertTrue(GsoSegmenter.isGso(VirtioNetHeader.GSO_TCPV4 | VirtioNetHeader.GSO_ECN));
        assertFalse(GsoSegmenter.isGso(VirtioNetHeader.GSO_ECN));
        assertEquals(1400, GsoSegmenter.consumedGsoSize(b));

        b.position(at);
        new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, 4000, 16).encode(b);
        b.position(at);
        assertEquals(GsoSegmenter.MALFORMED, GsoSegmenter.consumeHeader(b), "a checksum outside the packet");
        b.position(at).limit(at + VirtioNetHeader.SIZE - 1);
        assertEquals(GsoSegmenter.MALFORMED, GsoSegmenter.consumeHeader(b), "a cut header");
        assertEquals(at, b.position(), "a cut header moves nothing");
    }

    private static ByteBuffer[] buffers(int n, int size, ByteOrder order) {
        ByteBuffer[] out = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            out[i] = ByteBuffer.allocateDirect(size).order(order);
            out[i].position(HEADROOM);
        }
        return out;
    }

    /** Builds packets of one flow with non-zero values in every field; slow and obvious. */
    static final class Reference {
        final int version;
        final int proto;
        final byte[] src;
        final byte[] dst;
        final int sport;
        final int dport;
        final long seq;
        final int ack;
        final int ipId;

        Reference(int version, int proto, Random r) {
            this.version = version;
            this.proto = proto;
            src = new byte[version == 4 ? 4 : 16];
            dst = new byte[src.length];
            r.nextBytes(src);
            r.nextBytes(dst);
            sport = 1 + r.nextInt(65000);
            dport = 1 + r.nextInt(65000);
            seq = 0xffff_f000L; // wraps within the stream
            ack = r.nextInt();
            ipId = 0xfffe;
        }

        /** Segment {@code index} of the stream, payload {@code [from, from + len)}. */
        byte[] packet(byte[] stream, int from, int len, int index, int flags, boolean partialChecksum) {
            int ipHdr = version == 4 ? 20 : 40;
            int l4 = proto == 6 ? 32 : 8; // TCP with 12 bytes of options (timestamps)
            byte[] b = new byte[ipHdr + l4 + len];
            if (version == 4) {
                b[0] = 0x45;
                b[1] = 0x02;
                put16(b, 2, b.length);
                put16(b, 4, (ipId + index) & 0xffff);
                put16(b, 6, 0x4000);
                b[8] = 64;
                b[9] = (byte) proto;
                System.arraycopy(src, 0, b, 12, 4);
                System.arraycopy(dst, 0, b, 16, 4);
                put16(b, 10, ~sum(b, 0, 20, 0) & 0xffff);
            } else {
                b[0] = 0x60;
                b[1] = 0x0a;
                b[3] = 0x42;
                put16(b, 4, b.length - 40);
                b[6] = (byte) proto;
                b[7] = 64;
                System.arraycopy(src, 0, b, 8, 16);
                System.arraycopy(dst, 0, b, 24, 16);
            }
            int t = ipHdr;
            put16(b, t, sport);
            put16(b, t + 2, dport);
            if (proto == 6) {
                long s = seq + from;
                put16(b, t + 4, (int) (s >>> 16) & 0xffff);
                put16(b, t + 6, (int) s & 0xffff);
                put16(b, t + 8, ack >>> 16);
                put16(b, t + 10, ack & 0xffff);
                b[t + 12] = (byte) (8 << 4);
                b[t + 13] = (byte) flags;
                put16(b, t + 14, 501);
                b[t + 20] = 1;
                b[t + 21] = 1;
                b[t + 22] = 8;
                b[t + 23] = 10;
                put16(b, t + 24, 0x1234);
                put16(b, t + 30, 0x5678);
            } else {
                put16(b, t + 4, l4 + len);
            }
            System.arraycopy(stream, from, b, t + l4, len);
            int pseudo = 0;
            for (int i = 0; i < src.length; i += 2) {
                pseudo += get16(src, i) + get16(dst, i);
            }
            pseudo += proto + l4 + len;
            int csumAt = t + (proto == 6 ? 16 : 6);
            if (partialChecksum) {
                put16(b, csumAt, fold(pseudo));
            } else {
                int c = ~sum(b, t, l4 + len, pseudo) & 0xffff;
                put16(b, csumAt, proto == 17 && c == 0 ? 0xffff : c);
            }
            return b;
        }
    }
}
