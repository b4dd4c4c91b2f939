package io.warren.gateway.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Admin option values that do not fit their RFC 2132 type are refused, never sent as other bytes. */
class OptionValuesHostileTest {

    private static String enc(int code, String... values) {
        return OptionValues.encode(code, List.of(values)).map(DhcpText::hex).orElse("invalid");
    }

    @Test
    void valuesOutsideTheirTypeAreRefused() {
        String[][] rows = {
            {"24", "-1"}, // PMTU aging timeout is an unsigned 32-bit number (RFC 2132 §5.6)
            {"35", "-5"}, // ARP cache timeout, unsigned (§6.4)
            {"38", "-2147483648"},
            {"15", "caf\u00e9.lan"}, // domain name: NVT ASCII (RFC 2132 §3.17), not "caf?.lan"
            {"12", "h\u00f6st"},
            {"67", "boot\u2603"},
            {"16", "10.0.0.1", "10.0.0.2"}, // swap server: one address (§3.15)
            {"28", "10.0.0.255", "10.0.1.255"}, // broadcast address: one (§5.3)
            {"32", "10.0.0.1", "10.0.0.2"}, // router solicitation address: one (§5.5)
            {"121", "10.0.0.0/8/9,10.0.0.1"},
            {"121", "10.0.0.0/8,10.0.0.1,10.0.0.2"},
            {"121", "10.0.0.0/,10.0.0.1"},
        };
        for (String[] row : rows) {
            String[] values = java.util.Arrays.copyOfRange(row, 1, row.length);
            assertEquals("invalid", enc(Integer.parseInt(row[0]), values), String.join(" ", row));
        }
    }

    @Test
    void signedAndEdgeValuesThatFit() {
        assertEquals("ff:ff:f1:f0", enc(2, "-3600")); // time offset is signed (RFC 2132 §3.4)
        assertEquals("ff:ff:ff:ff", enc(51 + 7, "4294967295")); // T1 at its maximum
        assertEquals("0a:00:00:ff", enc(28, "10.0.0.255"));
        assertEquals("00", enc(19, "0"));
    }
}
