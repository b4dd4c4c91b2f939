package io.warren.gateway.libcrypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.primitives.Rfc8439Vector;
import io.warren.crypto.session.AeadImplementation;
import io.warren.crypto.session.TransportAead;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenSSL's ChaCha20-Poly1305 through jnr-ffi against RFC 8439 §2.8.2, against BouncyCastle with
 * the WireGuard counter nonce (whitepaper §5.4.6), and under forged tags and flipped bits. libssl3
 * is a dependency of the package, so its absence here is a failure, not a skip.
 */
class LibcryptoTransportAeadTest {
    private static final byte[] KEY = Rfc8439Vector.key();
    private static final byte[] NONCE = Rfc8439Vector.nonce();
    private static final byte[] AAD = Rfc8439Vector.aad();
    private static final byte[] PLAINTEXT = Rfc8439Vector.plaintext();
    private static final byte[] CIPHERTEXT_AND_TAG = Rfc8439Vector.ciphertextAndTag();

    private static LibcryptoAead openssl;

    @BeforeAll
    static void load() {
        Optional<LibcryptoAead> loaded = LibcryptoAead.load();
        assertTrue(loaded.isPresent(), "libcrypto: " + LibcryptoAead.unavailableReason());
        openssl = loaded.get();
    }

    private static ByteBuffer direct(byte[] content, int headroom, int tailroom) {
        ByteBuffer b = ByteBuffer.allocateDirect(headroom + content.length + tailroom);
        b.position(headroom).put(content);
        return b.limit(b.position()).position(headroom);
    }

    private static byte[] remaining(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void rfc8439Section282SealInPlaceDirectAndHeap() {
        TransportAead aead = openssl.create(KEY);
        ByteBuffer buf = direct(PLAINTEXT, 7, 16);
        aead.sealWith(NONCE, AAD, buf);
        assertEquals(7, buf.position());
        assertArrayEquals(CIPHERTEXT_AND_TAG, remaining(buf));
        ByteBuffer heap = ByteBuffer.allocate(5 + PLAINTEXT.length + 16).position(5).put(PLAINTEXT);
        heap.limit(heap.position()).position(5);
        aead.sealWith(NONCE, AAD, heap);
        assertArrayEquals(CIPHERTEXT_AND_TAG, remaining(heap));
        aead.destroy();
    }

    @Test
    void rfc8439Section282OpenInPlaceDirectAndHeap() {
        TransportAead aead = openssl.create(KEY);
        ByteBuffer direct = direct(CIPHERTEXT_AND_TAG, 3, 0);
        assertTrue(aead.openWith(NONCE, AAD, direct));
        assertEquals(3, direct.position());
        assertArrayEquals(PLAINTEXT, remaining(direct));
        ByteBuffer heap = ByteBuffer.wrap(CIPHERTEXT_AND_TAG.clone());
        assertTrue(aead.openWith(NONCE, AAD, heap));
        assertArrayEquals(PLAINTEXT, remaining(heap));
        aead.destroy();
    }

    @Test
    void forgedTagOrWrongAadFailsWithoutTouchingBuffer() {
        TransportAead aead = openssl.create(KEY);
        byte[] forged = CIPHERTEXT_AND_TAG.clone();
        forged[forged.length - 1] ^= 0x01;
        ByteBuffer buf = direct(forged, 0, 0);
        assertFalse(aead.openWith(NONCE, AAD, buf));
        assertArrayEquals(forged, remaining(buf));
        ByteBuffer heap = ByteBuffer.wrap(forged.clone());
        assertFalse(aead.openWith(NONCE, AAD, heap));
        assertArrayEquals(forged, remaining(heap));
        assertFalse(aead.openWith(NONCE, new byte[] {1}, direct(CIPHERTEXT_AND_TAG, 0, 0)));
        assertFalse(aead.open(5, direct(new byte[15], 0, 0)), "shorter than a tag");
        assertTrue(aead.openWith(NONCE, AAD, direct(CIPHERTEXT_AND_TAG, 0, 0)), "no state left broken");
        aead.destroy();
    }

    /** Every single-bit flip of a sealed WireGuard payload (ciphertext or tag) is refused, buffer untouched. */
    @Test
    void everyBitFlipIsRefused() {
        TransportAead sealer = openssl.create(KEY);
        TransportAead opener = openssl.create(KEY);
        byte[] payload = new byte[48];
        new Random(7).nextBytes(payload);
        ByteBuffer b = direct(payload, 16, 16);
        sealer.seal(9, b);
        byte[] sealed = remaining(b);
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] flipped = sealed.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            ByteBuffer f = direct(flipped, 16, 0);
            assertFalse(opener.open(9, f), "bit " + bit);
            assertArrayEquals(flipped, remaining(f), "bit " + bit);
        }
        assertFalse(opener.open(10, direct(sealed, 16, 0)), "another counter");
        ByteBuffer good = direct(sealed, 16, 0);
        assertTrue(opener.open(9, good));
        assertArrayEquals(payload, remaining(good));
    }

    @Test
    void interoperatesWithBouncyCastleAndJdkOnCounterNonces() {
        Random random = new Random(42);
        for (AeadImplementation java : AeadImplementation.values()) {
            TransportAead ours = openssl.create(KEY);
            TransportAead theirs = java.create(KEY);
            for (int size : new int[] {0, 1, 15, 16, 63, 64, 1420, 1440, 8000}) {
                long counter = random.nextLong() >>> 1;
                byte[] payload = new byte[size];
                random.nextBytes(payload);
                ByteBuffer a = direct(payload, 16, 16);
                ByteBuffer b = direct(payload, 16, 16);
                ours.seal(counter, a);
                theirs.seal(counter, b);
                assertArrayEquals(remaining(b), remaining(a), java + " size " + size);
                assertTrue(theirs.open(counter, a), java + " opens ours, size " + size);
                assertArrayEquals(payload, remaining(a));
                assertTrue(ours.open(counter, b), "ours opens " + java + "'s, size " + size);
                assertArrayEquals(payload, remaining(b));
            }
        }
    }

    @Test
    void sealWithoutTagRoomIsRefusedBeforeTouchingMemory() {
        TransportAead aead = openssl.create(KEY);
        ByteBuffer b = direct(PLAINTEXT, 0, 15);
        assertThrows(IllegalArgumentException.class, () -> aead.seal(1, b));
        aead.destroy();
        assertThrows(IllegalStateException.class, () -> aead.seal(2, direct(PLAINTEXT, 0, 16)));
        aead.destroy(); // idempotent
    }

    @Test
    void ruleTakesOpensslUnlessOverridden() {
        Optional<LibcryptoAead> loaded = Optional.of(openssl);
        assertSame(openssl, TransportAeadChoice.choose(null, loaded, AeadImplementation.BOUNCY_CASTLE));
        assertSame(openssl, TransportAeadChoice.choose("openssl", loaded, AeadImplementation.JDK));
        assertSame(AeadImplementation.JDK, TransportAeadChoice.choose("JDK", loaded, AeadImplementation.BOUNCY_CASTLE));
        assertSame(AeadImplementation.BOUNCY_CASTLE, TransportAeadChoice.choose("bouncy_castle", loaded, AeadImplementation.JDK));
        assertSame(AeadImplementation.BOUNCY_CASTLE, TransportAeadChoice.choose(null, Optional.empty(), AeadImplementation.BOUNCY_CASTLE));
        assertSame(AeadImplementation.JDK, TransportAeadChoice.choose("openssl", Optional.empty(), AeadImplementation.JDK));
    }

    /** No allocation per packet: the calls take raw addresses, the nonce is written into native memory. */
    @Test
    void sealAndOpenAllocateNothingPerPacket() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        TransportAead sealer = openssl.create(KEY);
        TransportAead opener = openssl.create(KEY);
        ByteBuffer buf = ByteBuffer.allocateDirect(1420 + 48);
        int packets = 20_000;
        long counter = 0;
        long perPacket = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < packets; i++) {
                buf.clear().position(16).limit(16 + 1420);
                sealer.seal(counter, buf);
                if (!opener.open(counter, buf)) {
                    throw new AssertionError("round trip failed");
                }
                counter++;
            }
            perPacket = Math.min(perPacket, (mx.getCurrentThreadAllocatedBytes() - before) / packets);
        }
        assertEquals(0, perPacket, "bytes allocated per seal+open");
    }
}
