package io.warren.gateway.dhcp;

/**
 * Maps lease expiry between the core's monotonic nanoseconds and the journal's wall-clock
 * milliseconds, using one (monotonic, wall) reading pair taken by the shell.
 */
record LeaseClock(long nowNanos, long nowWallMillis) {

    long toWallMillis(long expiresAtNanos) {
        return nowWallMillis + (expiresAtNanos - nowNanos) / 1_000_000L;
    }

    /** At most this far (about 73 years) from now, so that differences of nanosecond times never wrap. */
    private static final long MAX_MILLIS = Long.MAX_VALUE / 4 / 1_000_000L;

    long toNanos(long expiresWallMillis) {
        long ms;
        try {
            ms = Math.subtractExact(expiresWallMillis, nowWallMillis);
        } catch (ArithmeticException e) {
            ms = expiresWallMillis > nowWallMillis ? MAX_MILLIS : -MAX_MILLIS;
        }
        return nowNanos + Math.max(-MAX_MILLIS, Math.min(MAX_MILLIS, ms)) * 1_000_000L;
    }
}
