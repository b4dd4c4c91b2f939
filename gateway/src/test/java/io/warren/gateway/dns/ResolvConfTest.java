package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ResolvConfTest {

    @Test
    void nameserversInOrderSkippingOurselvesAndJunk() {
        String text = String.join("\n",
                "# generated", "search lan example.test", "nameserver 10.53.0.1", "nameserver   fd00:53::1  ",
                "nameserver 192.168.7.1", "nameserver 0.0.0.0", "nameserver fe80::1%eth0", "nameserver dns.example",
                "; comment", "nameserver 10.53.0.1", "options edns0 trust-ad", "nameserver");
        assertEquals(List.of(DnsFixtures.sock("10.53.0.1", 53), DnsFixtures.sock("fd00:53::1", 53)),
                ResolvConf.nameservers(text, List.of(DnsFixtures.sock("192.168.7.1", 53))));
    }

    @Test
    void emptyFileGivesNoUpstream() {
        assertEquals(List.of(), ResolvConf.nameservers("", List.of()));
    }
}
