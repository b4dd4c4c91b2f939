package io.warren.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What STUN found out, in {@code warren status} and {@code warren status --json}. */
class StatusNatTest {
    private static final long NOW = 1_700_000_100L;

    private static StatusReport report(StatusReport.Nat nat) {
        return new StatusReport(NOW, List.of(new StatusReport.Interface("wg0", "SRVPUB", 51820,
                List.of("10.77.0.1/24"), List.of(), Map.of(), nat)), List.of(), List.of(), List.of());
    }

    @Test
    void textShowsTheReflexiveAddressMappingAndCheckAge() {
        StatusReport.Nat nat = new StatusReport.Nat("198.51.100.7:51820", "endpoint-independent", NOW - 12, -1,
                Map.of("192.0.2.10:3478", "198.51.100.7:51820", "192.0.2.11:3479", "198.51.100.7:51820")).at(NOW);
        assertEquals(12, nat.lastCheckAgeSeconds());
        assertEquals("interface: wg0\n"
                + "  public key: SRVPUB\n"
                + "  listening port: 51820\n"
                + "  addresses: 10.77.0.1/24\n"
                + "  reflexive address: 198.51.100.7:51820\n"
                + "  nat mapping: endpoint-independent\n"
                + "  stun checked: 12 seconds ago\n", StatusText.render(report(nat)));
    }

    @Test
    void symmetricNatListsWhatEachServerSawAndNoAnswerSaysSo() {
        StatusReport.Nat symmetric = new StatusReport.Nat("198.51.100.7:40001", "endpoint-dependent", NOW, -1,
                Map.of("192.0.2.11:3479", "198.51.100.7:40002", "192.0.2.10:3478", "198.51.100.7:40001")).at(NOW);
        String text = StatusText.render(report(symmetric));
        assertTrue(text.contains("  nat mapping: endpoint-dependent\n  stun checked: Now\n"
                + "  stun mappings: 198.51.100.7:40001 (by 192.0.2.10:3478), 198.51.100.7:40002 (by 192.0.2.11:3479)\n"),
                text);

        StatusReport.Nat none = new StatusReport.Nat(null, "unknown", 0, -1, Map.of()).at(NOW);
        assertEquals(-1, none.lastCheckAgeSeconds());
        text = StatusText.render(report(none));
        assertTrue(text.contains("  reflexive address: (no STUN answer yet)\n  nat mapping: unknown\n"), text);
        assertFalse(text.contains("stun checked"), text);
    }

    @Test
    void jsonCarriesTheNatObjectOnlyWithStunAndRoundTrips() throws Exception {
        StatusReport.Nat nat = new StatusReport.Nat("[2001:db8::7]:51820", "unknown", NOW - 65, -1,
                Map.of("[2001:db8::1]:3478", "[2001:db8::7]:51820")).at(NOW);
        JsonNode json = ControlCodec.tree(report(nat));
        JsonNode n = json.at("/interfaces/0/nat");
        assertEquals("[2001:db8::7]:51820", n.get("reflexive").asText());
        assertEquals("unknown", n.get("mapping").asText());
        assertEquals(NOW - 65, n.get("last_check").asLong());
        assertEquals(65, n.get("last_check_age_seconds").asLong());
        assertEquals("[2001:db8::7]:51820", n.at("/servers/[2001:db8::1]:3478").asText());
        assertEquals(report(nat), ControlCodec.fromTree(json, StatusReport.class), "the CLI reads it back");

        JsonNode without = ControlCodec.tree(report(null));
        assertTrue(without.at("/interfaces/0").has("peers"));
        assertFalse(without.at("/interfaces/0").has("nat"), without.toString());
        assertEquals(report(null), ControlCodec.fromTree(without, StatusReport.class));
    }
}
