package io.warren.testlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LabNamesTest {

    @Test
    void netnsNameEncodesCreatorPid() {
        String n = LabNames.netns(4194303, 7, "nat");
        assertEquals("wl4194303-7-nat", n);
        assertEquals(Optional.of(4194303L), LabNames.netnsCreator(n));
    }

    @Test
    void foreignNamespacesAreNotRecognised() {
        assertEquals(Optional.empty(), LabNames.netnsCreator("blue"));
        assertEquals(Optional.empty(), LabNames.netnsCreator("wlan0"));
        assertEquals(Optional.empty(), LabNames.netnsCreator("wl12-x"));
        assertEquals(Optional.empty(), LabNames.netnsCreator("wl99999999999999999999999-1-a"));
    }

    @Test
    void badShortNameRejected() {
        assertThrows(IllegalArgumentException.class, () -> LabNames.netns(1, 1, "a/b"));
        assertThrows(IllegalArgumentException.class, () -> LabNames.netns(1, 1, ""));
    }

    @Test
    void interfaceNamesFitIfnamsizAndAreUniqueAndParsable() {
        Set<String> seen = new HashSet<>();
        for (int seq = 1; seq < 5000; seq++) {
            String n = LabNames.ifname("wireguard", 4194303, seq);
            assertTrue(n.length() <= 15, n);
            assertTrue(seen.add(n), n);
            assertEquals(Optional.of(4194303L), LabNames.ifnameCreator(n));
        }
        assertEquals("wg-3f-2", LabNames.ifname("WG", 123, 2));
    }

    @Test
    void staleNamespacesAreOnlyThoseWithDeadCreators() {
        String list = "wl100-1-a (id: 3)\nwl200-2-b\nblue (id: 1)\nwl100-3-nat\n\n";
        List<String> stale = StaleSweeper.staleNamespaces(list, pid -> pid == 200);
        assertEquals(List.of("wl100-1-a", "wl100-3-nat"), stale);
    }

    @Test
    void ipv4CidrNumbersHosts() {
        Ipv4Cidr c = Ipv4Cidr.parse("10.7.3.9/24");
        assertEquals("10.7.3.1", c.host(1));
        assertEquals("10.7.3.2/24", c.hostCidr(2));
        assertEquals("10.255.255.254", Ipv4Cidr.parse("10.255.255.252/30").host(2));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse("10.0.0.0/31"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse("10.0.0/24"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse("10.0.0.256/24"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse("10.0.0.0"));
    }

    @Test
    void natRulesetMasqueradesOnWanAndRandomisesWhenSymmetric() {
        assertTrue(NatBox.ruleset("wan0", false).contains("oifname \"wan0\" masquerade\n"));
        assertTrue(NatBox.ruleset("wan0", true).contains("oifname \"wan0\" masquerade random\n"));
    }

    @Test
    void missingToolMessageNamesDebianPackage() {
        String m = Tools.missingMessage("nft");
        assertTrue(m.contains("'nft'") && m.contains("nftables"), m);
        assertTrue(Tools.find("definitely-not-a-tool-xyz").isEmpty());
        assertTrue(Tools.find("sh").isPresent());
    }
}
