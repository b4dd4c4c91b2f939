package io.warren.gateway.daemon;

import io.warren.gateway.config.ConfigDiff;
import io.warren.gateway.config.WarrenConfig;

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
     * Applies a reload. {@code diff} says what differs between {@code previous} and
     * {@code next}; a service with nothing to do in it returns at once. Must leave untouched parts
     * running (sessions, tunnels, leases).
     */
    void apply(WarrenConfig previous, WarrenConfig next, ConfigDiff diff) throws Exception;

    /** Stops and releases everything; never throws. */
    @Override
    void close();
}
