package io.warren.gateway.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code [dns]} forwarder/cache. Absent section = DNS service off.
 *
 * @param enabled         whether to run the forwarder
 * @param listen          addresses to answer on (port 53 unless given)
 * @param upstreams       default upstream servers
 * @param domainUpstreams per-domain upstreams ({@code [dns.domains]}), longest suffix wins
 * @param localDomain     domain for peer names and DHCP host names, answered locally
 * @param hostsFiles      extra hosts(5) files
 * @param cacheSize       maximum cached records (0 = no cache)
 */
public record DnsConfig(
        boolean enabled,
        List<InetSocketAddress> listen,
        List<InetSocketAddress> upstreams,
        Map<String, List<InetSocketAddress>> domainUpstreams,
        Optional<String> localDomain,
        List<Path> hostsFiles,
        int cacheSize) {

    /** dnsmasq's default cache size. */
    public static final int DEFAULT_CACHE_SIZE = 150;

    /** DNS off. */
    public static final DnsConfig DISABLED =
            new DnsConfig(false, List.of(), List.of(), Map.of(), Optional.empty(), List.of(), DEFAULT_CACHE_SIZE);

    public DnsConfig {
        listen = List.copyOf(listen);
        upstreams = List.copyOf(upstreams);
        domainUpstreams = Ordered.copy(domainUpstreams);
        hostsFiles = List.copyOf(hostsFiles);
    }
}
