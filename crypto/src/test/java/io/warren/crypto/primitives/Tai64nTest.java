package io.warren.crypto.primitives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** TAI64N encoding (label 2^62 + 10 + seconds, nanoseconds with the low 24 bits cleared) and ordering. */
class Tai64nTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void encodesEpochAndAKnownInstant() {
        assertEquals("400000000000000a00000000", HEX.formatHex(Tai64n.fromEpochNanos(0).toBytes()));
        // 1 500 000 000.123456789 s: seconds 0x59682f00 + 10; nanoseconds 0x075bcd15 whitened to 0x07000000.
        assertEquals("4000000059682f0a07000000",
                HEX.formatHex(Tai64n.fromEpochNanos(1_500_000_000_123_456_789L).toBytes()));
    }

    @Test
    void whitensBelowSixteenMillisecondsAndOrdersByTime() {
        long t = 1_700_000_000_000_000_000L;
        Tai64n a = Tai64n.fromEpochNanos(t);
        assertEquals(a, Tai64n.fromEpochNanos(t + 1));
        Tai64n b = Tai64n.fromEpochNanos(t + 20_000_000L);
        assertTrue(b.isAfter(a));
        assertFalse(a.isAfter(b));
        assertFalse(a.isAfter(a));
        assertTrue(Tai64n.fromEpochNanos(t + 1_000_000_000L).isAfter(b));
        assertTrue(a.isAfter(Tai64n.ZERO));
        assertEquals(a, Tai64n.fromBytes(a.toBytes()));
        assertThrows(IllegalArgumentException.class, () -> Tai64n.fromBytes(new byte[11]));
    }
}
