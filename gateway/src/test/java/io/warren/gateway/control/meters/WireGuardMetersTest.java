package io.warren.gateway.control.meters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.gateway.config.ConfigParser;
import io.warren.gateway.config.SecretFiles;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.metrics.MetricsServer;
import io.warren.gateway.transport.Transports;
import io.warren.gateway.transport.WireGuardInterface;
import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.DeviceState;
import io.warren.gateway.uapi.PeerState;
import io.warren.gateway.uapi.UapiKey;
import io.warren.tun.testing.MemoryTunDevice;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The WireGuard meters: per-interface meters and the per-peer families built at scrape time. */
class WireGuardMetersTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Transports transports;
    private WireGuardInterface wg;
    private final PrometheusMeterRegistry registry = MetricsServer.newRegistry();
    private final String alice = key();
    private final String bob = key();
    private final String carol = key();

    @BeforeEach
    void setUp() throws Exception {
        transports = Transports.create(1);
        wg = new WireGuardInterface("wm0", new MemoryTunDevice("wm0"), 1420, transports);
        wg.reconcile(new DeviceState(Optional.of(UapiKey.of(NoisePrivateKey.generate(RANDOM).bytes())), 0, 0,
                List.of(peer(alice, "10.0.0.1/32"), peer(bob, "10.0.0.2/32"), peer(carol, "10.0.0.3/32"))));
    }

    @AfterEach
    void tearDown() {
        wg.close();
        transports.close();
    }

    @Test
    void peersAreScrapedByNameElseKeyAndGoWithTheirInterface() throws Exception {
        // alice is named; bob and carol are labelled by their keys.
        WarrenConfig config = config("""
                [interface.wm0]
                private-key = "%s"
                [[interface.wm0.peer]]
                name = "twin"
                public-key = "%s"
                allowed-ips = ["10.0.0.1/32"]
                [[interface.wm0.peer]]
                public-key = "%s"
                allowed-ips = ["10.0.0.2/32"]
                [[interface.wm0.peer]]
                public-key = "%s"
                allowed-ips = ["10.0.0.3/32"]
                """.formatted(key(), alice, bob, carol));
        try (WireGuardMeters meters = new WireGuardMeters(registry, Clock.systemUTC())) {
            meters.sync(Map.of("wm0", wg), config);
            String scrape = registry.scrape();
            String twin = "{interface=\"wm0\",peer=\"twin\"}";
            String byKey = "{interface=\"wm0\",peer=\"" + carol + "\"}";
            for (String family : List.of("warren_peer_received_bytes_total", "warren_peer_sent_bytes_total",
                    "warren_peer_received_packets_total", "warren_peer_sent_packets_total", "warren_peer_handshakes_total")) {
                assertEquals(0.0, Scrapes.require(scrape, family + twin), family);
                assertEquals(0.0, Scrapes.require(scrape, family + byKey), family);
                assertTrue(scrape.contains("# TYPE " + family + " counter"), scrape);
            }
            assertEquals(3, scrape.lines().filter(l -> l.startsWith("warren_peer_sent_bytes_total{")).count(), scrape);
            assertTrue(Scrapes.value(scrape, "warren_peer_sent_bytes_total{interface=\"wm0\",peer=\"" + bob + "\"}").isPresent(), scrape);
            assertTrue(Double.isNaN(Scrapes.require(scrape, "warren_peer_latest_handshake_age_seconds" + twin)));
            assertTrue(scrape.contains("# TYPE warren_peer_latest_handshake_age_seconds gauge"), scrape);
            assertEquals(1.0, Scrapes.require(scrape, "warren_peer_path{interface=\"wm0\",path=\"direct\",peer=\"twin\"}"));
            assertEquals(0.0, Scrapes.require(scrape, "warren_peer_path{interface=\"wm0\",path=\"via-hub\",peer=\"twin\"}"));
            assertEquals(3.0, Scrapes.require(scrape, "warren_interface_peers{interface=\"wm0\"}"));
            Scrapes.promtoolCheck(scrape);

            meters.sync(Map.of(), config);
            String gone = registry.scrape();
            assertFalse(gone.contains("warren_peer_"), gone);
            assertFalse(gone.contains("warren_interface_peers{"), gone);
        }
        assertFalse(registry.scrape().contains("warren_peer_"));
    }

    private static WarrenConfig config(String toml) throws Exception {
        return new ConfigParser(SecretFiles.LOCAL, Path.of("/")).parse("test.toml", toml).orThrow();
    }

    private static PeerState peer(String publicKey, String allowed) {
        return new PeerState(UapiKey.of(Base64.getDecoder().decode(publicKey)), UapiKey.ZERO, Optional.empty(),
                0, 0, 0, 0, 0, List.of(AllowedIp.parse(allowed).orElseThrow()));
    }

    private static String key() {
        return Base64.getEncoder().encodeToString(NoisePrivateKey.generate(RANDOM).publicKey().bytes());
    }
}
