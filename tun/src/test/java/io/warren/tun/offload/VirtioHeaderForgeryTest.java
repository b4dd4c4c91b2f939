package io.warren.tun.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.tun.VirtioNetHeader;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The virtio-net header as the TUN readers take it ({@link GsoSegmenter#consumeHeader}) and as
 * {@link VirtioNetHeader#decode} checks it, against forged headers: one row per forgery with the
 * expected result (virtio 1.x §5.1.6.2: csum_start + csum_offset + 2 must lie within the packet).
 * consumeHeader is the lenient per-packet form: it reads flags and gso_type and finishes a
 * partial checksum; what it passes on is segmented (and refused there if malformed) or sent.
 * Also: arbitrary bytes through every entry point never throw.
 */
class VirtioHeaderForgeryTest {
    private static final int MAL = GsoSegmenter.MALFORMED;
    private static final int NEEDS = VirtioNetHeader.F_NEEDS_CSUM;

    /** A 100-byte TCP segment over IPv4 with a partial checksum: 152 bytes. */
    private static Pkt packet() {
        Pkt p = new Pkt();
        p.payload = new byte[100];
        new Random(152).nextBytes(p.payload);
        p.partialChecksum = true;
        return p;
    }

    enum Effect { UNTOUCHED, CHECKSUM_FINISHED, WRITTEN_ELSEWHERE }

    static Stream<Arguments> rows() {
        int len = packet().build().length;
        return Stream.of(
                row("plain", 0, 0, 0, 0, 0, VirtioNetHeader.GSO_NONE, Effect.UNTOUCHED),
                row("DATA_VALID", VirtioNetHeader.F_DATA_VALID, 0, 0, 0, 0, 0, Effect.UNTOUCHED),
                row("unknown flags (ignored)", 0xf8, 0, 0, 0, 0, 0, Effect.UNTOUCHED),
                row("NEEDS_CSUM", NEEDS, 0, 0, 20, 16, 0, Effect.CHECKSUM_FINISHED),
                row("NEEDS_CSUM and every flag", 0xff, 0, 0, 20, 16, 0, Effect.CHECKSUM_FINISHED),
                row("NEEDS_CSUM, gso_size and hdr_len set (ignored)", NEEDS, 0, 0xffff, 20, 16, 0, Effect.CHECKSUM_FINISHED),
                row("csum field the last two bytes", NEEDS, 0, 0, len - 2, 0, 0, Effect.WRITTEN_ELSEWHERE),
                row("csum field one byte past the end", NEEDS, 0, 0, len - 1, 0, MAL, Effect.UNTOUCHED),
                row("csum_start at the end", NEEDS, 0, 0, len, 0, MAL, Effect.UNTOUCHED),
                row("csum_start 0xffff", NEEDS, 0, 0, 0xffff, 0, MAL, Effect.UNTOUCHED),
                row("csum_offset past the end", NEEDS, 0, 0, 20, len - 21, MAL, Effect.UNTOUCHED),
                row("csum_offset 0xffff", NEEDS, 0, 0, 20, 0xffff, MAL, Effect.UNTOUCHED),
                row("both 0xffff", NEEDS, 0, 0, 0xffff, 0xffff, MAL, Effect.UNTOUCHED),
                row("csum_start 0 (the IP header)", NEEDS, 0, 0, 0, 10, 0, Effect.WRITTEN_ELSEWHERE),
                row("TCPV4: the segmenter finishes checksums", NEEDS, VirtioNetHeader.GSO_TCPV4, 1000, 0xffff, 0xffff,
                        VirtioNetHeader.GSO_TCPV4, Effect.UNTOUCHED),
                row("TCPV4 and ECN", 0, 0x81, 1000, 0, 0, 0x81, Effect.UNTOUCHED),
                row("ECN alone: not GSO", 0, 0x80, 0, 0, 0, 0x80, Effect.UNTOUCHED),
                row("ECN alone with NEEDS_CSUM", NEEDS, 0x80, 0, 20, 16, 0x80, Effect.CHECKSUM_FINISHED),
                row("unknown GSO type (the segmenter refuses it)", 0, 0x7f, 1000, 0, 0, 0x7f, Effect.UNTOUCHED),
                row("UFO (the segmenter refuses it)", 0, VirtioNetHeader.GSO_UDP, 1000, 0, 0, VirtioNetHeader.GSO_UDP, Effect.UNTOUCHED));
    }

    private static Arguments row(String name, int flags, int gsoType, int gsoSize, int csumStart, int csumOffset, int expected,
            Effect effect) {
        return Arguments.of(name, new VirtioNetHeader(flags, gsoType, 0x3c, gsoSize, csumStart, csumOffset), expected, effect);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void consumeHeader(String name, VirtioNetHeader h, int expected, Effect effect) {
        byte[] ip = packet().build();
        ByteBuffer b = ByteBuffer.allocateDirect(3 + VirtioNetHeader.SIZE + ip.length);
        b.position(3);
        h.encode(b);
        b.put(ip).flip().position(3);
        assertEquals(expected, GsoSegmenter.consumeHeader(b), name);
        if (expected == MAL) {
            b.position(3 + VirtioNetHeader.SIZE); // where it stands is unspecified then
        }
        assertEquals(3 + VirtioNetHeader.SIZE, b.position());
        byte[] after = Offload.bytes(b);
        switch (effect) {
            case UNTOUCHED -> assertArrayEquals(ip, after);
            case CHECKSUM_FINISHED -> {
                assertArrayEquals(packet().with(p -> p.partialChecksum = false).build(), after);
                assertTrue(GsoSegmenter.tcpChecksumValid(b));
            }
            case WRITTEN_ELSEWHERE -> {
                assertFalse(Arrays.equals(ip, after), "the sum is stored where the header says");
                int at = h.csumStart() + h.csumOffset();
                byte[] rest = after.clone();
                rest[at] = ip[at];
                rest[at + 1] = ip[at + 1];
                assertArrayEquals(ip, rest, "nothing but the two bytes at csum_start + csum_offset");
            }
        }
        if (expected != MAL) {
            assertEquals((expected & 0x7f) != 0, GsoSegmenter.isGso(expected));
        }
    }

    /** A header cut short moves nothing and writes nothing. */
    @Test
    void truncatedHeaders() {
        byte[] full = new byte[VirtioNetHeader.SIZE];
        new VirtioNetHeader(NEEDS, 0, 0, 0, 0, 0).encode(ByteBuffer.wrap(full));
        for (int n = 0; n < VirtioNetHeader.SIZE; n++) {
            ByteBuffer b = ByteBuffer.wrap(Arrays.copyOf(full, n));
            assertEquals(MAL, GsoSegmenter.consumeHeader(b), n + " bytes");
            assertEquals(0, b.position());
            assertArrayEquals(Arrays.copyOf(full, n), b.array());
        }
        ByteBuffer alone = ByteBuffer.wrap(new byte[VirtioNetHeader.SIZE]);
        assertEquals(0, GsoSegmenter.consumeHeader(alone), "a header and no packet");
        assertEquals(VirtioNetHeader.SIZE, alone.position());
    }

    /**
     * {@link VirtioNetHeader#decode} over every flags and gso_type byte, gso_size 0 and 1: Ok
     * exactly when the flags are known, the type is known, and a GSO type has a size.
     */
    @Test
    void decodeOverEveryFlagAndType() {
        byte[] w = new byte[VirtioNetHeader.SIZE];
        int ok = 0;
        for (int flags = 0; flags < 256; flags++) {
            for (int type = 0; type < 256; type++) {
                for (int size = 0; size < 2; size++) {
                    w[0] = (byte) flags;
                    w[1] = (byte) type;
                    w[4] = (byte) size;
                    VirtioNetHeader.Decoded d = VirtioNetHeader.decode(ByteBuffer.wrap(w));
                    int t = type & 0x7f;
                    boolean knownType = t == 0 || t == 1 || t == 3 || t == 4 || t == 5;
                    boolean valid = (flags & ~7) == 0 && knownType && (t == 0 || size > 0);
                    assertEquals(valid, d instanceof VirtioNetHeader.Ok, flags + "/" + type + "/" + size);
                    if (valid) {
                        ok++;
                        assertEquals(new VirtioNetHeader(flags, type, 0, size, 0, 0), ((VirtioNetHeader.Ok) d).header());
                    }
                }
            }
        }
        assertEquals(8 * (2 + 10), ok); // known flag sets x (NONE/ECN at size 0, 5 types x ECN at size 1)
    }

    /**
     * Random bytes, and valid packets with random bytes changed, cut or extended, through every
     * entry point: nothing throws; what the segmenter accepts it cuts into packets whose lengths
     * and checksums hold.
     */
    @Test
    void nothingThrowsOnRandomInput() {
        Random r = new Random(9293);
        ByteBuffer in = ByteBuffer.allocateDirect(70_000);
        ByteBuffer[] out = Offload.buffers(64, 2_000);
        TcpCoalescer c = new TcpCoalescer();
        int accepted = 0;
        for (int k = 0; k < 20_000; k++) {
            byte[] b = mutated(r);
            int l2 = r.nextInt(10) == 0 ? r.nextInt(20) : 0;
            in.clear().put(b).flip();
            int type = r.nextInt(4) == 0 ? r.nextInt(256) : new int[] {1, 4, 5, 0x81, 0x84}[r.nextInt(5)];
            int size = r.nextInt(5) == 0 ? r.nextInt(65536) - 1 : 1 + r.nextInt(1500);
            for (ByteBuffer o : out) {
                o.clear().position(Offload.HEADROOM);
            }
            int n = GsoSegmenter.segment(in, l2, type, size, out);
            assertTrue(n == MAL || n == GsoSegmenter.TOO_MANY_SEGMENTS || n > 0 && n <= 64);
            assertEquals(0, in.position());
            for (int i = 0; i < n; i++) {
                byte[] s = Offload.bytes(out[i]);
                byte[] ip = Arrays.copyOfRange(s, l2, s.length);
                assertTrue(!Pkt.isV4(ip) || Pkt.ipv4HeaderValid(ip), "IPv4 header checksum");
                assertTrue(Pkt.l4ChecksumValid(ip), "L4 checksum");
                accepted++;
            }
            int h = GsoSegmenter.headerLength(in, type);
            assertTrue(h == -1 || h >= 28 && h <= b.length, "header length " + h + " of " + b.length);
            GsoSegmenter.tcpChecksumValid(in);
            GsoSegmenter.completeChecksum(in.duplicate(), r.nextInt(70_000), r.nextInt(70_000));
            GsoSegmenter.consumeHeader(in.duplicate());
            if (!c.offer(in, l2)) {
                c.flush();
                c.offer(in, l2);
            }
            assertEquals(0, in.position());
            if (r.nextInt(10) == 0) {
                c.flush();
            }
        }
        assertTrue(accepted > 1000, "accepted " + accepted);
    }

    private static byte[] mutated(Random r) {
        int kind = r.nextInt(10);
        if (kind == 0) {
            byte[] b = new byte[r.nextInt(120)];
            r.nextBytes(b);
            return b;
        }
        Pkt p = r.nextBoolean() ? new Pkt() : Pkt.v6();
        p.proto = r.nextBoolean() ? 6 : 17;
        p.payload = new byte[r.nextInt(4000)];
        p.id = r.nextInt(65536);
        byte[] b = p.build();
        if (kind < 4) {
            return Arrays.copyOf(b, r.nextInt(b.length + 1) + (r.nextInt(5) == 0 ? r.nextInt(100) : 0));
        }
        for (int i = r.nextInt(4); i >= 0 && kind < 9; i--) {
            b[r.nextInt(Math.min(b.length, 80))] = (byte) r.nextInt(256);
        }
        return b;
    }
}
