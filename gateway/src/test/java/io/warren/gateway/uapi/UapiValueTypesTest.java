package io.warren.gateway.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys, allowed-IP prefixes and endpoints: parse, canonical print (as Go's netip), refusals. */
class UapiValueTypesTest {

    @Test
    void keyRoundTripsThroughHexAndNeverPrintsItself() {
        UapiKey k = UapiFixtures.key(0xa0);
        assertEquals(Optional.of(k), UapiKey.parseHex(k.toHex()));
        assertEquals(Optional.of(k), UapiKey.parseHex(k.toHex().toUpperCase()));
        assertEquals("UapiKey[redacted]", k.toString());
        assertFalse(k.toString().contains(k.toHex().substring(0, 8)));
        assertFalse(k.isZero());
        assertTrue(UapiKey.ZERO.isZero());
        assertNotEquals(k, UapiFixtures.key(0xa1));
        assertThrows(IllegalArgumentException.class, () -> UapiKey.of(new byte[31]));
    }

    @Test
    void keyBytesAreCopies() {
        byte[] raw = UapiFixtures.key(3).bytes();
        UapiKey k = UapiKey.of(raw);
        raw[0] ^= 1;
        k.bytes()[1] ^= 1;
        assertEquals(UapiFixtures.key(3), k);
    }

    @ParameterizedTest
    @CsvSource({
        "10.1.2.3/24, 10.1.2.0/24",
        "0.0.0.0/0, 0.0.0.0/0",
        "255.255.255.255/32, 255.255.255.255/32",
        "10.255.255.255/9, 10.128.0.0/9",
        "fd00:0:0::1/64, fd00::/64",
        "FD00:ABCD::1/128, fd00:abcd::1/128",
        "2001:db8:0:0:1:0:0:1/128, 2001:db8::1:0:0:1/128",
        "::/0, ::/0",
        "::ffff:1.2.3.4/128, ::ffff:1.2.3.4/128",
        "fd00::ff/121, fd00::80/121",
    })
    void allowedIpsPrintLikeGo(String in, String canonical) {
        assertEquals(canonical, AllowedIp.parse(in).orElseThrow().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "10.0.0.0", "10.0.0.0/", "/8", "10.0.0/8", "10.0.0.256/8", "010.0.0.0/8",
        "10.0.0.0/33", "10.0.0.0/08", "10.0.0.0/ 8", " 10.0.0.0/8", "fd00::/129", "fd00::/1000",
        "fe80::1%eth0/64", "[fd00::]/64", "::1.2.3.4/128", "1::2::3/64", "host/32", "10.0.0.0/8x"})
    void malformedAllowedIpsAreRefused(String in) {
        assertEquals(Optional.empty(), AllowedIp.parse(in));
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1:51820, 192.0.2.1:51820",
        "[fd00::1]:51820, [fd00::1]:51820",
        "[FD00:0::1]:1, [fd00::1]:1",
        "[::ffff:192.0.2.1]:7, [::ffff:192.0.2.1]:7",
        "1.2.3.4:0, 1.2.3.4:0",
        "1.2.3.4:065535, 1.2.3.4:65535",
    })
    void endpointsPrintLikeGo(String in, String canonical) {
        assertEquals(canonical, PeerEndpoint.parse(in).orElseThrow().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", "1.2.3.4", "1.2.3.4:", "1.2.3.4:65536", "1.2.3.4:-1", "fd00::1:5", "[fd00::1]",
        "[1.2.3.4]:5", "[]:5", "[fe80::1%eth0]:5", "localhost:51820", "1.2.3.4:5x", "01.2.3.4:5"})
    void malformedEndpointsAreRefused(String in) {
        assertEquals(Optional.empty(), PeerEndpoint.parse(in));
    }

    @Test
    void endpointGivesAResolvedSocketAddressWithoutLookup() {
        PeerEndpoint e = PeerEndpoint.parse("[fd00::9]:4500").orElseThrow();
        assertFalse(e.toSocketAddress().isUnresolved());
        assertEquals(4500, e.toSocketAddress().getPort());
    }

    @Test
    void parseUnsignedFollowsGoParseUint() {
        assertEquals(0, SetRequestParser.parseUnsigned("0", 0xffff));
        assertEquals(80, SetRequestParser.parseUnsigned("0080", 0xffff));
        assertEquals(65535, SetRequestParser.parseUnsigned("65535", 0xffff));
        assertEquals(-1, SetRequestParser.parseUnsigned("65536", 0xffff));
        assertEquals(-1, SetRequestParser.parseUnsigned("99999999999999999999", 0xffff));
        assertEquals(-1, SetRequestParser.parseUnsigned("1_0", 0xffff));
        assertEquals(-1, SetRequestParser.parseUnsigned("", 0xffff));
    }
}
