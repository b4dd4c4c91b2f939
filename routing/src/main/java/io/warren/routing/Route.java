package io.warren.routing;

import java.util.Objects;

/**
 * A static route: destination prefix, target and metric (lower is preferred, as the Linux
 * "metric"/RFC 1812 §5.2.4.3 administrative preference). A route is identified by
 * (prefix, target): adding the same pair again replaces its metric.
 */
public record Route(IpPrefix prefix, RouteTarget target, int metric) {

    public Route {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(target, "target");
        if (metric < 0) {
            throw new IllegalArgumentException("metric must be >= 0, got " + metric);
        }
    }

    @Override
    public String toString() {
        return prefix + " -> " + target + " metric " + metric;
    }
}
