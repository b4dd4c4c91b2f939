package io.warren.gateway.dns;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.xbill.DNS.Name;

/**
 * Split DNS: picks the upstream list for a question name. A name at or below a configured domain
 * goes to that domain's upstreams; the longest (most labels) matching domain wins; otherwise the
 * default upstreams. Matching is per label and case-insensitive ({@code corp.example} does not
 * match {@code xcorp.example}). Immutable.
 */
public final class UpstreamSelector {
    private final List<InetSocketAddress> defaults;
    private final Map<Name, List<InetSocketAddress>> byDomain;
    private final int longestDomain;

    /**
     * @param defaults upstreams for names outside every configured domain (may be empty)
     * @param byDomain upstreams per absolute domain name
     */
    public UpstreamSelector(List<InetSocketAddress> defaults, Map<Name, List<InetSocketAddress>> byDomain) {
        this.defaults = List.copyOf(defaults);
        Map<Name, List<InetSocketAddress>> copy = new HashMap<>();
        int longest = 0;
        for (Map.Entry<Name, List<InetSocketAddress>> e : byDomain.entrySet()) {
            if (!e.getKey().isAbsolute()) {
                throw new IllegalArgumentException("split-DNS domain not absolute: " + e.getKey());
            }
            copy.put(e.getKey(), List.copyOf(e.getValue()));
            longest = Math.max(longest, e.getKey().labels());
        }
        this.byDomain = Map.copyOf(copy);
        this.longestDomain = longest;
    }

    /** @return the upstreams for {@code qname}, possibly empty */
    public List<InetSocketAddress> select(Name qname) {
        if (!byDomain.isEmpty()) {
            int labels = qname.labels();
            for (int strip = Math.max(0, labels - longestDomain); strip < labels; strip++) {
                List<InetSocketAddress> hit = byDomain.get(strip == 0 ? qname : new Name(qname, strip));
                if (hit != null) {
                    return hit;
                }
            }
        }
        return defaults;
    }

    /** @return the default upstreams */
    public List<InetSocketAddress> defaults() {
        return defaults;
    }
}
