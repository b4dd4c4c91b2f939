package io.warren.gateway.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.warren.gateway.control.meters.Meters;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a {@link PrometheusMeterRegistry} in the Prometheus text format at {@code /metrics}.
 * Other paths answer 404; methods other than GET and HEAD answer 405.
 */
public final class MetricsServer implements AutoCloseable {
    /** Content type of the Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(PrometheusMeterRegistry registry, HttpServer server, ExecutorService executor) {
        this.registry = registry;
        this.server = server;
        this.executor = executor;
    }

    /** A registry with Warren's defaults. */
    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /**
     * Turns {@code meters} on (with a {@link #newRegistry() new registry} if they are off), binds
     * {@code address} and serves their registry, which must be a Prometheus one.
     */
    public static MetricsServer start(Meters meters, InetSocketAddress address) throws IOException {
        if (!(meters.enable(MetricsServer::newRegistry) instanceof PrometheusMeterRegistry registry)) {
            throw new IllegalStateException("metrics are on with a registry that is not a Prometheus one");
        }
        return start(registry, address);
    }

    /** Binds {@code address} (port 0 picks a free port) and starts serving. */
    public static MetricsServer start(PrometheusMeterRegistry registry, InetSocketAddress address)
            throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "warren-metrics");
            t.setDaemon(true);
            return t;
        });
        MetricsServer metrics = new MetricsServer(registry, server, executor);
        server.createContext("/", metrics::handle);
        server.setExecutor(executor);
        server.start();
        return metrics;
    }

    /** The bound address (with the chosen port). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!"/metrics".equals(exchange.getRequestURI().getPath())) {
                reply(exchange, 404, "not found: try /metrics\n", !"HEAD".equals(method));
                return;
            }
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "method not allowed\n", true);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            reply(exchange, 200, registry.scrape(), !"HEAD".equals(method));
        }
    }

    private static void reply(HttpExchange exchange, int status, String body, boolean withBody)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        exchange.sendResponseHeaders(status, withBody ? bytes.length : -1);
        if (withBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
