package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class HostsFileTest {

    @Test
    void parsesAddressesNamesAndAliasesAndCountsBadLines() {
        String text = String.join("\n",
                "127.0.0.1\tlocalhost", "# comment", "", "192.168.7.5  nas nas.home.example  # trailing",
                "fd00:7::5 nas6", "192.168.7.300 broken", "not-an-ip name", "192.168.7.6", "fe80::1%eth0 scoped",
                "192.168.7.7 good bad_name");
        HostsFile.Parsed p = HostsFile.parse(text);
        assertEquals(List.of(
                new HostsFile.Entry(DnsFixtures.ip("127.0.0.1"), "localhost"),
                new HostsFile.Entry(DnsFixtures.ip("192.168.7.5"), "nas"),
                new HostsFile.Entry(DnsFixtures.ip("192.168.7.5"), "nas.home.example"),
                new HostsFile.Entry(DnsFixtures.ip("fd00:7::5"), "nas6"),
                new HostsFile.Entry(DnsFixtures.ip("192.168.7.7"), "good")), p.entries());
        assertEquals(5, p.badLines());
    }
}
