package io.warren.crypto.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.primitives.Rfc8439Vector;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Both ChaCha20-Poly1305 implementations against RFC 8439 §2.8.2 and the WireGuard nonce layout. */
class TransportAeadTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = Rfc8439Vector.key();
    private static final byte[] NONCE = Rfc8439Vector.nonce();
    private static final byte[] AAD = Rfc8439Vector.aad();
    private static final byte[] PLAINTEXT = Rfc8439Vector.plaintext();
    private static final byte[] CIPHERTEXT_AND_TAG = Rfc8439Vector.ciphertextAndTag();

    private static ByteBuffer direct(byte[] content, int headroom, int tailroom) {
        ByteBuffer b = ByteBuffer.allocateDirect(headroom + content.length + tailroom);
        b.position(headroom);
        b.put(content);
        b.limit(b.position()).position(headroom);
        return b;
    }

    private static byte[] remaining(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @ParameterizedTest
    @EnumSource(AeadImplementation.class)
    void rfc8439Section282SealInPlace(AeadImplementation impl) {
        TransportAead aead = TransportAead.create(impl, KEY);
        ByteBuffer buf = direct(PLAINTEXT, 7, 16);
        aead.sealWith(NONCE, AAD, buf);
        assertEquals(7, buf.position());
        assertArrayEquals(CIPHERTEXT_AND_TAG, remaining(buf));
    }

    @ParameterizedTest
    @EnumSource(AeadImplementation.class)
    void rfc8439Section282OpenInPlaceDirectAndHeap(AeadImplementation impl) {
        TransportAead aead = TransportAead.create(impl, KEY);
        ByteBuffer direct = direct(CIPHERTEXT_AND_TAG, 3, 0);
        assertTrue(aead.openWith(NONCE, AAD, direct));
        assertArrayEquals(PLAINTEXT, remaining(direct));
        ByteBuffer heap = ByteBuffer.wrap(CIPHERTEXT_AND_TAG.clone());
        assertTrue(aead.openWith(NONCE, AAD, heap));
        assertArrayEquals(PLAINTEXT, remaining(heap));
    }

    @ParameterizedTest
    @EnumSource(AeadImplementation.class)
    void forgedTagOrWrongAadFailsWithoutTouchingBuffer(AeadImplementation impl) {
        TransportAead aead = TransportAead.create(impl, KEY);
        byte[] forged = CIPHERTEXT_AND_TAG.clone();
        forged[forged.length - 1] ^= 0x01;
        ByteBuffer buf = direct(forged, 0, 0);
        assertFalse(aead.openWith(NONCE, AAD, buf));
        assertArrayEquals(forged, remaining(buf));
        assertFalse(aead.openWith(NONCE, new byte[] {1}, direct(CIPHERTEXT_AND_TAG, 0, 0)));
        assertFalse(aead.open(5, direct(new byte[15], 0, 0)), "shorter than a tag");
        // and a good packet still opens afterwards: no state left broken by the failures
        assertTrue(aead.openWith(NONCE, AAD, direct(CIPHERTEXT_AND_TAG, 0, 0)));
    }

    @Test
    void implementationsInteroperateWithCounterNonce() {
        TransportAead jdk = TransportAead.create(AeadImplementation.JDK, KEY);
        TransportAead bc = TransportAead.create(AeadImplementation.BOUNCY_CASTLE, KEY);
        byte[] payload = new byte[1420];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7 + 3);
        }
        long counter = 0x0102_0304_0506_0708L;
        ByteBuffer a = direct(payload, 16, 16);
        ByteBuffer b = direct(payload, 16, 16);
        jdk.seal(counter, a);
        bc.seal(counter, b);
        assertArrayEquals(remaining(a), remaining(b));
        assertTrue(bc.open(counter, a));
        assertArrayEquals(payload, remaining(a));
        assertFalse(jdk.open(counter + 1, b), "nonce is the counter");
        assertTrue(jdk.open(counter, b));
        assertArrayEquals(payload, remaining(b));
    }

    @Test
    void nonceIsFourZeroBytesThenLittleEndianCounter() {
        long counter = 0x1122_3344_5566_7788L;
        byte[] nonce = HEX.parseHex("000000008877665544332211");
        TransportAead a = TransportAead.create(AeadImplementation.BOUNCY_CASTLE, KEY);
        TransportAead b = TransportAead.create(AeadImplementation.BOUNCY_CASTLE, KEY);
        ByteBuffer x = direct(PLAINTEXT, 0, 16);
        ByteBuffer y = direct(PLAINTEXT, 0, 16);
        a.seal(counter, x);
        b.sealWith(nonce, null, y);
        assertArrayEquals(remaining(x), remaining(y));
    }

    @Test
    void ruleChoosesJdkOnlyWithIntrinsics() {
        assertEquals(AeadImplementation.BOUNCY_CASTLE, AeadImplementation.forFeatureRelease(17));
        assertEquals(AeadImplementation.JDK, AeadImplementation.forFeatureRelease(20));
        assertEquals(AeadImplementation.JDK, AeadImplementation.forFeatureRelease(25));
    }

    /** Steady-state allocation per sealed+opened 1420-byte packet, by the thread allocation counter. */
    static long allocatedBytesPerPacket(AeadImplementation impl, int size) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        TransportAead sealer = TransportAead.create(impl, KEY);
        TransportAead opener = TransportAead.create(impl, KEY);
        ByteBuffer buf = ByteBuffer.allocateDirect(size + 32);
        long counter = 0;
        int packets = 20_000;
        long before = 0;
        for (int round = 0; round < 2; round++) {
            before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < packets; i++) {
                buf.clear().position(16).limit(16 + size);
                sealer.seal(counter, buf);
                if (!opener.open(counter, buf)) {
                    throw new AssertionError("round trip failed");
                }
                counter++;
            }
        }
        return (mx.getCurrentThreadAllocatedBytes() - before) / packets;
    }

    /**
     * The chosen path copies no packet bytes into fresh arrays: allocation per packet does not
     * grow with the packet size. What remains is allocated inside the providers' per-nonce
     * init, which their APIs give no way to avoid: BouncyCastle ~280 B per init (Poly1305 key
     * block, parameter objects), the JDK ~2.3 KB per init (key copy, fresh cipher state).
     */
    @Test
    void preferredImplementationAllocationDoesNotScaleWithPacketSize() {
        AeadImplementation preferred = AeadImplementation.preferred();
        long large = allocatedBytesPerPacket(preferred, 1420);
        long small = allocatedBytesPerPacket(preferred, 64);
        System.out.printf("allocation per seal+open: %s 1420 B -> %d B, 64 B -> %d B%n", preferred, large, small);
        // a copy of the packet would add >= 1356 B (1420 - 64); the slack absorbs JIT noise
        assertTrue(large - small < 512, "allocation grows with packet size: " + small + " -> " + large);
        long bound = preferred == AeadImplementation.BOUNCY_CASTLE ? 640 : 8192;
        assertTrue(large <= bound, preferred + " allocates " + large + " B per seal+open");
    }
}
