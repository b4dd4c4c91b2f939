package io.warren.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.routing.Mac.Invalid;
import io.warren.routing.Mac.Reason;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MacTest {

    @Test
    void parseFormatAndRead() {
        Mac m = Mac.of("02:1A:3b:4c:5d:6e");
        assertEquals(0x02_1a_3b_4c_5d_6eL, m.bits());
        assertEquals("02:1a:3b:4c:5d:6e", m.toString());
        assertEquals(m, Mac.of("02-1a-3b-4c-5d-6e"));
        ByteBuffer frame = ByteBuffer.wrap(new byte[] {9, 0x02, 0x1a, 0x3b, 0x4c, 0x5d, 0x6e, 9});
        assertEquals(m.bits(), Mac.read(frame, 1));
        assertFalse(m.isGroup());
        assertTrue(Mac.of("01:00:5e:00:00:fb").isGroup());
        assertTrue(Mac.isGroup(Mac.BROADCAST));
        assertThrows(IllegalArgumentException.class, () -> new Mac(1L << 48));
    }

    @ParameterizedTest
    @CsvSource({
        "'', EMPTY",
        "02:1a:3b:4c:5d, MALFORMED",
        "02:1a:3b:4c:5d:6e:7f, MALFORMED",
        "02:1a:3b-4c:5d:6e, MALFORMED",
        "02:1a:3b:4c:5d:6g, MALFORMED",
        "021a.3b4c.5d6e00, MALFORMED",
        "02.1a.3b.4c.5d.6e, MALFORMED",
    })
    void rejects(String in, Reason reason) {
        assertEquals(new Invalid(reason), Mac.parse(in));
    }
}
