package io.warren.gateway.dhcp;

/**
 * Maps lease expiry between the core's monotonic nanoseconds and the journal's wall-clock
 * milliseconds, using one (monotonic, wall) reading pair taken by the shell.
 */
record LeaseClock(long nowNanos, long nowWallMillis) {

    long toWallMillis(long expiresAtNanos) {
        return nowWallMillis + (expiresAtNanos - nowNanos) / 1_000_000L;
    }

    long toNanos(long expiresWallMillis) {
        return nowNanos + (expiresWallMillis - nowWallMillis) * 1_000_000L;
    }
}
