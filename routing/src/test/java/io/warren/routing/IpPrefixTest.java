package io.warren.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.routing.IpPrefix.Family;
import io.warren.routing.IpPrefix.Invalid;
import io.warren.routing.IpPrefix.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpPrefixTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0/8",
        "192.0.2.1, 192.0.2.1/32",
        "0.0.0.0/0, 0.0.0.0/0",
        "255.255.255.255/32, 255.255.255.255/32",
        "fd00::/64, fd00::/64",
        "FD00:0:0:0::/8, fd00::/8",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1/128",
        "2001:db8::aaaa:0:0:1/128, 2001:db8::aaaa:0:0:1/128",
        "2001:0:0:1::/64, 2001:0:0:1::/64",
        "::/0, ::/0",
        "::1, ::1/128",
        "::ffff:192.0.2.1/128, ::ffff:c000:201/128",
    })
    void parsesAndFormatsCanonically(String in, String out) {
        IpPrefix p = IpPrefix.of(in);
        assertEquals(out, p.toString());
        assertEquals(p, IpPrefix.of(out), "round trip");
    }

    @ParameterizedTest
    @CsvSource({
        "'', EMPTY",
        "10.0.0.1/8, HOST_BITS_SET",
        "fd00::1/64, HOST_BITS_SET",
        "10.0.0.0/33, LENGTH_OUT_OF_RANGE",
        "fd00::/129, LENGTH_OUT_OF_RANGE",
        "10.0.0.0/, BAD_LENGTH",
        "10.0.0.0/08, BAD_LENGTH",
        "10.0.0.0/-1, BAD_LENGTH",
        "10.0.0.0/1x, BAD_LENGTH",
        "10.0.0.0/1234, BAD_LENGTH",
        "10.0.0/8, BAD_ADDRESS",
        "010.0.0.0/8, BAD_ADDRESS",
        "256.0.0.0/8, BAD_ADDRESS",
        "10.0.0.0.0/8, BAD_ADDRESS",
        "1.2.3.4 /8, BAD_ADDRESS",
        "example.com/8, BAD_ADDRESS",
        "fe80::1%eth0/64, BAD_ADDRESS",
        "1::2::3/64, BAD_ADDRESS",
        "1:2:3:4:5:6:7:8:9/64, BAD_ADDRESS",
        "[::1]/128, BAD_ADDRESS",
        ".1:2/64, BAD_ADDRESS",
        "12345::/16, BAD_ADDRESS",
        "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128/, TOO_LONG",
    })
    void rejectsWithAReason(String in, Reason reason) {
        assertEquals(new Invalid(reason), IpPrefix.parse(in));
    }

    @Test
    void nullIsEmpty() {
        assertEquals(new Invalid(Reason.EMPTY), IpPrefix.parse(null));
    }

    @Test
    void factoriesMaskHostBits() {
        IpPrefix p = IpPrefix.v4(0x0a_0b_0c_0d, 12);
        assertEquals("10.0.0.0/12", p.toString());
        assertEquals(Family.IPV4, p.family());
        IpPrefix q = IpPrefix.v6(0x2001_0db8_1234_5678L, 0x9abc_def0_1234_5678L, 68);
        assertEquals("2001:db8:1234:5678:9000::/68", q.toString());
        assertEquals(p, IpPrefix.fromBytes(new byte[] {10, 11, 12, 13}, 12));
        assertArrayEquals(new byte[] {10, 0, 0, 0}, p.address());
        assertEquals(16, q.address().length);
    }

    @Test
    void containment() {
        IpPrefix p = IpPrefix.of("10.128.0.0/9");
        assertTrue(p.contains(IpPrefix.of("10.200.1.0/24")));
        assertTrue(p.contains(p));
        assertFalse(p.contains(IpPrefix.of("10.0.0.0/8")), "shorter");
        assertFalse(p.contains(IpPrefix.of("10.1.0.0/16")));
        assertFalse(p.contains(IpPrefix.of("::/0")), "other family");
        assertTrue(p.containsV4(0x0a_ff_00_01));
        assertFalse(p.containsV4(0x0a_7f_00_01));
        IpPrefix six = IpPrefix.of("2001:db8::/127");
        assertTrue(six.containsV6(six.hi(), 1));
        assertFalse(six.containsV6(six.hi(), 2));
        assertFalse(six.containsV4(0));
    }

    @Test
    void orderingAndEquality() {
        assertTrue(IpPrefix.of("10.0.0.0/8").compareTo(IpPrefix.of("10.0.0.0/9")) < 0);
        assertTrue(IpPrefix.of("9.0.0.0/8").compareTo(IpPrefix.of("10.0.0.0/8")) < 0);
        assertTrue(IpPrefix.of("200.0.0.0/8").compareTo(IpPrefix.of("10.0.0.0/8")) > 0, "unsigned");
        assertTrue(IpPrefix.of("255.0.0.0/8").compareTo(IpPrefix.of("::/0")) < 0, "IPv4 first");
        assertEquals(IpPrefix.of("10.0.0.0/8").hashCode(), IpPrefix.v4(0x0a_01_02_03, 8).hashCode());
    }
}
