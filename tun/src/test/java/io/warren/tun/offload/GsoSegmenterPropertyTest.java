package io.warren.tun.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.tun.VirtioNetHeader;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A differential property test of {@link GsoSegmenter}: random valid TSO/USO super-packets (IPv4
 * with and without options, DF and identifications that wrap; IPv6 with any traffic class and flow
 * label; TCP with 0-40 bytes of options, any flags, sequence numbers that wrap; UDP; payloads at,
 * one under and one over multiples of the segment size; behind no link-layer header or an
 * Ethernet one) are cut, and every segment is checked field by field by a slow parser here, against
 * the rules Linux's {@code tcp_gso_segment}/{@code __udp_gso_segment} follow: the payloads
 * concatenate to the original; every segment but the last carries exactly gso_size bytes; IPv4
 * identification +1 per segment, total length and header checksum rewritten (RFC 791); IPv6
 * payload length rewritten (RFC 8200); TCP sequence number +gso_size per segment, FIN and PSH on
 * the last segment only, CWR on the first only, all else copied (RFC 9293 §3.1, RFC 3168 §6.1.2);
 * UDP length rewritten and checksum never 0 (RFC 768); every TCP/UDP checksum valid.
 */
class GsoSegmenterPropertyTest {
    private static final int CASES = 3000;
    private static final ByteBuffer[] OUT = Offload.buffers(64, 9_200);
    private static final ByteBuffer IN = ByteBuffer.allocateDirect(70_000);

    @Test
    void segmentsAreWhatTheSenderWouldHaveSent() {
        int segments = 0;
        for (int seed = 0; seed < CASES; seed++) {
            try {
                segments += check(new Random(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
        System.out.println("GsoSegmenterPropertyTest: " + CASES + " super-packets, " + segments + " segments");
    }

    private static int check(Random r) {
        Pkt p = r.nextBoolean() ? new Pkt() : Pkt.v6();
        boolean tcp = r.nextInt(3) != 0;
        p.proto = tcp ? 6 : 17;
        r.nextBytes(p.src);
        r.nextBytes(p.dst);
        p.sport = r.nextInt(65536);
        p.dport = r.nextInt(65536);
        p.tos = r.nextInt(256);
        p.ttl = r.nextInt(256);
        p.flowLabel = r.nextInt(1 << 20);
        p.id = r.nextInt(8) == 0 ? 0xffff - r.nextInt(3) : r.nextInt(65536);
        p.frag = r.nextBoolean() ? 0x4000 : 0;
        if (p.version == 4 && r.nextInt(4) == 0) {
            p.ipOptions = new byte[4 * (1 + r.nextInt(10))];
            Arrays.fill(p.ipOptions, (byte) 1); // NOPs
        }
        p.seq = r.nextInt(8) == 0 ? 0xffffffffL - r.nextInt(5000) : r.nextLong() & 0xffffffffL;
        p.ack = r.nextInt();
        p.flags = r.nextInt(256);
        p.reserved = r.nextInt(16);
        p.window = r.nextInt(65536);
        p.urg = r.nextInt(65536);
        int optionWords = r.nextInt(4) == 0 ? r.nextInt(11) : 3;
        p.tcpOptions = new byte[4 * optionWords];
        r.nextBytes(p.tcpOptions);
        int l2 = new int[] {0, 0, 14, 18}[r.nextInt(4)];
        int hdr = p.ipHeaderLength() + p.l4HeaderLength();
        int mss = Math.max(1, Math.min(9_000 - hdr - l2, new int[] {1, 8, 536, 1000, 1220, 1380, 1448, 1460, 8948, r.nextInt(9000) + 1}[r.nextInt(10)]));
        int maxPayload = Math.min(64 * mss, 65_535 - hdr + (p.version == 4 ? 0 : 40)); // the IP length fields are 16 bits
        int multiple = r.nextInt(Math.max(1, maxPayload / mss) + 1);
        int payload = Math.max(0, Math.min(maxPayload, multiple * mss + r.nextInt(3) - 1));
        if (r.nextInt(10) == 0) {
            payload = r.nextInt(maxPayload + 1);
        }
        p.payload = new byte[payload];
        r.nextBytes(p.payload);
        p.partialChecksum = r.nextInt(4) != 0; // as the kernel hands it over; else garbage, all recomputed
        p.badL4Checksum = !p.partialChecksum;
        p.badIpChecksum = r.nextBoolean();
        byte[] ip = p.build();
        byte[] eth = new byte[l2];
        r.nextBytes(eth);
        int at = r.nextInt(32);
        ByteBuffer in = IN.clear().position(at).put(eth).put(ip).flip().position(at);
        for (ByteBuffer o : OUT) {
            o.clear().position(Offload.HEADROOM);
        }
        int type = !tcp ? VirtioNetHeader.GSO_UDP_L4 : p.version == 4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6;
        if (tcp && r.nextBoolean()) {
            type |= VirtioNetHeader.GSO_ECN;
        }
        int n = GsoSegmenter.segment(in, l2, type, mss, OUT);
        int expected = Math.max(1, (payload + mss - 1) / mss);
        assertEquals(expected, n, "segments of " + payload + " at " + mss);
        assertEquals(at, in.position());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            assertEquals(Offload.HEADROOM, OUT[i].position());
            byte[] f = Offload.bytes(OUT[i]);
            assertArrayEquals(eth, Arrays.copyOf(f, l2), "link-layer header");
            byte[] s = Arrays.copyOfRange(f, l2, f.length);
            int segPayload = s.length - hdr;
            assertEquals(i < n - 1 ? mss : payload - (n - 1) * mss, segPayload, "payload of segment " + i);
            joined.write(s, hdr, segPayload);
            checkSegment(ip, s, i, n, mss, p);
        }
        assertArrayEquals(p.payload, joined.toByteArray(), "the payloads concatenate to the original");
        return n;
    }

    private static void checkSegment(byte[] orig, byte[] s, int i, int n, int mss, Pkt p) {
        int iph = p.ipHeaderLength();
        String at = "segment " + i + " of " + n + ": ";
        if (p.version == 4) {
            assertEquals(orig[0], s[0], at + "version, IHL");
            assertEquals(orig[1], s[1], at + "TOS");
            assertEquals(s.length, Pkt.get16(s, 2), at + "total length");
            assertEquals((p.id + i) & 0xffff, Pkt.get16(s, 4), at + "identification");
            assertArrayEquals(Arrays.copyOfRange(orig, 6, 10), Arrays.copyOfRange(s, 6, 10), at + "flags, offset, TTL, protocol");
            assertArrayEquals(Arrays.copyOfRange(orig, 12, iph), Arrays.copyOfRange(s, 12, iph), at + "addresses, options");
            assertTrue(Pkt.ipv4HeaderValid(s), at + "header checksum");
        } else {
            assertArrayEquals(Arrays.copyOf(orig, 4), Arrays.copyOf(s, 4), at + "traffic class, flow label");
            assertEquals(s.length - 40, Pkt.get16(s, 4), at + "payload length");
            assertArrayEquals(Arrays.copyOfRange(orig, 6, 40), Arrays.copyOfRange(s, 6, 40), at + "next header, hop limit, addresses");
        }
        int t = iph;
        assertArrayEquals(Arrays.copyOfRange(orig, t, t + 4), Arrays.copyOfRange(s, t, t + 4), at + "ports");
        if (p.proto == 6) {
            assertEquals((int) (p.seq + (long) i * mss), Pkt.get32(s, t + 4), at + "sequence number");
            assertArrayEquals(Arrays.copyOfRange(orig, t + 8, t + 13), Arrays.copyOfRange(s, t + 8, t + 13), at + "ack, offset, reserved");
            int flags = p.flags;
            if (i < n - 1) {
                flags &= ~0x09; // FIN, PSH: the last only
            }
            if (i > 0) {
                flags &= ~0x80; // CWR: the first only
            }
            assertEquals(flags, s[t + 13] & 0xff, at + "flags");
            assertArrayEquals(Arrays.copyOfRange(orig, t + 14, t + 16), Arrays.copyOfRange(s, t + 14, t + 16), at + "window");
            int th = p.l4HeaderLength();
            assertArrayEquals(Arrays.copyOfRange(orig, t + 18, t + th), Arrays.copyOfRange(s, t + 18, t + th), at + "urgent pointer, options");
        } else {
            assertEquals(s.length - t, Pkt.get16(s, t + 4), at + "UDP length");
            assertTrue(Pkt.get16(s, t + 6) != 0, at + "UDP checksum 0 (none) written");
        }
        assertTrue(Pkt.l4ChecksumValid(s), at + "checksum");
    }
}
