package io.warren.tun.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.tun.VirtioNetHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TcpCoalescer} against forged segments, one row per forgery (as the kernel selftests'
 * tables): a 1000-byte ACK segment is held, then the row's segment is offered. Its bytes come from
 * a decrypted datagram, so an authenticated but hostile peer chooses every one of them.
 *
 * <p>Outcomes: {@code JOIN} (merged, and the super-packet splits back into both segments);
 * {@code REFUSE} (may not follow the held segment, but may start a run of its own); {@code ALONE}
 * (never merged: refused even by an empty coalescer, so the caller writes it unchanged). A refused
 * packet leaves the held one as it was. The coalescer drops nothing: what it refuses the caller
 * writes alone, with DATA_VALID, and the kernel's own checks count it there.
 */
class TcpCoalescerForgeryTest {
    enum Outcome { JOIN, REFUSE, ALONE }

    private static final int MSS = 1000;

    static Stream<Arguments> rows() {
        List<Arguments> rows = new ArrayList<>();
        for (int v : new int[] {4, 6}) {
            // TCP flags (RFC 9293 §3.1): only ACK, and PSH on the last, may merge (as tcp_gro_receive).
            row(rows, v, "in order", p -> { }, Outcome.JOIN);
            row(rows, v, "PSH", p -> p.flags = 0x18, Outcome.JOIN);
            row(rows, v, "FIN", p -> p.flags = 0x11, Outcome.ALONE);
            row(rows, v, "SYN", p -> p.flags = 0x12, Outcome.ALONE);
            row(rows, v, "RST", p -> p.flags = 0x14, Outcome.ALONE);
            row(rows, v, "URG", p -> p.flags = 0x30, Outcome.ALONE);
            row(rows, v, "ECE", p -> p.flags = 0x50, Outcome.ALONE);
            row(rows, v, "CWR", p -> p.flags = 0x90, Outcome.ALONE);
            row(rows, v, "no ACK", p -> p.flags = 0x00, Outcome.ALONE);
            row(rows, v, "PSH without ACK", p -> p.flags = 0x08, Outcome.ALONE);
            row(rows, v, "all flags", p -> p.flags = 0xff, Outcome.ALONE);
            for (int bit = 1; bit <= 8; bit <<= 1) {
                int b = bit;
                row(rows, v, "reserved bit " + bit + " (AE is 1)", p -> p.reserved = b, Outcome.REFUSE);
            }
            flowRow(rows, v, "reserved bits on both", p -> p.reserved = 9, p -> { }, Outcome.JOIN);
            row(rows, v, "data offset 0", p -> p.dataOffset = 0, Outcome.ALONE);
            row(rows, v, "data offset 4", p -> p.dataOffset = 4, Outcome.ALONE);
            row(rows, v, "data offset past the end", p -> {
                p.dataOffset = 15;
                p.payload = new byte[20];
            }, Outcome.ALONE);
            row(rows, v, "options missing (other header length)", p -> p.tcpOptions = new byte[0], Outcome.REFUSE);
            row(rows, v, "timestamp changed", p -> p.tcpOptions = Pkt.timestamps(1001, 2000), Outcome.REFUSE);
            row(rows, v, "echoed timestamp changed", p -> p.tcpOptions = Pkt.timestamps(1000, 2001), Outcome.REFUSE);
            row(rows, v, "sequence +1", p -> p.seq += 1, Outcome.REFUSE);
            row(rows, v, "sequence -1 (overlap)", p -> p.seq -= 1, Outcome.REFUSE);
            row(rows, v, "duplicate of the held", p -> p.seq -= MSS, Outcome.REFUSE);
            row(rows, v, "gap", p -> p.seq += MSS, Outcome.REFUSE);
            row(rows, v, "longer than the held", p -> p.payload = new byte[MSS + 1], Outcome.REFUSE);
            row(rows, v, "shorter than the held", p -> p.payload = new byte[MSS - 1], Outcome.JOIN);
            row(rows, v, "one byte", p -> p.payload = new byte[1], Outcome.JOIN);
            row(rows, v, "no payload (pure ACK)", p -> p.payload = new byte[0], Outcome.ALONE);
            row(rows, v, "ack +1", p -> p.ack += 1, Outcome.REFUSE);
            row(rows, v, "window +1", p -> p.window += 1, Outcome.REFUSE);
            row(rows, v, "urgent pointer without URG", p -> p.urg = 1, Outcome.REFUSE);
            row(rows, v, "source port", p -> p.sport ^= 1, Outcome.REFUSE);
            row(rows, v, "destination port", p -> p.dport ^= 0x100, Outcome.REFUSE);
            row(rows, v, "source address", p -> p.src[p.src.length - 1] ^= 1, Outcome.REFUSE);
            row(rows, v, "destination address", p -> p.dst[0] ^= 0x80, Outcome.REFUSE);
            row(rows, v, "TOS / traffic class", p -> p.tos ^= 0x10, Outcome.REFUSE);
            row(rows, v, "ECN CE", p -> p.tos |= 0x03, Outcome.REFUSE);
            row(rows, v, "TTL / hop limit", p -> p.ttl -= 1, Outcome.REFUSE);
            row(rows, v, "TCP checksum wrong (the caller verifies or trusts)", p -> p.badL4Checksum = true, Outcome.JOIN);
            row(rows, v, "UDP", p -> p.proto = 17, Outcome.ALONE);
            row(rows, v, "ICMP", p -> p.proto = 1, Outcome.ALONE);
            row(rows, v, "length field +1", p -> p.totalLength = p.build().length - (p.version == 4 ? 0 : 40) + 1, Outcome.ALONE);
            row(rows, v, "length field -1", p -> p.totalLength = p.build().length - (p.version == 4 ? 0 : 40) - 1, Outcome.ALONE);
            row(rows, v, "length field 0", p -> p.totalLength = 0, Outcome.ALONE);
            row(rows, v, "version 5", p -> p.version = 5, Outcome.ALONE);
            if (v == 4) {
                row(rows, v, "IP header checksum wrong (RFC 791 §3.1)", p -> p.badIpChecksum = true, Outcome.ALONE);
                row(rows, v, "IHL 4", p -> p.ihl = 4, Outcome.ALONE);
                row(rows, v, "IP options (never merged)", p -> p.ipOptions = new byte[] {1, 1, 1, 0}, Outcome.ALONE);
                row(rows, v, "DF cleared", p -> p.frag = 0, Outcome.REFUSE);
                row(rows, v, "reserved IP flag", p -> p.frag = 0xc000, Outcome.REFUSE);
                row(rows, v, "more fragments", p -> p.frag = 0x6000, Outcome.ALONE);
                row(rows, v, "fragment offset", p -> p.frag = 0x4001, Outcome.ALONE);
                row(rows, v, "DF: ID unchanged", p -> p.id -= 1, Outcome.JOIN);
                row(rows, v, "DF: ID jumps", p -> p.id += 7, Outcome.JOIN);
                flowRow(rows, v, "no DF: ID +1", p -> p.frag = 0, p -> { }, Outcome.JOIN);
                flowRow(rows, v, "no DF: ID unchanged (RFC 6864 §4.1)", p -> p.frag = 0, p -> p.id -= 1, Outcome.REFUSE);
                flowRow(rows, v, "no DF: ID jumps", p -> p.frag = 0, p -> p.id += 7, Outcome.REFUSE);
                flowRow(rows, v, "no DF: ID wraps", p -> {
                    p.frag = 0;
                    p.id = 0xffff;
                }, p -> { }, Outcome.JOIN);
            } else {
                row(rows, v, "flow label", p -> p.flowLabel ^= 1, Outcome.REFUSE);
                row(rows, v, "hop-by-hop header (never merged)", p -> {
                    p.v6ExtType = 0;
                    p.v6Ext = new byte[] {6, 0, 1, 4, 0, 0, 0, 0};
                }, Outcome.ALONE);
                row(rows, v, "fragment header", p -> {
                    p.v6ExtType = 44;
                    p.v6Ext = new byte[] {6, 0, 0, 0, 0, 0, 0, 1};
                }, Outcome.ALONE);
            }
        }
        return rows.stream();
    }

    private static void row(List<Arguments> rows, int v, String name, Consumer<Pkt> candidate, Outcome expected) {
        rows.add(Arguments.of("IPv" + v + " " + name, v, (Consumer<Pkt>) p -> { }, candidate, expected));
    }

    private static void flowRow(List<Arguments> rows, int v, String name, Consumer<Pkt> flow, Consumer<Pkt> candidate,
            Outcome expected) {
        rows.add(Arguments.of("IPv" + v + " " + name, v, flow, candidate, expected));
    }

    static Pkt first(int version, Consumer<Pkt> flow) {
        Pkt p = version == 4 ? new Pkt() : Pkt.v6();
        p.payload = new byte[MSS];
        new Random(MSS).nextBytes(p.payload);
        flow.accept(p);
        return p;
    }

    static Pkt next(Pkt first) {
        Pkt n = first.clone();
        n.seq = first.seq + first.payload.length;
        n.id = first.id + 1;
        new Random(MSS + 1).nextBytes(n.payload);
        return n;
    }

    @ParameterizedTest(name = "{0}: {4}")
    @MethodSource("rows")
    void forgedSegmentBehindAHeldOne(String name, int version, Consumer<Pkt> flow, Consumer<Pkt> change, Outcome expected) {
        Pkt first = first(version, flow);
        Pkt candidate = next(first).with(change);
        byte[] a = first.build();
        byte[] b = candidate.build();
        TcpCoalescer c = new TcpCoalescer();
        assertTrue(c.offer(Offload.direct(a, 3)), "the held segment");
        ByteBuffer in = Offload.direct(b, 5);
        boolean joined = c.offer(in);
        assertArrayEquals(b, Offload.bytes(in), "the offered packet is not touched");
        assertEquals(expected == Outcome.JOIN, joined, name);
        if (joined) {
            // The kernel numbers the IDs of an atomic (DF) run from the first (RFC 6864 §4.1).
            byte[] want = candidate.with(p -> {
                p.badL4Checksum = false;
                p.id = p.version == 4 && (p.frag & 0x4000) != 0 ? first.id + 1 : p.id;
            }).build();
            assertEquals(List.of(Pkt.hex(a), Pkt.hex(want)), splitBack(c.flush()).stream().map(Pkt::hex).toList());
            return;
        }
        assertLone(a, c.flush());
        assertEquals(expected != Outcome.ALONE, c.offer(Offload.direct(b, 1)), "offered to an empty coalescer");
        if (expected == Outcome.REFUSE) {
            assertLone(b, c.flush());
        }
        assertTrue(c.isEmpty());
    }

    /** Every prefix of a segment (a truncated or mis-sized decryption) is refused, held or not. */
    @ParameterizedTest(name = "IPv{0} behind {1} bytes of link-layer header")
    @org.junit.jupiter.params.provider.CsvSource({"4, 0", "6, 0", "4, 14", "6, 18"})
    void everyTruncationIsRefused(int version, int l2) {
        Pkt first = first(version, p -> { });
        first.payload = new byte[100];
        byte[] a = withL2(first.build(), l2);
        byte[] b = withL2(next(first).build(), l2);
        TcpCoalescer c = new TcpCoalescer();
        for (int n = 0; n < b.length; n++) {
            byte[] cut = Pkt.cut(b, n);
            assertFalse(c.offer(ByteBuffer.wrap(cut), l2), "empty, " + n + " bytes");
            assertTrue(c.offer(ByteBuffer.wrap(a), l2));
            assertFalse(c.offer(Offload.direct(cut, 2), l2), "held, " + n + " bytes");
            ByteBuffer lone = c.flush();
            assertEquals(VirtioNetHeader.GSO_NONE, lone.get(1));
            assertArrayEquals(a, Offload.bytes(lone.position(VirtioNetHeader.SIZE)));
        }
        assertTrue(c.offer(ByteBuffer.wrap(a), l2));
        assertTrue(c.offer(ByteBuffer.wrap(b), l2), "the whole segment");
    }

    private static byte[] withL2(byte[] ip, int l2) {
        byte[] f = new byte[l2 + ip.length];
        for (int i = 0; i < l2; i++) {
            f[i] = (byte) (0x20 + i);
        }
        System.arraycopy(ip, 0, f, l2, ip.length);
        return f;
    }

    /**
     * A packet larger than the 64 KB a super-packet may hold (an IPv6 payload length of 65,535 says
     * 65,575 bytes) is refused, not copied past the end of the coalescer's buffer.
     */
    @Test
    void refusesPacketsLargerThanItsBuffer() {
        Pkt big = Pkt.v6();
        big.payload = new byte[65_535 - 32];
        byte[] b = big.build();
        assertEquals(65_575, b.length);
        TcpCoalescer c = new TcpCoalescer();
        assertFalse(c.offer(ByteBuffer.wrap(b)), "empty");
        assertFalse(c.offer(ByteBuffer.wrap(withL2(b, 18)), 18), "empty, behind a tagged Ethernet header");
        Pkt small = first(6, p -> { });
        assertTrue(c.offer(ByteBuffer.wrap(small.build())));
        assertFalse(c.offer(ByteBuffer.wrap(b)), "held");
        assertLone(small.build(), c.flush());

        Pkt max = new Pkt();
        max.payload = new byte[65_535 - 52];
        byte[] m = withL2(max.build(), 18);
        assertTrue(c.offer(ByteBuffer.wrap(m), 18), "the largest IPv4 packet, behind a tagged Ethernet header");
        ByteBuffer out = c.flush();
        assertArrayEquals(m, Offload.bytes(out.position(VirtioNetHeader.SIZE)));
    }

    /** A run stops at 64 segments and at 65,535 bytes of IP packet (the IPv4 total length). */
    @ParameterizedTest(name = "IPv{0}, {1}-byte segments")
    @org.junit.jupiter.params.provider.CsvSource({"4, 1", "6, 1", "4, 100", "6, 1000", "4, 1448", "6, 9000", "4, 65000"})
    void stopsAtTheSegmentAndLengthLimits(int version, int mss) {
        Pkt p = first(version, f -> f.payload = new byte[mss]);
        TcpCoalescer c = new TcpCoalescer();
        int hdr = p.ipHeaderLength() + p.l4HeaderLength();
        int joined = 0;
        while (c.offer(ByteBuffer.wrap(p.build()))) {
            joined++;
            p = next(p);
            assertTrue(joined <= 64, "at most 64 segments");
        }
        int expected = Math.min(64, (65_535 - hdr) / mss);
        assertEquals(Math.max(1, expected), joined);
        ByteBuffer out = c.flush();
        int total = out.remaining() - VirtioNetHeader.SIZE;
        assertTrue(total <= 65_535, "total " + total);
        if (joined > 1) {
            assertEquals(joined, splitBack(out).size());
        }
    }

    private static void assertLone(byte[] want, ByteBuffer out) {
        assertEquals(VirtioNetHeader.F_DATA_VALID, out.get(out.position()));
        assertEquals(VirtioNetHeader.GSO_NONE, out.get(out.position() + 1));
        assertArrayEquals(want, Offload.bytes(out.position(out.position() + VirtioNetHeader.SIZE)));
    }

    static List<byte[]> splitBack(ByteBuffer out) {
        return Offload.splitSuper(out, 0);
    }

    @Test
    void flushOfNothingIsNull() {
        assertNull(new TcpCoalescer().flush());
    }
}
