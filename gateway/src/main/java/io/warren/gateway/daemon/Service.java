package io.warren.gateway.daemon;

import io.warren.gateway.config.ConfigDiff;
import io.warren.gateway.config.WarrenConfig;
import java.util.List;

/**
 * One part of the running gateway (metrics endpoint, a WireGuard interface set, tunnels, DHCP,
 * DNS...). Started once, then given each successful reload, then closed.
 */
public interface Service extends AutoCloseable {
    /** A short name for logs and status ("metrics", "wireguard", ...). */
    String name();

    /** Starts with the initial configuration; throws when the service cannot start. */
    void start(WarrenConfig config) throws Exception;

    /**
     * Before any service applies a reload: what this service could not run of {@code next} on this
     * machine and can tell without changing anything. Any problem rejects the whole reload (the
     * running configuration is kept), like a config error. Default: nothing to check.
     */
    default List<ReloadProblem> check(WarrenConfig next, ConfigDiff diff) {
        return List.of();
    }

    /**
     * Applies a reload. {@code diff} says what differs between {@code previous} and
     * {@code next}; a service with nothing to do in it returns at once. Must leave untouched parts
     * running (sessions, tunnels, leases). A part that cannot be applied is left running as it was
     * and reported by {@link ApplyFailure} once everything else is applied.
     */
    void apply(WarrenConfig previous, WarrenConfig next, ConfigDiff diff) throws Exception;

    /** Stops and releases everything; never throws. */
    @Override
    void close();
}
