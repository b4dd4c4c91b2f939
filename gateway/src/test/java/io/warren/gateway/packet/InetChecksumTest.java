package io.warren.gateway.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InetChecksumTest {

    private final Bufs bufs = new Bufs();

    @AfterEach
    void release() {
        bufs.close();
    }

    @Test
    void rfc1071NumericalExample() {
        // RFC 1071 §3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (one's complement), checksum 220d.
        ByteBuf buf = bufs.hex("0001f203f4f5f6f7");
        assertEquals(0xddf2, InetChecksum.fold(InetChecksum.sum(buf, 0, 8, 0)));
        assertEquals(0x220d, InetChecksum.compute(buf, 0, 8));
    }

    @Test
    void oddLengthPadsWithZero() {
        ByteBuf odd = bufs.hex("0001f203f4f5f6");
        ByteBuf padded = bufs.hex("0001f203f4f5f600");
        assertEquals(InetChecksum.compute(padded, 0, 8), InetChecksum.compute(odd, 0, 7));
    }

    @Test
    void validHeaderVerifiesToZero() {
        ByteBuf buf = bufs.hex(Fixtures.V4_SYN);
        assertEquals(0, InetChecksum.compute(buf, 0, 20));
    }

    @Test
    void incrementalUpdateMatchesRecompute() {
        SplittableRandom random = new SplittableRandom(0x5eed);
        for (int round = 0; round < 2000; round++) {
            byte[] data = new byte[2 + 2 * random.nextInt(1, 40)];
            random.nextBytes(data);
            ByteBuf buf = bufs.bytes(data, 0);
            buf.setShort(0, 0);
            int checksum = InetChecksum.compute(buf, 0, data.length);
            buf.setShort(0, checksum);
            int word = 2 + 2 * random.nextInt((data.length - 2) / 2);
            int oldWord = buf.getUnsignedShort(word);
            int newWord = random.nextInt(0x10000);
            buf.setShort(word, newWord);
            int updated = InetChecksum.update16(checksum, oldWord, newWord);
            buf.setShort(0, updated);
            assertEquals(0, InetChecksum.compute(buf, 0, data.length), "round " + round);
        }
    }

    @Test
    void update32IsTwoWordUpdates() {
        ByteBuf buf = bufs.hex("0000 0a000001 0b000002");
        int checksum = InetChecksum.compute(buf, 0, 10);
        buf.setShort(0, checksum);
        buf.setInt(2, 0xc0a80101);
        buf.setShort(0, InetChecksum.update32(checksum, 0x0a000001, 0xc0a80101));
        assertEquals(0, InetChecksum.compute(buf, 0, 10));
    }
}
