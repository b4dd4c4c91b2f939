package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class UpstreamSelectorTest {
    private static final List<InetSocketAddress> DEF = List.of(DnsFixtures.UPSTREAM_A);
    private static final List<InetSocketAddress> CORP = List.of(DnsFixtures.sock("10.8.0.53", 53));
    private static final List<InetSocketAddress> LAB = List.of(DnsFixtures.sock("10.8.1.53", 5300),
            DnsFixtures.UPSTREAM_B);
    private final UpstreamSelector sel = new UpstreamSelector(DEF, Map.of(DnsFixtures.name("corp.example"), CORP,
            DnsFixtures.name("lab.corp.example"), LAB));

    @Test
    void longestSuffixWins() {
        String[][] table = {
            {"corp.example", "CORP"}, {"www.corp.example", "CORP"}, {"LAB.Corp.Example", "LAB"},
            {"a.b.lab.corp.example", "LAB"}, {"xcorp.example", "DEF"}, {"example", "DEF"},
            {"corp.example.net", "DEF"}, {"lab.example", "DEF"}, {".", "DEF"},
        };
        for (String[] row : table) {
            List<InetSocketAddress> want = switch (row[1]) {
                case "CORP" -> CORP;
                case "LAB" -> LAB;
                default -> DEF;
            };
            assertEquals(want, sel.select(DnsFixtures.name(row[0])), row[0]);
        }
    }

    @Test
    void relativeDomainsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new UpstreamSelector(DEF, Map.of(Name.fromConstantString("corp"), CORP)));
    }
}
