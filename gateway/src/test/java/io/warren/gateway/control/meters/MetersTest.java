package io.warren.gateway.control.meters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Metrics turned on after services registered their meters: the same meters, the same scrape. */
class MetersTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void groupsMadeWhileOffAreRegisteredWhenMetricsAreTurnedOn() {
        Meters hub = Meters.off();
        AtomicLong things = new AtomicLong(3);
        MeterGroup early = new MeterGroup(hub, MeterTags.of("interface", "x"))
                .counter("warren.test.things", "Things", null, MeterTags.of("kind", "a"), things, AtomicLong::get)
                .gauge("warren.test.level", "Level", null, MeterTags.empty(), things, t -> t.get() * 2);
        MeterGroup gone = new MeterGroup(hub, MeterTags.empty())
                .counter("warren.test.gone", "Closed before metrics were on", null, MeterTags.empty(), things, AtomicLong::get);
        gone.close();
        assertNull(hub.registry());
        assertEquals(2, early.size());

        PrometheusMeterRegistry registry = MetricsServer.newRegistry();
        assertSame(registry, hub.enable(() -> registry));
        assertSame(registry, hub.enable(() -> {
            throw new AssertionError("made twice");
        }));
        MeterGroup late = new MeterGroup(hub, MeterTags.of("interface", "y"))
                .counter("warren.test.things", "Things", null, MeterTags.of("kind", "b"), things, AtomicLong::get);
        String scrape = registry.scrape();
        assertEquals(3.0, Scrapes.require(scrape, "warren_test_things_total{interface=\"x\",kind=\"a\"}"), scrape);
        assertEquals(3.0, Scrapes.require(scrape, "warren_test_things_total{interface=\"y\",kind=\"b\"}"), scrape);
        assertEquals(6.0, Scrapes.require(scrape, "warren_test_level{interface=\"x\"}"), scrape);
        assertFalse(scrape.contains("warren_test_gone"), scrape);

        early.close();
        late.close();
        assertTrue(registry.getMeters().isEmpty(), "closing the groups removes every meter");
    }

    @Test
    void wireGuardMetersTurnedOnLateScrapeAsIfOnFromTheStart() throws Exception {
        try (Transports transports = Transports.create(1);
             WireGuardInterface wg = new WireGuardInterface("mt0", new MemoryTunDevice("mt0"), 1420, transports)) {
            wg.reconcile(new DeviceState(Optional.of(UapiKey.of(NoisePrivateKey.generate(RANDOM).bytes())), 0, 0,
                    List.of(peer("10.0.0.1/32"), peer("10.0.0.2/32"))));
            WarrenConfig config = new ConfigParser(SecretFiles.LOCAL, Path.of("/"))
                    .parse("test.toml", "[metrics]\nenabled = false\n").orThrow();

            PrometheusMeterRegistry fromStart = MetricsServer.newRegistry();
            Meters hub = Meters.off();
            PrometheusMeterRegistry late = MetricsServer.newRegistry();
            try (WireGuardMeters on = new WireGuardMeters(fromStart, Clock.systemUTC());
                 WireGuardMeters off = new WireGuardMeters(hub, Clock.systemUTC())) {
                on.sync(Map.of("mt0", wg), config);
                off.sync(Map.of("mt0", wg), config);
                hub.enable(() -> late);
                String expected = fromStart.scrape();
                assertTrue(expected.contains("warren_peer_sent_bytes_total{"), expected);
                assertTrue(expected.contains("warren_interface_dropped_packets_total{"), expected);
                assertEquals(expected, late.scrape());
            }
            assertFalse(late.scrape().contains("warren_"), late.scrape());
        }
    }

    private static PeerState peer(String allowed) {
        byte[] key = NoisePrivateKey.generate(RANDOM).publicKey().bytes();
        return new PeerState(UapiKey.of(key), UapiKey.ZERO, Optional.empty(),
                0, 0, 0, 0, 0, List.of(AllowedIp.parse(allowed).orElseThrow()));
    }
}
