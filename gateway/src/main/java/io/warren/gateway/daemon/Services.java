package io.warren.gateway.daemon;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.warren.gateway.metrics.MetricsServer;
import java.util.List;

/** The production service list, in start order. */
final class Services {
    private Services() {
    }

    static List<Service> standard() {
        PrometheusMeterRegistry registry = MetricsServer.newRegistry();
        return List.of(new MetricsService(registry), WireGuardService.standard());
    }
}
