/**
 * Gateway metrics on the shared Micrometer registry (served by {@code metrics.MetricsServer}):
 * {@link io.warren.gateway.control.meters.MeterGroup}, the small registration API for services
 * (meters of one thing registered together and removed together), and
 * {@link io.warren.gateway.control.meters.WireGuardMeters}, the per-interface and per-peer meters.
 *
 * <p>Meters read counters the data path already keeps (lock-free adders) when scraped; nothing is
 * allocated or looked up per packet. Names follow the Prometheus conventions: {@code warren_}
 * prefix, unit in the name, {@code _total} on counters.
 *
 * <p>Threading: the registry and groups are thread-safe; {@code WireGuardMeters.sync} is called by
 * the daemon's control thread after start and each reload.
 */
package io.warren.gateway.control.meters;
