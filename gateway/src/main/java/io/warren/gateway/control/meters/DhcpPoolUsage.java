package io.warren.gateway.control.meters;

import io.warren.gateway.config.DhcpHost;
import io.warren.gateway.config.DhcpPoolConfig;
import io.warren.gateway.dhcp.DhcpLease;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How full each DHCP pool is, computed from the pools' config and a list of bound leases (sans-I/O).
 *
 * <p>A pool's dynamic addresses are its range minus the static hosts' addresses in it (the server
 * never hands those out dynamically). <em>Leases</em> counts every bound lease of the pool, static
 * ones included; <em>free</em> is the dynamic addresses not held by a dynamic lease. Pending offers
 * and declined addresses in quarantine are not leases, so they still count as free. Immutable.
 */
final class DhcpPoolUsage {

    /** One pool's numbers. */
    record Usage(int leases, long free) {
    }

    private record Pool(long start, long end, long dynamic) {
        boolean inRange(long a) {
            return a >= start && a <= end;
        }
    }

    private final Map<String, Pool> pools = new LinkedHashMap<>();

    DhcpPoolUsage(List<DhcpPoolConfig> configs) {
        for (DhcpPoolConfig c : configs) {
            long start = ipv4(c.rangeStart());
            long end = ipv4(c.rangeEnd());
            Set<Long> statics = new HashSet<>();
            for (DhcpHost h : c.hosts()) {
                long a = ipv4(h.address());
                if (a >= start && a <= end) {
                    statics.add(a);
                }
            }
            pools.put(c.name(), new Pool(start, end, Math.max(0, end - start + 1 - statics.size())));
        }
    }

    /** The pool names, in config order. */
    Set<String> names() {
        return pools.keySet();
    }

    /** Every pool's usage given the bound {@code leases}; leases of unknown pools are ignored. */
    Map<String, Usage> count(List<DhcpLease> leases) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        pools.keySet().forEach(n -> counts.put(n, new int[2]));
        for (DhcpLease l : leases) {
            Pool p = pools.get(l.pool());
            if (p == null) {
                continue;
            }
            int[] c = counts.get(l.pool());
            c[0]++;
            if (!l.staticLease() && p.inRange(ipv4(l.address()))) {
                c[1]++;
            }
        }
        Map<String, Usage> out = new LinkedHashMap<>();
        counts.forEach((n, c) -> out.put(n, new Usage(c[0], Math.max(0, pools.get(n).dynamic() - c[1]))));
        return out;
    }

    private static long ipv4(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + a.getHostAddress());
        }
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }
}
