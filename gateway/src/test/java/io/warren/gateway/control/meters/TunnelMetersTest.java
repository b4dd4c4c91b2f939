package io.warren.gateway.control.meters;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.warren.gateway.tunnel.Tunnel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TunnelMetersTest {
    /** A tunnel whose counters the test sets. */
    static final class FakeTunnel implements Tunnel {
        final Map<String, Long> counters = new LinkedHashMap<>();

        @Override
        public String name() {
            return "site-b";
        }

        @Override
        public Map<String, Long> counters() {
            return Map.copyOf(counters);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void countersBecomeLabelledSeriesAndGoAwayWithTheTunnel() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FakeTunnel t = new FakeTunnel();
        t.counters.put("tx_packets", 7L);
        t.counters.put("rx_packets", 5L);
        t.counters.put("tx_bytes", 7000L);
        t.counters.put("rx_bytes", 5000L);
        t.counters.put("drop_bad_key", 2L);
        t.counters.put("icmp_too_big_sent", 1L);
        TunnelMeters meters = new TunnelMeters(registry);
        meters.register(t);
        t.counters.put("tx_packets", 9L);
        String scrape = registry.scrape();
        assertTrue(scrape.contains("warren_tunnel_packets_total{direction=\"tx\",tunnel=\"site-b\"} 9.0"), scrape);
        assertTrue(scrape.contains("warren_tunnel_packets_total{direction=\"rx\",tunnel=\"site-b\"} 5.0"), scrape);
        assertTrue(scrape.contains("warren_tunnel_bytes_total{direction=\"tx\",tunnel=\"site-b\"} 7000.0"), scrape);
        assertTrue(scrape.contains("warren_tunnel_dropped_packets_total{reason=\"bad_key\",tunnel=\"site-b\"} 2.0"), scrape);
        assertTrue(scrape.contains("warren_tunnel_events_total{event=\"icmp_too_big_sent\",tunnel=\"site-b\"} 1.0"), scrape);
        meters.unregister("site-b");
        assertFalse(registry.scrape().contains("warren_tunnel"), "the tunnel's series are gone");
    }
}
