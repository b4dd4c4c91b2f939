package io.warren.tun.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.tun.VirtioNetHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GsoSegmenter} against forged super-packets and virtio-net headers, one row per forgery
 * (as the kernel selftests' tables): the expected segment count, or {@link GsoSegmenter#MALFORMED}
 * / {@link GsoSegmenter#TOO_MANY_SEGMENTS}, which the TUN readers count as an offload drop
 * ({@code OUTBOUND_OFFLOAD_MALFORMED}) before reading on. The base super-packet carries 3,000 bytes
 * (TCP with timestamps, or UDP) cut at 1,000. Whatever the row, nothing is thrown, the input is
 * not modified, and every segment written has valid checksums and lengths.
 */
class GsoSegmenterForgeryTest {
    private static final int MAL = GsoSegmenter.MALFORMED;
    private static final int TOO_MANY = GsoSegmenter.TOO_MANY_SEGMENTS;
    private static final int TCP4 = VirtioNetHeader.GSO_TCPV4;
    private static final int TCP6 = VirtioNetHeader.GSO_TCPV6;
    private static final int UDP = VirtioNetHeader.GSO_UDP_L4;
    private static final int ECN = VirtioNetHeader.GSO_ECN;
    private static final ByteBuffer[] OUT = Offload.buffers(64, 65_600);

    static Stream<Arguments> rows() {
        List<Arguments> rows = new ArrayList<>();
        for (int v : new int[] {4, 6}) {
            for (int proto : new int[] {6, 17}) {
                int type = proto == 17 ? UDP : v == 4 ? TCP4 : TCP6;
                String n = "IPv" + v + (proto == 6 ? " TCP " : " UDP ");
                rows.add(row(n + "valid", v, proto, p -> { }, type, 1000, 3));
                rows.add(row(n + "gso_size 999", v, proto, p -> { }, type, 999, 4));
                rows.add(row(n + "gso_size 1001", v, proto, p -> { }, type, 1001, 3));
                rows.add(row(n + "gso_size 1499", v, proto, p -> { }, type, 1499, 3));
                rows.add(row(n + "gso_size 1500", v, proto, p -> { }, type, 1500, 2));
                rows.add(row(n + "gso_size 2999", v, proto, p -> { }, type, 2999, 2));
                rows.add(row(n + "gso_size = payload", v, proto, p -> { }, type, 3000, 1));
                rows.add(row(n + "gso_size > payload", v, proto, p -> { }, type, 3001, 1));
                rows.add(row(n + "gso_size 65535", v, proto, p -> { }, type, 65535, 1));
                rows.add(row(n + "gso_size 0", v, proto, p -> { }, type, 0, MAL));
                rows.add(row(n + "gso_size -1", v, proto, p -> { }, type, -1, MAL));
                rows.add(row(n + "gso_size 1: 3000 segments", v, proto, p -> { }, type, 1, TOO_MANY));
                rows.add(row(n + "gso_size 46: 66 segments", v, proto, p -> { }, type, 46, TOO_MANY));
                rows.add(row(n + "gso_size 47: 64 segments", v, proto, p -> { }, type, 47, 64));
                rows.add(row(n + "no payload", v, proto, p -> p.payload = new byte[0], type, 1000, 1));
                rows.add(row(n + "one byte", v, proto, p -> p.payload = new byte[1], type, 1000, 1));
                rows.add(row(n + "ECN bit", v, proto, p -> { }, type | ECN, 1000, 3));
                rows.add(row(n + "gso_type NONE", v, proto, p -> { }, VirtioNetHeader.GSO_NONE, 1000, MAL));
                rows.add(row(n + "gso_type ECN alone", v, proto, p -> { }, ECN, 1000, MAL));
                rows.add(row(n + "gso_type UDP (UFO)", v, proto, p -> { }, VirtioNetHeader.GSO_UDP, 1000, MAL));
                rows.add(row(n + "gso_type 2", v, proto, p -> { }, 2, 1000, MAL));
                rows.add(row(n + "gso_type 6", v, proto, p -> { }, 6, 1000, MAL));
                rows.add(row(n + "gso_type 0x7f", v, proto, p -> { }, 0x7f, 1000, MAL));
                rows.add(row(n + "gso_type 0xff", v, proto, p -> { }, 0xff, 1000, MAL));
                rows.add(row(n + "version 0", v, proto, p -> p.version = 0, type, 1000, MAL));
                rows.add(row(n + "version 5", v, proto, p -> p.version = 5, type, 1000, MAL));
                rows.add(row(n + "version 15", v, proto, p -> p.version = 15, type, 1000, MAL));
                rows.add(row(n + "length field +1", v, proto, p -> p.totalLength = ipLength(p) + 1, type, 1000, MAL));
                rows.add(row(n + "length field -1", v, proto, p -> p.totalLength = ipLength(p) - 1, type, 1000, MAL));
                rows.add(row(n + "length field 0", v, proto, p -> p.totalLength = 0, type, 1000, MAL));
                rows.add(row(n + "length field 0xffff", v, proto, p -> p.totalLength = 0xffff, type, 1000, MAL));
                rows.add(row(n + "checksum field garbage (recomputed)", v, proto, p -> {
                    p.partialChecksum = false;
                    p.badL4Checksum = true;
                }, type, 1000, 3));
                if (v == 4) {
                    rows.add(row(n + "IHL 0", v, proto, p -> p.ihl = 0, type, 1000, MAL));
                    rows.add(row(n + "IHL 4", v, proto, p -> p.ihl = 4, type, 1000, MAL));
                    rows.add(row(n + "IP options (copied)", v, proto, p -> p.ipOptions = new byte[] {1, 1, 1, 0}, type, 1000, 3));
                    rows.add(row(n + "40 bytes of IP options", v, proto, p -> p.ipOptions = new byte[40], type, 1000, 3));
                    rows.add(row(n + "no DF", v, proto, p -> p.frag = 0, type, 1000, 3));
                    rows.add(row(n + "ID 0xffff (wraps)", v, proto, p -> p.id = 0xffff, type, 1000, 3));
                    rows.add(row(n + "IP header checksum garbage (recomputed)", v, proto, p -> p.badIpChecksum = true, type, 1000, 3));
                    rows.add(row(n + "more fragments (RFC 791)", v, proto, p -> p.frag = 0x2000, type, 1000, MAL));
                    rows.add(row(n + "fragment offset", v, proto, p -> p.frag = 0x0001, type, 1000, MAL));
                    rows.add(row(n + "announced as IPv6", v, proto, p -> { }, proto == 6 ? TCP6 : type, 1000, proto == 6 ? MAL : 3));
                } else {
                    rows.add(row(n + "announced as IPv4", v, proto, p -> { }, proto == 6 ? TCP4 : type, 1000, proto == 6 ? MAL : 3));
                    rows.add(row(n + "hop-by-hop header (RFC 8200 §4.3)", v, proto, ext(0, 0, 1, 4, 0, 0, 0, 0), type, 1000, MAL));
                    rows.add(row(n + "routing header", v, proto, ext(43, 0, 0, 0, 0, 0, 0, 0), type, 1000, MAL));
                    rows.add(row(n + "fragment header", v, proto, ext(44, 0, 0, 1, 0, 0, 0, 7), type, 1000, MAL));
                    rows.add(row(n + "flow label and traffic class (copied)", v, proto, p -> {
                        p.flowLabel = 0xfffff;
                        p.tos = 0xff;
                    }, type, 1000, 3));
                }
                if (proto == 6) {
                    rows.add(row(n + "announced as UDP", v, proto, p -> { }, UDP, 1000, MAL));
                    rows.add(row(n + "data offset 0", v, proto, p -> p.dataOffset = 0, type, 1000, MAL));
                    rows.add(row(n + "data offset 4", v, proto, p -> p.dataOffset = 4, type, 1000, MAL));
                    rows.add(row(n + "data offset 15 (40 bytes of options)", v, proto, p -> p.tcpOptions = new byte[40], type, 1000, 3));
                    rows.add(row(n + "data offset past the end", v, proto, p -> {
                        p.dataOffset = 15;
                        p.payload = new byte[20];
                    }, type, 1000, MAL));
                    rows.add(row(n + "no options", v, proto, p -> p.tcpOptions = new byte[0], type, 1000, 3));
                    rows.add(row(n + "FIN PSH CWR ECE URG", v, proto, p -> {
                        p.flags = 0xf9;
                        p.urg = 5;
                    }, type | ECN, 1000, 3));
                    rows.add(row(n + "reserved bits (copied)", v, proto, p -> p.reserved = 0xf, type, 1000, 3));
                    rows.add(row(n + "sequence wraps", v, proto, p -> p.seq = 0xffffffffL - 1500, type, 1000, 3));
                } else {
                    rows.add(row(n + "announced as TCP", v, proto, p -> { }, v == 4 ? TCP4 : TCP6, 1000, MAL));
                    rows.add(row(n + "UDP length 0 (rewritten)", v, proto, p -> p.udpLength = 0, type, 1000, 3));
                    rows.add(row(n + "UDP length 0xffff (rewritten)", v, proto, p -> p.udpLength = 0xffff, type, 1000, 3));
                    rows.add(row(n + "UDP length 8 (rewritten)", v, proto, p -> p.udpLength = 8, type, 1000, 3));
                }
            }
        }
        return rows.stream();
    }

    private static int ipLength(Pkt p) {
        return p.build().length - (p.version == 4 ? 0 : 40);
    }

    /** An IPv6 extension header of type {@code type} (its next header: the transport), then {@code rest}. */
    private static Consumer<Pkt> ext(int type, int... rest) {
        return p -> {
            p.v6ExtType = type;
            p.v6Ext = new byte[1 + rest.length];
            p.v6Ext[0] = (byte) p.proto;
            for (int i = 0; i < rest.length; i++) {
                p.v6Ext[1 + i] = (byte) rest[i];
            }
        };
    }

    private static Arguments row(String name, int version, int proto, Consumer<Pkt> change, int gsoType, int gsoSize, int expected) {
        return Arguments.of(name, base(version, proto).with(change), gsoType, gsoSize, expected);
    }

    static Pkt base(int version, int proto) {
        Pkt p = version == 4 ? new Pkt() : Pkt.v6();
        p.proto = proto;
        p.payload = new byte[3000];
        new Random(3000 + version + proto).nextBytes(p.payload);
        p.partialChecksum = true; // as the kernel hands it over (NEEDS_CSUM): the segmenter recomputes
        return p;
    }

    @ParameterizedTest(name = "{0}: {4}")
    @MethodSource("rows")
    void forgedSuperPacket(String name, Pkt p, int gsoType, int gsoSize, int expected) {
        byte[] in = p.build();
        for (int l2 : new int[] {0, 14}) {
            byte[] frame = new byte[l2 + in.length];
            new Random(l2).nextBytes(frame);
            System.arraycopy(in, 0, frame, l2, in.length);
            ByteBuffer b = Offload.direct(frame, 3);
            for (ByteBuffer o : OUT) {
                o.clear().position(Offload.HEADROOM);
            }
            ByteBuffer[] out = OUT;
            int n = GsoSegmenter.segment(b, l2, gsoType, gsoSize, out);
            assertEquals(expected, n, name + " behind " + l2);
            assertArrayEquals(frame, Offload.bytes(b), "the input is not modified");
            if (n > 0) {
                List<byte[]> segs = Offload.segments(out, n);
                int payload = 0;
                for (byte[] s : segs) {
                    byte[] ip = java.util.Arrays.copyOfRange(s, l2, s.length);
                    assertTrue(!Pkt.isV4(ip) || Pkt.ipv4HeaderValid(ip), "IPv4 header checksum");
                    assertTrue(Pkt.l4ChecksumValid(ip), "L4 checksum");
                    assertEquals(ip.length - (Pkt.isV4(ip) ? 0 : 40), Pkt.get16(ip, Pkt.isV4(ip) ? 2 : 4));
                    payload += ip.length - p.ipHeaderLength() - p.l4HeaderLength();
                }
                assertEquals(p.payload.length, payload);
            }
        }
    }

    /** Segments that do not fit the caller's buffers are refused before anything is written. */
    @ParameterizedTest(name = "{0} buffers of {1} bytes")
    @CsvSource({"2, 65600", "3, 1052", "3, 1051", "64, 1"})
    void tooFewOrTooSmallBuffers(int count, int size) {
        byte[] in = base(4, 6).build();
        ByteBuffer[] out = Offload.buffers(count, size + Offload.HEADROOM);
        int n = GsoSegmenter.segment(ByteBuffer.wrap(in), TCP4, 1000, out);
        int fits = in.length - 3000 + 1000 <= size && count >= 3 ? 3 : TOO_MANY;
        assertEquals(fits, n);
        if (n < 0) {
            for (ByteBuffer o : out) {
                assertEquals(Offload.HEADROOM, o.position());
                assertEquals(o.capacity(), o.limit(), "nothing written");
            }
        }
    }

    /**
     * Every prefix of a super-packet (a read cut short: the buffer was smaller than the packet)
     * is refused, never segmented as if it were whole; and the header length is never past the end.
     */
    @ParameterizedTest(name = "IPv{0} proto {1}")
    @CsvSource({"4, 6", "6, 6", "4, 17", "6, 17"})
    void everyTruncationIsRefused(int version, int proto) {
        Pkt p = base(version, proto);
        p.payload = new byte[130];
        byte[] in = p.build();
        int type = proto == 17 ? UDP : version == 4 ? TCP4 : TCP6;
        ByteBuffer[] out = Offload.buffers(64, 2000);
        for (int n = 0; n < in.length; n++) {
            ByteBuffer b = ByteBuffer.wrap(in, 0, n);
            assertEquals(MAL, GsoSegmenter.segment(b, type, 100, out), n + " bytes");
            int h = GsoSegmenter.headerLength(b, type);
            assertTrue(h == -1 || h <= n, n + " bytes: header length " + h);
            assertEquals(MAL, GsoSegmenter.segment(b, 1, type, 100, out), n + " bytes behind 1");
        }
        assertEquals(2, GsoSegmenter.segment(ByteBuffer.wrap(in), type, 100, out));
        assertEquals(MAL, GsoSegmenter.segment(ByteBuffer.wrap(in), -1, type, 100, out), "negative link-layer length");
        assertEquals(MAL, GsoSegmenter.segment(ByteBuffer.wrap(in), in.length + 1, type, 100, out), "link-layer longer than the packet");
    }

    /**
     * The header length the TUN readers size their segments with: IP + TCP (data offset) or
     * IP + 8 for UDP, also for a UDP super-packet with fewer than 12 bytes of payload.
     */
    @ParameterizedTest(name = "IPv{0} proto {1}, {2} bytes of payload")
    @CsvSource({"4, 6, 0", "6, 6, 0", "4, 17, 0", "6, 17, 0", "4, 17, 2", "6, 17, 11", "4, 17, 12", "4, 6, 1000"})
    void headerLength(int version, int proto, int payload) {
        Pkt p = base(version, proto);
        p.payload = new byte[payload];
        byte[] in = p.build();
        int type = proto == 17 ? UDP : version == 4 ? TCP4 : TCP6;
        assertEquals(p.ipHeaderLength() + p.l4HeaderLength(), GsoSegmenter.headerLength(ByteBuffer.wrap(in), type));
        if (proto == 6) {
            for (int offset = 0; offset < 5; offset++) {
                in[p.ipHeaderLength() + 12] = (byte) (offset << 4);
                assertEquals(-1, GsoSegmenter.headerLength(ByteBuffer.wrap(in), type), "data offset " + offset);
            }
            in[p.ipHeaderLength() + 12] = (byte) 0xf0;
            assertEquals(in.length >= p.ipHeaderLength() + 60 ? p.ipHeaderLength() + 60 : -1,
                    GsoSegmenter.headerLength(ByteBuffer.wrap(in), type), "data offset 15");
        }
    }
}
