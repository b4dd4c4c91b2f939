package io.warren.tun.offload;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link GsoSegmenter#tcpChecksumValid} against the reference packets of {@link GsoSegmenterTest},
 * on direct and heap buffers at an offset (behind a link-layer header), and broken ones.
 */
class TcpChecksumValidTest {
    @ParameterizedTest
    @CsvSource({"4, 0, 1000", "6, 0, 1361", "4, 14, 1", "6, 18, 700", "4, 18, 4000"})
    void acceptsRightChecksumsAndNothingElse(int version, int l2, int length) {
        Random r = new Random(version * 7 + length);
        GsoSegmenterTest.Reference ref = new GsoSegmenterTest.Reference(version, 6, r);
        byte[] payload = new byte[length];
        r.nextBytes(payload);
        byte[] ip = ref.packet(payload, 0, length, 0, 0x18, false);
        int at = 3 + l2;
        byte[] frame = new byte[at + ip.length];
        System.arraycopy(ip, 0, frame, at, ip.length);
        ByteBuffer b = ByteBuffer.allocateDirect(frame.length).put(frame).flip().position(at);
        assertTrue(GsoSegmenter.tcpChecksumValid(b));
        assertTrue(GsoSegmenter.tcpChecksumValid(ByteBuffer.wrap(frame).position(at)), "heap");

        byte[] flipped = frame.clone();
        flipped[flipped.length - 1] ^= 0x40;
        assertFalse(GsoSegmenter.tcpChecksumValid(ByteBuffer.wrap(flipped).position(at)), "payload bit flipped");
        byte[] truncated = Arrays.copyOf(frame, frame.length - 1);
        assertFalse(GsoSegmenter.tcpChecksumValid(ByteBuffer.wrap(truncated).position(at)), "length field disagrees");
        assertFalse(GsoSegmenter.tcpChecksumValid(ByteBuffer.wrap(frame, 0, at + 39).position(at)), "runt");
        byte[] partial = ref.packet(payload, 0, length, 0, 0x18, true);
        assertFalse(GsoSegmenter.tcpChecksumValid(ByteBuffer.wrap(partial)), "an unfinished checksum");
        GsoSegmenterTest.Reference udp = new GsoSegmenterTest.Reference(version, 17, r);
        assertFalse(GsoSegmenter.tcpChecksumValid(ByteBuffer.wrap(udp.packet(payload, 0, length, 0, 0, false))), "UDP");
    }
}
