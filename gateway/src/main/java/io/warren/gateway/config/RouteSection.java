package io.warren.gateway.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Parses the {@code [[route]]} entries. */
final class RouteSection {
    static final Set<String> KEYS = Set.of("prefix", "via", "metric");

    private final Problems problems;

    RouteSection(Problems problems) {
        this.problems = problems;
    }

    /**
     * Routes, plus every next hop that parsed (even of routes dropped for another error) with its
     * section, so references are checked for all of them.
     */
    record Parsed(List<RouteConfig> routes, List<Map.Entry<RouteVia, Section>> vias) {
    }

    Parsed parseAll(Section root) {
        List<RouteConfig> routes = new ArrayList<>();
        List<Map.Entry<RouteVia, Section>> vias = new ArrayList<>();
        Map<RouteConfig.Key, Integer> seen = new HashMap<>();
        Optional<ConfigArray> array = root.tables("route");
        if (array.isEmpty()) {
            return new Parsed(routes, vias);
        }
        ConfigArray a = array.get();
        for (int i = 0; i < a.size(); i++) {
            int line = a.lineOf(i);
            Section s = new Section(problems, a.getTable(i), "route #" + (i + 1), line);
            s.rejectUnknownKeys(KEYS);
            boolean complete = s.require("prefix") & s.require("via");
            Optional<IpPrefix> prefix = s.value("prefix", IpPrefix::parse, "an IP prefix");
            prefix.filter(p -> !p.isNetwork()).ifPresent(p ->
                    s.error("prefix", "\"" + p + "\" has host bits set; did you mean " + p.network() + "?"));
            Optional<RouteVia> via = s.value("via", RouteVia::parse,
                    "a next hop (tunnel:NAME, interface:NAME, peer:INTERFACE/PEER, blackhole or local)");
            via.ifPresent(v -> vias.add(Map.entry(v, s)));
            int metric = s.integer("metric", 0, 0xffff_ffffL).map(Long::intValue).orElse(RouteConfig.DEFAULT_METRIC);
            if (!complete || prefix.isEmpty() || via.isEmpty() || !prefix.get().isNetwork()) {
                continue;
            }
            RouteConfig r = new RouteConfig(prefix.get(), via.get(), metric);
            Integer before = seen.putIfAbsent(r.key(), line);
            if (before != null) {
                s.error("prefix", "duplicate route to " + r.prefix() + " via " + r.via() + " (first at line " + before + ")");
                continue;
            }
            routes.add(r);
        }
        return new Parsed(routes, vias);
    }
}
