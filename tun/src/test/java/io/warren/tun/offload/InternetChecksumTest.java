package io.warren.tun.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sum over direct memory (machine byte order) against a slow 16-bit reference loop. */
class InternetChecksumTest {
    @Test
    void directAndHeapSumsMatchTheReference() {
        Random r = new Random(1071);
        byte[] data = new byte[9000];
        r.nextBytes(data);
        ByteBuffer heap = ByteBuffer.wrap(data);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
        ByteBuffer directLe = ByteBuffer.allocateDirect(data.length).order(ByteOrder.LITTLE_ENDIAN).put(data).flip();
        for (int n = 0; n < 3000; n++) {
            int from = r.nextInt(500);
            int length = n < 200 ? n : r.nextInt(data.length - from);
            long initial = r.nextInt(1 << 20);
            int want = reference(data, from, length, initial);
            assertEquals(want, InternetChecksum.fold(InternetChecksum.add(initial, heap, from, length)), "heap " + from + "+" + length);
            assertEquals(want, InternetChecksum.fold(InternetChecksum.add(initial, direct, from, length)), "direct " + from + "+" + length);
            assertEquals(want, InternetChecksum.fold(InternetChecksum.add(initial, directLe, from, length)), "direct LE " + from + "+" + length);
        }
        byte[] ones = new byte[65_535];
        java.util.Arrays.fill(ones, (byte) 0xff);
        ByteBuffer full = ByteBuffer.allocateDirect(ones.length).put(ones).flip();
        assertEquals(reference(ones, 0, ones.length, 0xffff_ffffL), InternetChecksum.fold(InternetChecksum.add(0xffff_ffffL, full, 0, ones.length)));
    }

    private static int reference(byte[] b, int from, int length, long initial) {
        long s = initial;
        for (int i = 0; i < length; i += 2) {
            s += (b[from + i] & 0xff) << 8 | (i + 1 < length ? b[from + i + 1] & 0xff : 0);
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }
}
