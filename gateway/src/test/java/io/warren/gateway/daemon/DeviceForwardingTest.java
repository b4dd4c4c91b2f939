package io.warren.gateway.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.tun.link.RecordingLinkConfigurator;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Forwarding held per device by tunnels: switched on by the first holder, restored by the last,
 * a device that already forwarded is never touched, IPv6 written where the kernel has
 * force_forwarding, one warning where it cannot be written, and failures never throw.
 */
class DeviceForwardingTest {
    private final RecordingLinkConfigurator link = new RecordingLinkConfigurator();

    /** force_forwarding per device; absent devices have no such file. */
    private static final class FakeIpv6 implements Ipv6Forwarding {
        final Map<String, Boolean> force = new HashMap<>();
        boolean all;
        boolean readOnly;

        @Override
        public Optional<Boolean> allForwarding() {
            return Optional.of(all);
        }

        @Override
        public Optional<Boolean> forceForwarding(String device) {
            return Optional.ofNullable(force.get(device));
        }

        @Override
        public void setForceForwarding(String device, boolean on) throws IOException {
            if (readOnly || !force.containsKey(device)) {
                throw new IOException("Read-only file system");
            }
            force.put(device, on);
        }
    }

    private final FakeIpv6 v6 = new FakeIpv6();
    private final DeviceForwarding fw = new DeviceForwarding(() -> link, v6);

    @Test
    void firstHolderEnablesLastRestoresAndSharedLanPortsAreCounted() {
        link.addLink("lan0", 1500);
        link.addLink("gre1", 1476);
        link.addLink("gre2", 1476);
        v6.force.put("lan0", false);
        v6.force.put("gre1", false);
        fw.acquire("gre1", List.of("gre1", "lan0"));
        fw.acquire("gre2", List.of("gre2", "lan0"));
        assertTrue(link.link("lan0").ipv4Forwarding() && link.link("gre1").ipv4Forwarding()
                && link.link("gre2").ipv4Forwarding());
        assertTrue(v6.force.get("lan0") && v6.force.get("gre1"));
        assertEquals(Map.of("gre1", 1, "gre2", 1, "lan0", 2), fw.held());

        fw.release("gre1");
        assertTrue(link.link("lan0").ipv4Forwarding(), "gre2 still needs the LAN port");
        assertFalse(link.link("gre1").ipv4Forwarding());
        fw.release("gre2");
        assertFalse(link.link("lan0").ipv4Forwarding(), "restored when the last holder goes");
        assertFalse(v6.force.get("lan0"));
        assertEquals(Map.of(), fw.held());
        fw.release("gre2"); // twice: nothing happens
    }

    @Test
    void aDeviceThatAlreadyForwardedIsLeftAsItWas() {
        link.addLink("lan0", 1500).presetIpv4Forwarding(true);
        v6.all = true;
        fw.acquire("t", List.of("lan0"));
        fw.release("t");
        assertTrue(link.link("lan0").ipv4Forwarding(), "not ours to switch off");
        assertEquals(List.of("ipv4Forwarding lan0"), link.calls());
    }

    @Test
    void failuresAreLoggedNotThrownAndTheRestStillHappens() {
        link.addLink("lan0", 1500);
        v6.readOnly = true;
        v6.force.put("lan0", false);
        fw.acquire("t", List.of("missing0", "lan0"));
        assertTrue(link.link("lan0").ipv4Forwarding(), "the unknown device does not stop the others");
        assertFalse(v6.force.get("lan0"), "read-only /proc/sys: IPv6 left alone (and warned about)");
        link.removeLink("lan0");
        fw.release("t"); // the device vanished meanwhile: no exception
    }

    @Test
    void reacquiringReplacesTheOwnersDevices() {
        link.addLink("lan0", 1500);
        link.addLink("lan1", 1500);
        fw.acquire("t", List.of("lan0"));
        fw.acquire("t", List.of("lan1"));
        assertFalse(link.link("lan0").ipv4Forwarding());
        assertTrue(link.link("lan1").ipv4Forwarding());
    }
}
