package io.warren.gateway.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.gateway.transport.Transports;
import io.warren.gateway.transport.WireGuardInterface;
import io.warren.gateway.uapi.DeviceState;
import io.warren.gateway.uapi.UapiKey;
import io.warren.tun.testing.MemoryTunDevice;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A reload builds the interface's new coordination agent before the old one is gone: the old
 * agent ticking or closing afterwards must not overwrite or clear the new one's published paths.
 */
class PeerPathsReloadTest {
    private static final String IFACE = "wgcfgpp0";
    private final byte[] spoke = NoisePrivateKey.generate(new SecureRandom()).publicKey().bytes();

    private static CoordinationAgent agent(WireGuardInterface wg) throws Exception {
        return new CoordinationAgent(wg, InetAddress.getByName("10.0.0.1"), () -> DeviceState.EMPTY, System::nanoTime,
                null, null, Set.of(), new CoordCounters(), () -> MappingBehaviour.UNKNOWN);
    }

    private List<SpokeCoordinator.Remote> remotes(PeerPath path) {
        return List.of(new SpokeCoordinator.Remote(UapiKey.of(spoke), new InetSocketAddress("192.0.2.7", 51820),
                List.of(), path));
    }

    @Test
    void anOldAgentClosingAfterTheNewOneStartedLeavesTheNewPaths() throws Exception {
        try (Transports transports = Transports.create(1);
                WireGuardInterface wg = new WireGuardInterface(IFACE, new MemoryTunDevice(IFACE), 1420, transports)) {
            CoordinationAgent old = agent(wg);
            PeerPaths.publish(IFACE, old, remotes(PeerPath.PROBING));
            assertEquals(PeerPath.PROBING, PeerPaths.of(IFACE, spoke));

            CoordinationAgent next = agent(wg); // the reload's agent
            assertEquals(PeerPath.DIRECT, PeerPaths.of(IFACE, spoke), "a new agent starts from nothing");
            PeerPaths.publish(IFACE, next, remotes(PeerPath.VIA_HUB));
            PeerPaths.publish(IFACE, old, remotes(PeerPath.PROBING)); // a late tick of the old agent
            assertEquals(PeerPath.VIA_HUB, PeerPaths.of(IFACE, spoke));
            old.close();
            assertEquals(PeerPath.VIA_HUB, PeerPaths.of(IFACE, spoke), "the old agent's close kept the new paths");
            assertEquals(1, PeerPaths.all(IFACE).size());

            next.close();
            assertEquals(PeerPath.DIRECT, PeerPaths.of(IFACE, spoke));
            assertEquals(0, PeerPaths.all(IFACE).size());
        }
    }
}
