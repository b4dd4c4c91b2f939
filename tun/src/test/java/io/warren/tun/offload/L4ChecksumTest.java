package io.warren.tun.offload;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TCP checksums checked against the reference packets of {@link GsoSegmenterTest}, and broken ones. */
class L4ChecksumTest {
    @ParameterizedTest
    @CsvSource({"4, 0, 1000", "6, 0, 1361", "4, 14, 1", "6, 18, 700"})
    void acceptsRightChecksumsAndNothingElse(int version, int l2, int length) {
        Random r = new Random(version * 7 + length);
        GsoSegmenterTest.Reference ref = new GsoSegmenterTest.Reference(version, 6, r);
        byte[] payload = new byte[length];
        r.nextBytes(payload);
        byte[] ip = ref.packet(payload, 0, length, 0, 0x18, false);
        byte[] frame = new byte[3 + l2 + ip.length];
        System.arraycopy(ip, 0, frame, 3 + l2, ip.length);
        ByteBuffer b = ByteBuffer.allocateDirect(frame.length).put(frame).flip().position(3);
        assertTrue(L4Checksum.tcpValid(b, l2));

        byte[] flipped = frame.clone();
        flipped[flipped.length - 1] ^= 0x40;
        assertFalse(L4Checksum.tcpValid(ByteBuffer.wrap(flipped).position(3), l2), "payload bit flipped");
        byte[] truncated = Arrays.copyOf(frame, frame.length - 1);
        assertFalse(L4Checksum.tcpValid(ByteBuffer.wrap(truncated).position(3), l2), "length field disagrees");
        assertFalse(L4Checksum.tcpValid(ByteBuffer.wrap(frame, 0, 3 + l2 + 19).position(3), l2), "runt");
        assertFalse(L4Checksum.tcpValid(ByteBuffer.wrap(frame).position(3), -1));
        byte[] partial = ref.packet(payload, 0, length, 0, 0x18, true);
        assertFalse(L4Checksum.tcpValid(ByteBuffer.wrap(partial), 0), "an unfinished checksum");
        GsoSegmenterTest.Reference udp = new GsoSegmenterTest.Reference(version, 17, r);
        assertFalse(L4Checksum.tcpValid(ByteBuffer.wrap(udp.packet(payload, 0, length, 0, 0, false)), 0), "UDP");
    }
}
