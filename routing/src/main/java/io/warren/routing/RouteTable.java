package io.warren.routing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Static routes for all tunnels and sites of the gateway: several routes may share a prefix; the one
 * with the lowest metric is selected (ties: the earliest added), and removing it reveals the next.
 * Selection between prefixes is longest match (RFC 1812 §5.2.4.3) in the same {@link PrefixTable}
 * implementation that cryptokey routing ({@link AllowedIps}) uses; the table holds the selected
 * {@link Route} per prefix, so a lookup is one trie walk and allocates nothing. No ECMP.
 *
 * <p><b>Concurrency.</b> Lookups are lock-free; changes and listings synchronize on this object.
 */
public final class RouteTable {

    private static final Comparator<Route> BY_METRIC = Comparator.comparingInt(Route::metric);

    private final PrefixTable<Route> selected = new PrefixTable<>();
    /** All routes per prefix, sorted by metric (stable: insertion order within a metric). */
    private final Map<IpPrefix, List<Route>> routes = new TreeMap<>();

    /** Adds a route, or replaces the metric of the route with the same (prefix, target). */
    public synchronized void add(Route route) {
        List<Route> list = routes.computeIfAbsent(route.prefix(), k -> new ArrayList<>(1));
        list.removeIf(r -> r.target().equals(route.target()));
        list.add(route);
        list.sort(BY_METRIC);
        publish(route.prefix(), list);
    }

    /** Removes the route (prefix, target); returns whether it existed. Other routes of the prefix stay. */
    public synchronized boolean remove(IpPrefix prefix, RouteTarget target) {
        List<Route> list = routes.get(prefix);
        if (list == null || !list.removeIf(r -> r.target().equals(target))) {
            return false;
        }
        if (list.isEmpty()) {
            routes.remove(prefix);
        }
        publish(prefix, list);
        return true;
    }

    /** Removes every route to {@code target} (a tunnel or peer went away), in one publication. */
    public synchronized int removeTarget(RouteTarget target) {
        int[] removed = {0};
        selected.update(e -> routes.entrySet().removeIf(entry -> {
            List<Route> list = entry.getValue();
            if (list.removeIf(r -> r.target().equals(target))) {
                removed[0]++;
                if (list.isEmpty()) {
                    e.remove(entry.getKey());
                } else {
                    e.put(entry.getKey(), list.get(0));
                }
            }
            return list.isEmpty();
        }));
        return removed[0];
    }

    private void publish(IpPrefix prefix, List<Route> list) {
        if (list.isEmpty()) {
            selected.remove(prefix);
        } else if (selected.get(prefix) != list.get(0)) {
            selected.put(prefix, list.get(0));
        }
    }

    /** Routes of exactly {@code prefix}, best first. */
    public synchronized List<Route> routes(IpPrefix prefix) {
        List<Route> list = routes.get(prefix);
        return list == null ? List.of() : List.copyOf(list);
    }

    /** Every route, by prefix then metric. */
    public synchronized List<Route> all() {
        List<Route> out = new ArrayList<>();
        routes.values().forEach(out::addAll);
        return out;
    }

    /** Number of prefixes with at least one route. */
    public int prefixCount() {
        return selected.size();
    }

    /** The selected route for an IPv4 destination, or null (no route). */
    public Route lookupV4(int dst) {
        return selected.lookupV4(dst);
    }

    /** The selected route for an IPv6 destination, or null. */
    public Route lookupV6(long dstHi, long dstLo) {
        return selected.lookupV6(dstHi, dstLo);
    }

    /** The selected route for the IPv4 address at {@code offset} of {@code buf}; null if none or out of range. */
    public Route lookupV4(ByteBuffer buf, int offset) {
        return selected.lookupV4(buf, offset);
    }

    /** The selected route for the IPv6 address at {@code offset} of {@code buf}; null if none or out of range. */
    public Route lookupV6(ByteBuffer buf, int offset) {
        return selected.lookupV6(buf, offset);
    }
}
