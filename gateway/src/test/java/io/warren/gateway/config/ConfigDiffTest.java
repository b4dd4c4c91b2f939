package io.warren.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reload diff: only what changed is reported; reordering is not a change. */
class ConfigDiffTest {
    private static final String OWN = "wK3EJPcxao7yQv3OKzQAmk9WKxxinyn+fKgKba6UlWg=";
    private static final String A = "EJl44V2Zu+9iFP2bC3mCaD9cylJmMs3fAS6maFL3IjI=";
    private static final String B = "HoVVBvofNpLf/Fk5M2GDksLpNU8TFrH3Y6RjVDNnJGI=";
    private static final String C = "KVzxsvXO0EceNrFSar2FjXgXxj3E2aaHg0Eckwu9lg4=";

    private static WarrenConfig parse(String text) throws BadConfigException {
        return new ConfigParser(new FakeSecretFiles(), Path.of("/")).parse("w.toml", text).orThrow();
    }

    private static String peer(String name, String key, String allowed) {
        return "[[interface.wg0.peer]]\nname = \"" + name + "\"\npublic-key = \"" + key + "\"\nallowed-ips = " + allowed + "\n";
    }

    private static final String IFACE = "[interface.wg0]\nprivate-key = \"" + OWN + "\"\nlisten-port = 51820\n";
    /** An L2 tunnel with a DHCP pool, and an L3 tunnel with a route (L2 tunnels take no routes). */
    private static final String REST = "[tunnel.vx]\ntype = \"vxlan\"\nremote = \"192.0.2.2\"\nvni = 5\nmode = \"l2\"\n"
            + "[tunnel.g3]\ntype = \"gre\"\nremote = \"192.0.2.3\"\n"
            + "[[route]]\nprefix = \"10.9.0.0/16\"\nvia = \"tunnel:g3\"\n"
            + "[dhcp.lan]\ninterface = \"vx\"\nsubnet = \"192.168.1.0/24\"\nrange = [\"192.168.1.10\", \"192.168.1.20\"]\n";

    @Test
    void identicalConfigsGiveAnEmptyDiff() throws Exception {
        String text = IFACE + peer("a", A, "[\"10.0.0.2/32\"]") + REST;
        ConfigDiff d = ConfigDiff.between(parse(text), parse(text));
        assertTrue(d.isEmpty());
        assertEquals(List.of(), d.summary());
        assertEquals(Set.of("wg0"), d.interfaces().unchanged());
    }

    @Test
    void reorderedPeersAndAllowedIpsAreUnchanged() throws Exception {
        WarrenConfig before = parse(IFACE + peer("a", A, "[\"10.0.0.2/32\", \"10.1.0.0/16\"]")
                + peer("b", B, "[\"10.0.0.3/32\"]") + REST);
        WarrenConfig after = parse(REST + IFACE + peer("b", B, "[\"10.0.0.3/32\"]")
                + peer("a", A, "[\"10.1.0.0/16\", \"10.0.0.2/32\"]"));
        ConfigDiff d = ConfigDiff.between(before, after);
        assertTrue(d.isEmpty(), () -> d.summary().toString());
        Changes<WgKey, PeerConfig> peers = d.peers().get("wg0");
        assertEquals(Set.of(WgKey.parse(A).get(), WgKey.parse(B).get()), peers.unchanged());
    }

    @Test
    void peerAddedRemovedAndChangedByPublicKey() throws Exception {
        WarrenConfig before = parse(IFACE + peer("a", A, "[\"10.0.0.2/32\"]") + peer("b", B, "[\"10.0.0.3/32\"]"));
        WarrenConfig after = parse(IFACE + peer("a", A, "[\"10.0.0.2/32\", \"10.5.0.0/16\"]")
                + peer("c", C, "[\"10.0.0.4/32\"]"));
        ConfigDiff d = ConfigDiff.between(before, after);

        Changes<WgKey, PeerConfig> peers = d.peers().get("wg0");
        assertEquals(Set.of(WgKey.parse(C).get()), peers.added().keySet());
        assertEquals(Set.of(WgKey.parse(B).get()), peers.removed().keySet());
        Changes.Change<PeerConfig> changed = peers.changed().get(WgKey.parse(A).get());
        assertEquals(1, changed.before().allowedIps().size());
        assertEquals(2, changed.after().allowedIps().size());
        assertTrue(d.interfaces().isEmpty(), "peer edits do not touch the interface itself");
        assertEquals(List.of("peers of wg0: +1 -1 ~1"), d.summary());
    }

    @Test
    void renamingAPeerKeepsItsIdentity() throws Exception {
        WarrenConfig before = parse(IFACE + peer("a", A, "[\"10.0.0.2/32\"]"));
        WarrenConfig after = parse(IFACE + peer("alice", A, "[\"10.0.0.2/32\"]"));
        Changes<WgKey, PeerConfig> peers = ConfigDiff.between(before, after).peers().get("wg0");
        assertTrue(peers.added().isEmpty() && peers.removed().isEmpty());
        assertEquals(1, peers.changed().size());
    }

    @Test
    void interfaceSettingChangeIsSeparateFromPeers() throws Exception {
        WarrenConfig before = parse(IFACE + peer("a", A, "[\"10.0.0.2/32\"]"));
        WarrenConfig after = parse(IFACE.replace("51820", "51821") + peer("a", A, "[\"10.0.0.2/32\"]"));
        ConfigDiff d = ConfigDiff.between(before, after);
        assertEquals(Set.of("wg0"), d.interfaces().changed().keySet());
        assertTrue(d.peers().get("wg0").isEmpty());
    }

    @Test
    void tunnelsRoutesPoolsAndServices() throws Exception {
        WarrenConfig before = parse(REST + "[dns]\nupstreams = [\"9.9.9.9\"]\n");
        String changed = REST.replace("vni = 5", "vni = 6")
                .replace("via = \"tunnel:g3\"", "via = \"tunnel:g3\"\nmetric = 5")
                + "[[route]]\nprefix = \"10.10.0.0/16\"\nvia = \"blackhole\"\n"
                + "[tunnel.gre1]\ntype = \"gre\"\nremote = \"192.0.2.9\"\n"
                + "[dns]\nupstreams = [\"1.1.1.1\"]\n";
        ConfigDiff d = ConfigDiff.between(before, parse(changed));
        assertEquals(Set.of("vx"), d.tunnels().changed().keySet());
        assertEquals(Set.of("gre1"), d.tunnels().added().keySet());
        assertEquals(1, d.routes().changed().size());
        assertEquals(1, d.routes().added().size());
        assertTrue(d.dhcpPools().isEmpty(), "pool untouched: its leases are kept");
        assertTrue(d.dns().isPresent());
        assertFalse(d.metrics().isPresent());
        assertEquals(List.of("tunnels: +1 -0 ~1", "routes: +1 -0 ~1", "dns: changed"), d.summary());
    }

    private static final String VX = "[tunnel.vx]\ntype = \"vxlan\"\nvni = 5\n";

    @Test
    void vxlanRemoteListAndStaticMacs() throws Exception {
        WarrenConfig single = parse(VX + "remote = \"192.0.2.2\"\n");
        WarrenConfig oneElement = parse(VX + "remote = [\"192.0.2.2\"]\n");
        assertTrue(ConfigDiff.between(single, oneElement).isEmpty(), "a one-element list is the single form");

        String macs = "static-macs = { \"02:00:00:00:00:01\" = \"192.0.2.3\", \"02:00:00:00:00:02\" = \"local\" }\n";
        WarrenConfig two = parse(VX + "remote = [\"192.0.2.2\", \"192.0.2.3\"]\n" + macs);
        WarrenConfig reordered = parse(VX + "remote = [\"192.0.2.3\", \"192.0.2.2\"]\n"
                + "static-macs = { \"02:00:00:00:00:02\" = \"local\", \"02:00:00:00:00:01\" = \"192.0.2.3\" }\n");
        assertTrue(ConfigDiff.between(two, reordered).isEmpty(), "order of remotes and MACs does not matter");

        ConfigDiff added = ConfigDiff.between(single, two);
        assertEquals(Set.of("vx"), added.tunnels().changed().keySet(), "a remote added: the tunnel is reopened");
        WarrenConfig moved = parse(VX + "remote = [\"192.0.2.2\", \"192.0.2.3\"]\n"
                + macs.replace("= \"192.0.2.3\"", "= \"192.0.2.2\""));
        assertEquals(Set.of("vx"), ConfigDiff.between(two, moved).tunnels().changed().keySet(), "a static MAC moved");
    }

    @Test
    void removedInterfaceAndPoolAreReported() throws Exception {
        WarrenConfig before = parse(IFACE + REST);
        WarrenConfig after = parse(REST.substring(0, REST.indexOf("[dhcp.lan]")));
        ConfigDiff d = ConfigDiff.between(before, after);
        assertEquals(Set.of("wg0"), d.interfaces().removed().keySet());
        assertEquals(Set.of("lan"), d.dhcpPools().removed().keySet());
        assertFalse(d.peers().containsKey("wg0"));
    }
}
