package io.warren.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.warren.tun.udp.UdpSource;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GroSplitterTest {
    private static final UdpSource FROM = UdpSource.of(new InetSocketAddress("192.0.2.7", 51820));

    /** What the sink saw: offset into the backing buffer, length, first byte. */
    private record Seen(int offset, int length, int first) {
    }

    private static List<Seen> split(ByteBuffer run, int segmentSize, int[] result) {
        List<Seen> seen = new ArrayList<>();
        result[0] = GroSplitter.split(run, segmentSize, FROM, (d, s) -> {
            assertSame(FROM, s);
            seen.add(new Seen(d.position(), d.remaining(), d.remaining() > 0 ? d.get(d.position()) & 0xff : -1));
            // The per-datagram path decrypts in place and moves position and limit: harmless.
            d.position(d.limit());
        });
        return seen;
    }

    /** A run of {@code count} datagrams (the last {@code last} bytes long) at offset 10 of a larger buffer. */
    private static ByteBuffer run(int segmentSize, int count, int last) {
        int length = segmentSize * (count - 1) + last;
        ByteBuffer b = ByteBuffer.allocateDirect(10 + length + 7);
        for (int i = 0; i < count; i++) {
            b.put(10 + i * segmentSize, (byte) (i + 1));
        }
        return b.limit(10 + length).position(10);
    }

    @ParameterizedTest(name = "length {0}, segment {1} -> {2}")
    @CsvSource({
        "0, 1400, 0",
        "1, 1400, 1",
        "1400, 1400, 1",
        "1401, 1400, 2",
        "64400, 1400, 46",
        "64401, 1400, 47",
        "100, 65535, 1",
        "100, 0, -1",
        "100, -5, -1",
    })
    void segments(int length, int segmentSize, int expected) {
        assertEquals(expected, GroSplitter.segments(length, segmentSize));
    }

    @Test
    void equalSegmentsAreHandedOnInOrderWithoutCopying() {
        ByteBuffer b = run(1452, 4, 1452);
        int[] n = new int[1];
        List<Seen> seen = split(b, 1452, n);
        assertEquals(4, n[0]);
        assertEquals(List.of(new Seen(10, 1452, 1), new Seen(10 + 1452, 1452, 2),
                new Seen(10 + 2 * 1452, 1452, 3), new Seen(10 + 3 * 1452, 1452, 4)), seen);
        assertEquals(10, b.position(), "position restored");
        assertEquals(10 + 4 * 1452, b.limit(), "limit restored");
    }

    @Test
    void aShortFinalSegmentKeepsItsLength() {
        ByteBuffer b = run(1452, 3, 96);
        int[] n = new int[1];
        List<Seen> seen = split(b, 1452, n);
        assertEquals(3, n[0]);
        assertEquals(new Seen(10 + 2 * 1452, 96, 3), seen.get(2));
    }

    @Test
    void aPlainDatagramIsOneSegment() {
        ByteBuffer b = run(148, 1, 148);
        int[] n = new int[1];
        assertEquals(List.of(new Seen(10, 148, 1)), split(b, 148, n));
        assertEquals(1, n[0]);
    }

    @Test
    void aSegmentSizeLargerThanTheBufferIsOneDatagram() {
        ByteBuffer b = run(500, 1, 500);
        int[] n = new int[1];
        assertEquals(List.of(new Seen(10, 500, 1)), split(b, 65_535, n));
        assertEquals(1, n[0]);
    }

    @Test
    void aSegmentSizeOfZeroOrLessHandsNothingOn() {
        ByteBuffer b = run(500, 2, 500);
        int[] n = new int[1];
        assertEquals(List.of(), split(b, 0, n));
        assertEquals(GroSplitter.MALFORMED, n[0]);
        assertEquals(List.of(), split(b, -1452, n));
        assertEquals(GroSplitter.MALFORMED, n[0]);
        assertEquals(10, b.position());
        assertEquals(1010, b.limit());
    }

    @Test
    void anEmptyRunHandsNothingOn() {
        ByteBuffer b = ByteBuffer.allocate(16).limit(4).position(4);
        int[] n = new int[1];
        assertEquals(List.of(), split(b, 1452, n));
        assertEquals(0, n[0]);
    }

    @Test
    void aSinkThatShrinksTheBufferDoesNotDisturbTheNextSegment() {
        ByteBuffer b = run(100, 3, 100);
        List<Seen> seen = new ArrayList<>();
        GroSplitter.split(b, 100, FROM, (d, s) -> {
            seen.add(new Seen(d.position(), d.remaining(), d.get(d.position())));
            d.limit(d.position()); // e.g. a drop that leaves an empty view
            d.position(0);
        });
        assertEquals(List.of(new Seen(10, 100, 1), new Seen(110, 100, 2), new Seen(210, 100, 3)), seen);
    }
}
