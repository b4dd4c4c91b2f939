package io.warren.gateway.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code [dns]} forwarder/cache. Absent section = DNS service off.
 *
 * @param enabled         whether to run the forwarder
 * @param listen          addresses to answer on (port 53 unless given)
 * @param upstreams       default upstream servers; empty = read them from {@code resolvFile}
 * @param domainUpstreams per-domain upstreams ({@code [dns.domains]}), longest suffix wins (split DNS)
 * @param localDomain     domain for peer names and DHCP host names, answered locally
 * @param hostsFiles      extra hosts(5) files
 * @param cacheSize       maximum cached answers (0 = no cache)
 * @param leaseDomain     domain of DHCP lease and static-host names, if not {@code localDomain}
 * @param peerDomain      domain of VPN peer names, if not {@code localDomain}
 * @param resolvFile      where to read default upstreams ({@code nameserver} lines) when
 *                        {@code upstreams} is empty, like dnsmasq without {@code no-resolv}
 * @param upstreamTimeout how long one upstream attempt may take before the next upstream is tried
 * @param maxForwards     queries waiting for upstreams at once; beyond it clients get SERVFAIL
 * @param maxNegativeTtl  longest time an NXDOMAIN/NODATA answer is cached (RFC 2308 §5); 0 = never
 * @param records         static records ({@code [[dns.record]]})
 */
public record DnsConfig(
        boolean enabled,
        List<InetSocketAddress> listen,
        List<InetSocketAddress> upstreams,
        Map<String, List<InetSocketAddress>> domainUpstreams,
        Optional<String> localDomain,
        List<Path> hostsFiles,
        int cacheSize,
        Optional<String> leaseDomain,
        Optional<String> peerDomain,
        Path resolvFile,
        Duration upstreamTimeout,
        int maxForwards,
        Duration maxNegativeTtl,
        List<DnsRecord> records) {

    /** dnsmasq's default cache size. */
    public static final int DEFAULT_CACHE_SIZE = 150;
    /** Where upstreams come from when none are configured. */
    public static final Path DEFAULT_RESOLV_FILE = Path.of("/etc/resolv.conf");
    /** One second per upstream attempt. */
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(1);
    /** Queries forwarded at once. */
    public static final int DEFAULT_MAX_FORWARDS = 4096;
    /** RFC 2308 §5 recommends one to three hours at most. */
    public static final Duration DEFAULT_MAX_NEGATIVE_TTL = Duration.ofHours(1);

    /** DNS off. */
    public static final DnsConfig DISABLED =
            new DnsConfig(false, List.of(), List.of(), Map.of(), Optional.empty(), List.of(), DEFAULT_CACHE_SIZE);

    public DnsConfig {
        listen = List.copyOf(listen);
        upstreams = List.copyOf(upstreams);
        domainUpstreams = Ordered.copy(domainUpstreams);
        hostsFiles = List.copyOf(hostsFiles);
        records = List.copyOf(records);
    }

    /** The forwarder with every newer knob at its default. */
    public DnsConfig(boolean enabled, List<InetSocketAddress> listen, List<InetSocketAddress> upstreams,
            Map<String, List<InetSocketAddress>> domainUpstreams, Optional<String> localDomain, List<Path> hostsFiles,
            int cacheSize) {
        this(enabled, listen, upstreams, domainUpstreams, localDomain, hostsFiles, cacheSize, Optional.empty(),
                Optional.empty(), DEFAULT_RESOLV_FILE, DEFAULT_UPSTREAM_TIMEOUT, DEFAULT_MAX_FORWARDS,
                DEFAULT_MAX_NEGATIVE_TTL, List.of());
    }

    /** @return the domain DHCP lease and static-host names are published under */
    public Optional<String> effectiveLeaseDomain() {
        return leaseDomain.or(() -> localDomain);
    }

    /** @return the domain VPN peer names are published under */
    public Optional<String> effectivePeerDomain() {
        return peerDomain.or(() -> localDomain);
    }
}
