package io.warren.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Tables for the small value parsers: prefixes, endpoints, keys, durations, suggestions. */
class ConfigValuesTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.1/24, 10.0.0.1/24",
        "10.0.0.1, 10.0.0.1/32",
        "0.0.0.0/0, 0.0.0.0/0",
        "fd00::1/64, fd00:0:0:0:0:0:0:1/64",
        "::/0, 0:0:0:0:0:0:0:0/0",
        "2001:db8::, 2001:db8:0:0:0:0:0:0/128",
    })
    void validPrefixes(String in, String out) {
        assertEquals(out, IpPrefix.parse(in).orElseThrow().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.300/32", "10.0.0.0/33", "10.0.0/24", "010.0.0.1/8", "fd00::/129",
        "example.com/24", "10.0.0.0/-1", "10.0.0.0/", "", "::g/64", "10.0.0.0/24/1", "1.2.3.4.5"})
    void invalidPrefixes(String in) {
        assertEquals(Optional.empty(), IpPrefix.parse(in));
    }

    @Test
    void prefixContainmentAndNetwork() {
        IpPrefix p = IpPrefix.parse("10.1.2.3/16").orElseThrow();
        assertEquals("10.1.0.0/16", p.network().toString());
        assertFalse(p.isNetwork());
        assertTrue(p.contains(IpPrefix.parse("10.1.200.0/24").orElseThrow()));
        assertFalse(p.contains(IpPrefix.parse("10.0.0.0/8").orElseThrow()));
        assertTrue(p.overlaps(IpPrefix.parse("10.0.0.0/8").orElseThrow()));
        assertFalse(p.overlaps(IpPrefix.parse("fd00::/8").orElseThrow()));
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1:51820, 192.0.2.1, 51820",
        "[2001:db8::1]:51820, 2001:db8::1, 51820",
        "vpn.example.com:1, vpn.example.com, 1",
        "localhost:65535, localhost, 65535",
    })
    void validEndpoints(String in, String host, int port) {
        assertEquals(new Endpoint(host, port), Endpoint.parse(in).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.1", "192.0.2.1:0", "192.0.2.1:65536", "2001:db8::1:51820", "[2001:db8::1]",
        "[192.0.2.1]:5", "-bad.example:5", "a..b:5", "host:port", ":51820", "[::1]x:5"})
    void invalidEndpoints(String in) {
        assertEquals(Optional.empty(), Endpoint.parse(in));
    }

    @ParameterizedTest
    @CsvSource({"::1, ::1", "::, ::", "0:0:0:0:0:0:0:1, ::1", "fe80:0:0:0:0:0:1:2, fe80::1:2", "1:0:0:0:0:0:0:0, 1::",
        "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1", "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", "192.0.2.1, 192.0.2.1"})
    void addressesPrintInTheirCompactForm(String in, String out) {
        // RFC 5952 §4: leading zeros dropped, the first longest run of two or more zero groups becomes ::.
        assertEquals(out, IpAddresses.compact(IpAddresses.parse(in).orElseThrow()));
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, 53, 127.0.0.1, 53, true", "127.0.0.1, 5353, 127.0.0.1, 53, false",
        "127.0.0.53, 53, 0.0.0.0, 53, true", "127.0.0.53, 53, ::, 53, true", "::1, 53, 0.0.0.0, 53, false",
        "::1, 53, ::, 53, true", "192.0.2.1, 53, 0.0.0.0, 53, false", "::ffff:127.0.0.1, 53, 127.0.0.1, 53, true",
        "10.0.0.1, 53, 10.0.0.2, 53, false"})
    void anUpstreamReachesAListenAddressWhenItWouldLoopBackToUs(String to, int toPort, String listen, int listenPort,
            boolean loops) {
        assertEquals(loops, IpAddresses.reaches(
                new java.net.InetSocketAddress(IpAddresses.parse(to).orElseThrow(), toPort),
                new java.net.InetSocketAddress(IpAddresses.parse(listen).orElseThrow(), listenPort)));
    }

    @Test
    void endpointDefaultPortAndBareIpv6() {
        assertEquals(new Endpoint("stun.example.net", 3478), Endpoint.parse("stun.example.net", 3478).orElseThrow());
        assertEquals(new Endpoint("2001:db8::1", 53), Endpoint.parse("2001:db8::1", 53).orElseThrow());
        assertEquals("[2001:db8::1]:53", new Endpoint("2001:db8::1", 53).toString());
    }

    @Test
    void keysParseCompareAndStayHidden() {
        String text = "72DS1AukW0ngf1CHAYHruPAi0oCzPOKvStcM+w7S3is=";
        WgKey a = WgKey.parse(text).orElseThrow();
        WgKey b = WgKey.parse(" " + text + "\n").orElseThrow();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(text, a.toBase64());
        assertFalse(a.toString().contains("72DS"));
        assertEquals(Optional.empty(), WgKey.parse(text.substring(1)));
        assertEquals(Optional.empty(), WgKey.parse("72DS1AukW0ngf1CHAYHruPAi0oCzPOKvStcM+w7S3i=="));
        assertEquals(Optional.empty(), WgKey.parse("72DS1AukW0ngf1CHAYHruPAi0oCzPOKvStcM+w7S3i!="));
    }

    @Test
    void publicKeyMatchesWireGuardKnownAnswer() {
        // From `wg genkey | tee k | wg pubkey` on the dev box.
        WgKey priv = WgKey.parse("wK3EJPcxao7yQv3OKzQAmk9WKxxinyn+fKgKba6UlWg=").orElseThrow();
        assertEquals("72DS1AukW0ngf1CHAYHruPAi0oCzPOKvStcM+w7S3is=", priv.publicKey().toBase64());
        // Derived once: the NAT timer asks every 100 ms, and each derivation is a scalar multiplication.
        assertSame(priv.publicKey(), priv.publicKey());
    }

    @Test
    void generatedPrivateKeysAreClampedAndDistinct() {
        SecureRandom r = new SecureRandom();
        WgKey k1 = WgKey.generatePrivate(r);
        byte[] b = k1.toBytes();
        assertEquals(0, b[0] & 7);
        assertEquals(0x40, b[31] & 0xc0);
        assertNotEquals(k1, WgKey.generatePrivate(r));
    }

    @ParameterizedTest
    @CsvSource({
        "listen_port, listen-port", "ListenPort, listen-port", "adress, address", "PublicKey, public-key",
        "allowed-ip, allowed-ips", "persistentkeepalive, persistent-keepalive",
    })
    void suggestionsFindTheIntendedKey(String typo, String meant) {
        assertEquals(Optional.of(meant), Suggestions.closest(typo, InterfaceSection.PEER_KEYS.contains(meant)
                ? InterfaceSection.PEER_KEYS : InterfaceSection.KEYS));
    }

    @Test
    void noSuggestionForUnrelatedKey() {
        assertEquals(Optional.empty(), Suggestions.closest("colour", InterfaceSection.KEYS));
    }

    @Test
    void millisecondDurations() {
        assertEquals(java.time.Duration.ofMillis(750), Durations.parse("750ms").orElseThrow());
        assertEquals(Optional.empty(), Durations.parse("7.5s"));
    }

    @ParameterizedTest
    @CsvSource({"90, 90", "90s, 90", "30m, 1800", "12h, 43200", "1d, 86400", "2w, 1209600"})
    void durations(String in, long seconds) {
        assertEquals(seconds, Durations.parse(in).orElseThrow().getSeconds());
    }
}
