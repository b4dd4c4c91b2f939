package io.warren.crypto.primitives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 7748 §5.2 and §6.1 known answers, and the all-zero shared secret rejection. */
class X25519Test {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void scalarMultMatchesRfc7748Section52() {
        assertEquals("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
                HEX.formatHex(X25519.scalarMult(
                        HEX.parseHex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                        HEX.parseHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))));
        assertEquals("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
                HEX.formatHex(X25519.scalarMult(
                        HEX.parseHex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
                        HEX.parseHex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"))));
    }

    @Test
    void diffieHellmanMatchesRfc7748Section61() {
        byte[] alicePriv = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPriv = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        byte[] alicePub = X25519.publicKey(alicePriv);
        byte[] bobPub = X25519.publicKey(bobPriv);
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", HEX.formatHex(alicePub));
        assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", HEX.formatHex(bobPub));
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[32];
        assertTrue(X25519.agree(alicePriv, bobPub, k1));
        assertTrue(X25519.agree(bobPriv, alicePub, k2));
        assertEquals("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", HEX.formatHex(k1));
        assertArrayEquals(k1, k2);
    }

    @Test
    void lowOrderPointsGiveZeroAndAreRejected() {
        byte[] priv = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] out = new byte[32];
        assertFalse(X25519.agree(priv, new byte[32], out), "u = 0");
        byte[] one = new byte[32];
        one[0] = 1;
        assertFalse(X25519.agree(priv, one, out), "u = 1");
        // A point of order 8 (listed among the low-order points in the Curve25519 literature).
        assertFalse(X25519.agree(priv,
                HEX.parseHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"), out));
        assertTrue(ConstantTime.isZero(out));
    }

    @Test
    void generatedKeysAreClamped() {
        SecureRandom rnd = new SecureRandom(new byte[] {1});
        for (int i = 0; i < 20; i++) {
            byte[] k = X25519.generatePrivateKey(rnd);
            assertEquals(0, k[0] & 7);
            assertEquals(0x40, k[31] & 0xc0);
        }
    }

    @Test
    void lowOrderPointsAreRecognisedInEveryEncoding() {
        for (String hex : LowOrderPoints.HEX) {
            for (int high = 0; high < 2; high++) {
                byte[] point = HexFormat.of().parseHex(hex);
                point[31] |= (byte) (high << 7);
                assertTrue(X25519.isLowOrder(point), hex);
            }
        }
        SecureRandom rnd = new SecureRandom();
        for (int i = 0; i < 200; i++) {
            assertFalse(X25519.isLowOrder(X25519.publicKey(X25519.generatePrivateKey(rnd))));
        }
    }
}
