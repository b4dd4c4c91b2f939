package io.warren.gateway.daemon;

import io.warren.gateway.config.ConfigDiff;
import io.warren.gateway.config.MetricsConfig;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.control.meters.Meters;
import io.warren.gateway.metrics.MetricsServer;
import java.io.IOException;
import java.util.logging.Logger;

/**
 * Serves the shared registry at {@code [metrics].listen}; a changed address rebinds. The registry is
 * made (and Micrometer loaded) when metrics are first enabled, at start or at a reload ({@link Meters}).
 */
final class MetricsService implements Service {
    private static final Logger LOG = Logger.getLogger(MetricsService.class.getName());

    private final Meters meters;
    private MetricsServer server;

    MetricsService(Meters meters) {
        this.meters = meters;
    }

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public void start(WarrenConfig config) throws IOException {
        bind(config.metrics());
    }

    @Override
    public void apply(WarrenConfig previous, WarrenConfig next, ConfigDiff diff) throws IOException {
        if (diff.metrics().isEmpty()) {
            return;
        }
        close();
        bind(next.metrics());
    }

    private void bind(MetricsConfig config) throws IOException {
        if (!config.enabled()) {
            LOG.info("metrics disabled");
            return;
        }
        server = MetricsServer.start(meters, config.listen());
        LOG.info("metrics on http://" + hostPort(server) + "/metrics");
    }

    private static String hostPort(MetricsServer s) {
        String host = s.address().getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + s.address().getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
