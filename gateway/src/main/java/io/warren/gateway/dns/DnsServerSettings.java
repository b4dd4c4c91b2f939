package io.warren.gateway.dns;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Tunables of {@link DnsServer} that {@link io.warren.gateway.config.DnsConfig} does not carry.
 *
 * @param forwarder          attempts and source socket pool size (its in-flight limit and attempt timeout
 *                           are replaced by {@link io.warren.gateway.config.DnsConfig#maxForwards()} and
 *                           {@link io.warren.gateway.config.DnsConfig#upstreamTimeout()})
 * @param localTtlSeconds    TTL of local names (DHCP leases, peers, static hosts)
 * @param localNegativeTtlSeconds SOA MINIMUM for NXDOMAIN/NODATA inside local domains
 * @param maxTcpClients      concurrent client TCP connections; more are closed at once
 * @param tcpIdleTimeout     client TCP connections idle this long are closed (RFC 7766 §6.2.3)
 * @param resolvConf         where to read upstreams when the configuration names neither upstreams nor a
 *                           resolv-file
 * @param threads            event loops; each owns a resolver (cache, forwarder, source sockets) and its
 *                           own SO_REUSEPORT UDP socket per listen address, so the kernel spreads clients
 *                           over them (epoll only; NIO uses one). TCP is served by the first loop
 */
public record DnsServerSettings(ForwarderSettings forwarder, long localTtlSeconds, long localNegativeTtlSeconds,
        int maxTcpClients, Duration tcpIdleTimeout, Path resolvConf, int threads) {

    /**
     * Defaults: {@link ForwarderSettings#DEFAULTS}, local TTL 5 s, local negative TTL 60 s, 256 TCP clients,
     * 10 s idle, one event loop.
     */
    public static final DnsServerSettings DEFAULTS = new DnsServerSettings(ForwarderSettings.DEFAULTS, 5, 60, 256,
            Duration.ofSeconds(10), Path.of("/etc/resolv.conf"), 1);

    public DnsServerSettings {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads " + threads + " not in 1..64");
        }
    }

    /** @return a copy with other forwarder settings */
    public DnsServerSettings withForwarder(ForwarderSettings f) {
        return new DnsServerSettings(f, localTtlSeconds, localNegativeTtlSeconds, maxTcpClients, tcpIdleTimeout,
                resolvConf, threads);
    }

    /** @return a copy reading upstreams from another resolv.conf */
    public DnsServerSettings withResolvConf(Path p) {
        return new DnsServerSettings(forwarder, localTtlSeconds, localNegativeTtlSeconds, maxTcpClients,
                tcpIdleTimeout, p, threads);
    }

    /** @return a copy with {@code n} event loops */
    public DnsServerSettings withThreads(int n) {
        return new DnsServerSettings(forwarder, localTtlSeconds, localNegativeTtlSeconds, maxTcpClients,
                tcpIdleTimeout, resolvConf, n);
    }
}
