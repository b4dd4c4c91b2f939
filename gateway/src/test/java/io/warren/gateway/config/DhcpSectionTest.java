package io.warren.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code [dhcp.POOL] trusted-relays}: parsed into prefixes, bad values reported with file, line and key. */
class DhcpSectionTest {

    private static final String POOL = "[dhcp.lan]\ninterface = \"eth1\"\nsubnet = \"192.168.1.0/24\"\n"
            + "range = [\"192.168.1.100\", \"192.168.1.200\"]\n";

    private static ConfigResult parse(String text) {
        return new ConfigParser(FakeSecretFiles.fixtures(), Path.of("/fixtures")).parse("t.toml", text);
    }

    private static List<String> problems(String text) {
        return parse(text).problems().stream().map(ConfigError::format).toList();
    }

    @Test
    void trustedRelaysAreAddressesOrPrefixes() throws BadConfigException {
        ConfigResult r = parse(POOL + "trusted-relays = [\"10.20.0.1\", \"10.30.0.0/29\"]\n");
        assertEquals(List.of(), r.problems());
        assertEquals(List.of(IpPrefix.parse("10.20.0.1/32").orElseThrow(), IpPrefix.parse("10.30.0.0/29").orElseThrow()),
                r.orThrow().dhcpPools().get("lan").trustedRelays());
        assertEquals(List.of(), parse(POOL).orThrow().dhcpPools().get("lan").trustedRelays(), "default: any relay");
    }

    @Test
    void badTrustedRelaysNameFileLineKeyAndReason() {
        assertEquals(List.of("t.toml:5: dhcp pool \"lan\".trusted-relays: \"relay.example\" is not an IPv4 address or prefix",
                        "t.toml:5: dhcp pool \"lan\".trusted-relays: \"fd00::1\" is not an IPv4 address or prefix"),
                problems(POOL + "trusted-relays = [\"relay.example\", \"fd00::1\"]\n"));
        assertEquals(List.of("t.toml:5: dhcp pool \"lan\".trusted-relays: \"10.30.0.1/29\" has host bits set; "
                + "did you mean 10.30.0.0/29?"), problems(POOL + "trusted-relays = [\"10.30.0.1/29\"]\n"));
        List<String> empty = problems(POOL + "trusted-relays = []\n");
        assertEquals(1, empty.size(), empty.toString());
        assertTrue(empty.get(0).startsWith("t.toml:5: dhcp pool \"lan\".trusted-relays: an empty list refuses"), empty.get(0));
        assertEquals(List.of("t.toml:5: dhcp pool \"lan\".trusted-relays: expected a list of strings, got an integer"),
                problems(POOL + "trusted-relays = 7\n"));
    }

    @Test
    void changingTrustedRelaysIsAPoolChangeOnReload() throws BadConfigException {
        ConfigDiff d = ConfigDiff.between(parse(POOL).orThrow(), parse(POOL + "trusted-relays = [\"10.20.0.1\"]\n").orThrow());
        assertEquals(1, d.dhcpPools().changed().size());
    }
}
