package io.warren.crypto.primitives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** ChaCha20-Poly1305 (RFC 8439 §2.8.2) and XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03 §A.3.1). */
class AeadTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = Rfc8439Vector.key();
    private static final byte[] AAD = Rfc8439Vector.aad();
    private static final byte[] SUNSCREEN = Rfc8439Vector.plaintext();

    @Test
    void chaCha20Poly1305MatchesRfc8439Section282() {
        byte[] sealed = Aead.sealWithNonce(KEY, Rfc8439Vector.nonce(), SUNSCREEN, AAD);
        assertEquals(HEX.formatHex(Rfc8439Vector.ciphertextAndTag()), HEX.formatHex(sealed));
    }

    @Test
    void wireGuardNonceIsFourZeroBytesThenLittleEndianCounter() {
        assertEquals("000000000001020304050607", HEX.formatHex(Aead.nonce(0x0706050403020100L)));
        byte[] viaCounter = Aead.seal(KEY, 0x0706050403020100L, SUNSCREEN, AAD);
        assertArrayEquals(Aead.sealWithNonce(KEY, HEX.parseHex("000000000001020304050607"), SUNSCREEN, AAD), viaCounter);
    }

    @Test
    void openRoundTripsAndRejectsEveryFlippedBitAndTruncation() {
        byte[] sealed = Aead.seal(KEY, 42, SUNSCREEN, AAD);
        assertArrayEquals(SUNSCREEN, Aead.open(KEY, 42, sealed, AAD));
        assertNull(Aead.open(KEY, 43, sealed, AAD), "wrong counter");
        assertNull(Aead.open(KEY, 42, sealed, new byte[] {1}), "wrong aad");
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] forged = sealed.clone();
            forged[bit / 8] ^= (byte) (1 << (bit % 8));
            assertNull(Aead.open(KEY, 42, forged, AAD), "bit " + bit);
        }
        for (int len = 0; len < sealed.length; len++) {
            assertNull(Aead.open(KEY, 42, java.util.Arrays.copyOf(sealed, len), AAD), "length " + len);
        }
    }

    @Test
    void instanceReusesCipherAcrossKeysAndCounters() {
        Aead aead = new Aead();
        byte[] out = new byte[SUNSCREEN.length + 16];
        byte[] back = new byte[SUNSCREEN.length];
        for (long counter = 1; counter < 5; counter++) {
            assertEquals(out.length, aead.seal(KEY, counter, SUNSCREEN, 0, SUNSCREEN.length, AAD, out, 0));
            assertArrayEquals(Aead.seal(KEY, counter, SUNSCREEN, AAD), out);
            assertTrue(aead.open(KEY, counter, out, 0, out.length, AAD, back, 0));
            assertArrayEquals(SUNSCREEN, back);
            out[3] ^= 1;
            assertFalse(aead.open(KEY, counter, out, 0, out.length, AAD, back, 0));
        }
        assertFalse(aead.open(KEY, 1, new byte[15], 0, 15, AAD, back, 0));
    }

    @Test
    void xChaCha20Poly1305MatchesDraftVector() {
        byte[] nonce = HEX.parseHex("404142434445464748494a4b4c4d4e4f5051525354555657");
        byte[] sealed = XAead.seal(KEY, nonce, SUNSCREEN, AAD);
        assertEquals("bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39"
                + "ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
                + "21f9664c97637da9768812f615c68b13b52e" + "c0875924c1c7987947deafd8780acf49", HEX.formatHex(sealed));
        assertArrayEquals(SUNSCREEN, XAead.open(KEY, nonce, sealed, AAD));
        sealed[0] ^= 1;
        assertNull(XAead.open(KEY, nonce, sealed, AAD));
        assertNull(XAead.open(KEY, nonce, new byte[15], AAD));
        assertNull(XAead.open(KEY, new byte[12], new byte[32], AAD));
    }
}
