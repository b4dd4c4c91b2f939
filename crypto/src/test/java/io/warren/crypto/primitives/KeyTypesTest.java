package io.warren.crypto.primitives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Key value types: wg(8) base64 format, derivation, equality, and no key material in strings. */
class KeyTypesTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] ALICE = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");

    @Test
    void base64RoundTripAndPublicKeyDerivation() {
        NoisePrivateKey priv = NoisePrivateKey.fromBase64(Base64.getEncoder().encodeToString(ALICE));
        assertEquals(Base64.getEncoder().encodeToString(ALICE), priv.toBase64());
        assertEquals(44, priv.toBase64().length());
        NoisePublicKey pub = priv.publicKey();
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", HEX.formatHex(pub.bytes()));
        assertEquals(pub, NoisePublicKey.fromBase64(pub.toBase64()));
        assertEquals(pub.hashCode(), NoisePublicKey.fromBytes(pub.bytes()).hashCode());
        PresharedKey psk = PresharedKey.generate(new SecureRandom());
        assertEquals(psk, PresharedKey.fromBase64(psk.toBase64()));
    }

    @Test
    void toStringNeverShowsKeyMaterial() {
        NoisePrivateKey priv = NoisePrivateKey.fromBytes(ALICE);
        String b64 = priv.toBase64();
        assertFalse(priv.toString().contains(b64.substring(0, 8)));
        assertFalse(priv.toString().toLowerCase().contains("77076d0a"));
        NoisePublicKey pub = priv.publicKey();
        assertFalse(pub.toString().contains(pub.toBase64().substring(0, 6)));
        assertFalse(pub.toString().contains("8520f009"));
        PresharedKey psk = PresharedKey.fromBytes(ALICE);
        assertEquals("PresharedKey[redacted]", psk.toString());
        assertEquals("PresharedKey[none]", PresharedKey.NONE.toString());
        assertTrue(PresharedKey.NONE.isNone());
        assertFalse(psk.isNone());
    }

    @Test
    void malformedInputIsRejectedWithoutEchoingIt() {
        String secretish = "SECRETSECRETSECRETSECRETSECRETSECRETSECRE==";
        for (String bad : new String[] {null, "", "AAAA", secretish, "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!=",
                Base64.getEncoder().encodeToString(new byte[33])}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NoisePublicKey.fromBase64(bad));
            assertFalse(e.getMessage().contains("SECRET"));
            assertThrows(IllegalArgumentException.class, () -> NoisePrivateKey.fromBase64(bad));
            assertThrows(IllegalArgumentException.class, () -> PresharedKey.fromBase64(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> NoisePublicKey.fromBytes(new byte[31]));
    }

    @Test
    void equalityIsByValue() {
        byte[] other = ALICE.clone();
        other[31] ^= 1;
        assertEquals(NoisePrivateKey.fromBytes(ALICE), NoisePrivateKey.fromBytes(ALICE.clone()));
        assertNotEquals(NoisePrivateKey.fromBytes(ALICE), NoisePrivateKey.fromBytes(other));
        assertNotEquals(NoisePublicKey.fromBytes(ALICE), NoisePublicKey.fromBytes(other));
        assertNotEquals(PresharedKey.fromBytes(ALICE), PresharedKey.NONE);
        assertTrue(ConstantTime.equals(ALICE, ALICE.clone()));
        assertFalse(ConstantTime.equals(ALICE, other));
        assertFalse(ConstantTime.equals(ALICE, new byte[3]));
    }
}
