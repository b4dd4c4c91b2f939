/**
 * Gateway metrics on the shared Micrometer registry (served by {@code metrics.MetricsServer}):
 * {@link io.warren.gateway.control.meters.Meters}, where services register (the registry is made
 * only when metrics are first enabled, so a daemon with metrics off loads no Micrometer class),
 * {@link io.warren.gateway.control.meters.MeterGroup}, the small registration API for services
 * (meters of one thing, labelled with {@link io.warren.gateway.control.meters.MeterTags},
 * registered together and removed together), and
 * {@link io.warren.gateway.control.meters.WireGuardMeters}, the per-interface meters and the
 * per-peer families, which {@code PeerCollector} builds at scrape time (nothing is kept per peer);
 * {@link io.warren.gateway.control.meters.DhcpMeters} (messages by type, drops and no-replies by
 * reason, leases and free addresses per pool) and {@link io.warren.gateway.control.meters.DnsMeters}
 * (queries, cache, forwarding, upstream latency as a function timer, drops by reason), registered by
 * the LAN service when each server starts and closed when it stops.
 *
 * <p>Meters read counters the data path already keeps (lock-free adders) when scraped; nothing is
 * allocated or looked up per packet. Snapshots that cost more than a counter read (the DHCP counter
 * map, the lease list taken on the DHCP server's thread) are taken at most once a second per scrape
 * ({@code ScrapeCache}). Names follow the Prometheus conventions: {@code warren_}
 * prefix, unit in the name, {@code _total} on counters.
 *
 * <p>Threading: the registry and groups are thread-safe; {@code WireGuardMeters.sync} is called by
 * the daemon's control thread after start and each reload.
 */
package io.warren.gateway.control.meters;
