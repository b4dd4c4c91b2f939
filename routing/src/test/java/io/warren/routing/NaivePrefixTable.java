package io.warren.routing;

import java.util.HashMap;
import java.util.Map;

/** The reference for the randomized tests: prefix -> value, longest match by scanning all of them. */
final class NaivePrefixTable {

    final Map<IpPrefix, Integer> map = new HashMap<>();

    Integer lookup(IpPrefix host) {
        IpPrefix best = null;
        for (IpPrefix p : map.keySet()) {
            if (p.contains(host) && (best == null || p.length() > best.length())) {
                best = p;
            }
        }
        return best == null ? null : map.get(best);
    }
}
