package io.warren.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.config.ConfigLoader;
import io.warren.gateway.config.ConfigResult;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.config.WgKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientOnboardingTest {
    private static final WgKey SERVER = WgKey.generatePrivate(new SecureRandom());
    private static final WgKey CLIENT = WgKey.generatePrivate(new SecureRandom());
    private static final LocalDate DAY = LocalDate.of(2026, 11, 24);

    @TempDir
    Path dir;

    private static String peer(String name, String allowed) {
        return "[[interface.wg0.peer]]\nname = \"" + name + "\"\npublic-key = \""
                + WgKey.generatePrivate(new SecureRandom()).publicKey().toBase64() + "\"\nallowed-ips = [\"" + allowed + "\"]\n";
    }

    private static String base(String extra) {
        return "# the gateway\n[interface.wg0]\nprivate-key = \"" + SERVER.toBase64() + "\"\nlisten-port = 51820\n"
                + "address = [\"10.77.0.1/24\"]\n" + extra;
    }

    private WarrenConfig parse(String text) throws Exception {
        Path f = dir.resolve("parse.toml");
        Files.writeString(f, text);
        ConfigResult r = ConfigLoader.load(f);
        assertTrue(r.isValid(), r.problems().toString());
        return r.config().get();
    }

    @Test
    void allocatesTheLowestFreeAddressSkippingPeersAndItself() throws Exception {
        WarrenConfig c = parse(base(peer("a", "10.77.0.2/32") + peer("b", "10.77.0.3/32") + peer("c", "10.77.0.4/31")));
        assertEquals("10.77.0.6/32", AddressAllocator.nextFree(c, c.interfaces().get("wg0")).orElseThrow().toString());
        WarrenConfig empty = parse(base(""));
        assertEquals("10.77.0.2/32", AddressAllocator.nextFree(empty, empty.interfaces().get("wg0")).orElseThrow().toString());
        WarrenConfig full = parse(base(peer("all", "10.77.0.0/24")).replace("10.77.0.1/24", "10.77.0.1/30"));
        assertTrue(AddressAllocator.nextFree(full, full.interfaces().get("wg0")).isEmpty());
        WarrenConfig slash30 = parse(base("").replace("10.77.0.1/24", "10.77.0.1/30"));
        assertEquals("10.77.0.2/32", AddressAllocator.nextFree(slash30, slash30.interfaces().get("wg0")).orElseThrow().toString());
    }

    @Test
    void planAppendsAPeerBlockAndWritesAWgQuickConfig() throws Exception {
        String text = base(peer("a", "10.77.0.2/32")) + "\n[dns]\nlisten = [\"10.77.0.1\"]\nupstreams = [\"192.0.2.53\"]\n";
        WarrenConfig c = parse(text);
        ClientOnboarding.Plan plan = ClientOnboarding.plan(c, text,
                new ControlRequest.ClientAdd("alice", null, "vpn.example.org", List.of()), CLIENT, DAY);
        assertEquals("wg0", plan.iface());
        assertEquals("10.77.0.3/32", plan.address().toString());
        assertEquals(text + "\n# client \"alice\", added by 'warren client add' on 2026-11-24\n[[interface.wg0.peer]]\n"
                + "name = \"alice\"\npublic-key = \"" + CLIENT.publicKey().toBase64() + "\"\nallowed-ips = [\"10.77.0.3/32\"]\n",
                plan.newText());
        WarrenConfig after = parse(plan.newText());
        assertEquals(CLIENT.publicKey(), after.interfaces().get("wg0").peerNamed("alice").orElseThrow().publicKey());
        assertEquals("[Interface]\nPrivateKey = " + CLIENT.toBase64() + "\nAddress = 10.77.0.3/32\nDNS = 10.77.0.1\n\n"
                + "[Peer]\nPublicKey = " + SERVER.publicKey().toBase64() + "\nEndpoint = vpn.example.org:51820\n"
                + "AllowedIPs = 10.77.0.0/24\nPersistentKeepalive = 25\n", plan.clientConfig());
        assertEquals("[Interface]\nPrivateKey = " + CLIENT.toBase64() + "\n\n[Peer]\nPublicKey = " + SERVER.publicKey().toBase64()
                + "\nEndpoint = vpn.example.org:51820\nAllowedIPs = 10.77.0.0/24\nPersistentKeepalive = 25\n",
                ClientOnboarding.strip(plan.clientConfig()));
        ClientOnboarding.Plan v6 = ClientOnboarding.plan(c, text, new ControlRequest.ClientAdd("bob", "wg0",
                "[2001:db8::1]:4500", List.of("10.77.0.0/24", "192.168.77.9/24")), CLIENT, DAY);
        assertTrue(v6.clientConfig().contains("Endpoint = [2001:db8::1]:4500\nAllowedIPs = 10.77.0.0/24, 192.168.77.0/24\n"),
                v6.clientConfig());
    }

    @Test
    void theConfiguredPublicEndpointIsTheDefault() throws Exception {
        String text = base("public-endpoint = \"vpn.example.org\"\n");
        WarrenConfig c = parse(text);
        ClientOnboarding.Plan plan = ClientOnboarding.plan(c, text,
                new ControlRequest.ClientAdd("carol", null, null, List.of()), CLIENT, DAY);
        assertTrue(plan.clientConfig().contains("Endpoint = vpn.example.org:51820\n"), plan.clientConfig());
        ClientOnboarding.Plan override = ClientOnboarding.plan(c, text,
                new ControlRequest.ClientAdd("dave", null, "192.0.2.7:443", List.of()), CLIENT, DAY);
        assertTrue(override.clientConfig().contains("Endpoint = 192.0.2.7:443\n"), override.clientConfig());
    }

    @Test
    void refusals() throws Exception {
        String text = base(peer("a", "10.77.0.2/32"));
        WarrenConfig c = parse(text);
        String[][] cases = {
            {"a", null, "vpn.example.org", "interface wg0 already has a peer named \"a\""},
            {"bad_name", null, "vpn.example.org", "\"bad_name\" is not a valid client name (one DNS label: letters, digits, '-')"},
            {"x", "wg9", "vpn.example.org", "no interface \"wg9\" (configured: wg0)"},
            {"x", null, null, "the config has no public-endpoint for wg0: set [interface.wg0] public-endpoint, or pass"
                + " --endpoint HOST[:PORT] (the gateway's address as clients reach it)"},
            {"x", null, "vpn.example.org:0", "\"vpn.example.org:0\" is not HOST[:PORT]"},
        };
        for (String[] k : cases) {
            ControlFailure f = assertThrows(ControlFailure.class, () -> ClientOnboarding.plan(c, text,
                    new ControlRequest.ClientAdd(k[0], k[1], k[2], List.of()), CLIENT, DAY));
            assertEquals(k[3], f.getMessage());
            assertEquals(ControlFailure.REJECTED, f.code());
        }
    }

    @Test
    void fileIsReplacedAtomicallyKeepingCommentsAndMode() throws Exception {
        Path file = dir.resolve("warren.toml");
        String text = base("# keep me\n");
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        ClientFiles files = new ClientFiles(new SecureRandom(), Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC));
        ClientOnboarding.Plan plan = files.add(file, new ControlRequest.ClientAdd("alice", null, "192.0.2.1", List.of()));
        String now = Files.readString(file);
        assertTrue(now.startsWith(text), now);
        assertTrue(now.contains("name = \"alice\""));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of("warren.toml"), Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList(),
                "no temp file left");
        assertTrue(plan.clientConfig().contains("Endpoint = 192.0.2.1:51820"));

        // A refused add leaves the file byte for byte as it was.
        byte[] before = Files.readAllBytes(file);
        assertThrows(ControlFailure.class, () -> files.add(file, new ControlRequest.ClientAdd("alice", null, "192.0.2.1", List.of())));
        Files.writeString(file, now.replace("[[interface.wg0.peer]]", "[[interface.wg0.peer]]\nbogus = 1"));
        ControlFailure invalid = assertThrows(ControlFailure.class,
                () -> files.add(file, new ControlRequest.ClientAdd("bob", null, "192.0.2.1", List.of())));
        assertEquals("the config file is invalid now; fix it first", invalid.getMessage());
        assertTrue(invalid.details().get(0).startsWith("warren.toml:"), invalid.details().toString());
        Files.write(file, before);
        assertEquals(List.of("warren.toml"), Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList());
    }
}
