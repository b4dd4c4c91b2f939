package io.warren.gateway.config;

/**
 * A {@code [[route]]}: a static route. A route is identified by prefix and next hop, so the same
 * prefix may appear twice with different metrics (primary and backup path).
 *
 * @param prefix destination network (host bits must be zero)
 * @param via    next hop
 * @param metric lower wins; default 100
 */
public record RouteConfig(IpPrefix prefix, RouteVia via, int metric) {

    /** Metric used when none is given. */
    public static final int DEFAULT_METRIC = 100;

    /** The identity of a route across reloads: its prefix and next hop. */
    public record Key(IpPrefix prefix, String via) {
    }

    /** This route's identity. */
    public Key key() {
        return new Key(prefix, via.toString());
    }
}
