package io.warren.gateway.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OptionValuesTest {

    private static String enc(int code, String... values) {
        return OptionValues.encode(code, List.of(values)).map(DhcpText::hex).orElse("invalid");
    }

    @Test
    void typedEncodingsFromRfc2132() {
        assertEquals("0a:00:00:01:0a:00:00:02", enc(42, "10.0.0.1", "10.0.0.2"));
        assertEquals("05:78", enc(26, "1400"));
        assertEquals("00:00:0e:10", enc(58, "3600"));
        assertEquals("01", enc(19, "true"));
        assertEquals("6c:61:62", enc(15, "lab"));
        assertEquals("01:02:ff", enc(224, "01:02:ff"));
        assertEquals("61:62", enc(224, "ab"));
    }

    @Test
    void domainSearchRfc3397AndClasslessRoutesRfc3442() {
        assertEquals("03:6c:61:62:04:74:65:73:74:00:01:61:00", enc(119, "lab.test", "a."));
        // RFC 3442 §2 examples: 0/0 -> 1 byte, /8 -> 1 octet, /24 -> 3 octets, /32 -> 4
        assertEquals("00:0a:00:00:01", enc(121, "0.0.0.0/0,10.0.0.1"));
        assertEquals("08:0a:0a:00:00:01", enc(121, "10.0.0.0/8,10.0.0.1"));
        assertEquals("18:c0:a8:01:0a:00:00:01", enc(121, "192.168.1.0/24,10.0.0.1"));
        assertEquals("20:c0:a8:01:07:0a:00:00:01", enc(121, "192.168.1.7/32,10.0.0.1"));
    }

    @Test
    void badValuesAreRejectedNotThrown() {
        assertEquals("invalid", enc(42, "10.0.0.256"));
        assertEquals("invalid", enc(26, "70000"));
        assertEquals("invalid", enc(26, "mtu"));
        assertEquals("invalid", enc(121, "10.0.0.0/33,10.0.0.1"));
        assertEquals("invalid", enc(121, "10.0.0.0,10.0.0.1"));
        assertEquals("invalid", enc(119, "bad..name"));
        assertEquals("invalid", enc(1, "255.255.255.0", "255.0.0.0")); // option 1 is exactly 4 bytes
        assertEquals(Optional.empty(), OptionValues.encode(15, List.of()));
    }
}
