package io.warren.gateway.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * {@code [metrics]}: the Prometheus scrape endpoint.
 *
 * <p>Default port 9587, not 9586: 9586 is the default of prometheus_wireguard_exporter, which
 * admins commonly run on WireGuard boxes.
 *
 * @param enabled whether to serve {@code /metrics}
 * @param listen  TCP address to listen on
 */
public record MetricsConfig(boolean enabled, InetSocketAddress listen) {

    /** Default scrape port. */
    public static final int DEFAULT_PORT = 9587;

    /** Enabled on loopback only. */
    public static final MetricsConfig DEFAULT =
            new MetricsConfig(true, new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT));
}
