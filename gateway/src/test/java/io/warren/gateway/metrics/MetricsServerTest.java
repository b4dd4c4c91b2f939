package io.warren.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    @Test
    void servesTheRegistryOnLoopback() throws Exception {
        PrometheusMeterRegistry registry = MetricsServer.newRegistry();
        registry.counter("warren_test_packets", "peer", "laptop").increment(3);
        try (MetricsServer server = MetricsServer.start(registry,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.address().getPort();
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertEquals(MetricsServer.CONTENT_TYPE, ok.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(ok.body().contains("warren_test_packets_total{peer=\"laptop\"} 3.0"), ok.body());

            HttpResponse<String> missing = client.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }
}
