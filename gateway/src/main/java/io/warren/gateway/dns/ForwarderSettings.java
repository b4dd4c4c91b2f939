package io.warren.gateway.dns;

import java.time.Duration;

/**
 * Limits of the {@link Forwarder}.
 *
 * @param maxInFlight    queries waiting for an upstream at once; beyond it new queries get SERVFAIL
 *                       and count {@link DnsDropReason#IN_FLIGHT_FULL} (dnsmasq's default is 150)
 * @param attemptTimeout how long one upstream attempt may take before the next upstream is tried
 * @param maxAttempts    attempts per client query, cycling through its upstream list
 *
 * <p>Each UDP attempt in flight holds one socket of the shell, and each pending question has one
 * attempt in flight, so {@code maxInFlight} also bounds the upstream sockets open at once (per resolver).
 */
public record ForwarderSettings(int maxInFlight, Duration attemptTimeout, int maxAttempts) {

    /** 4096 in flight, 1 s per attempt, 3 attempts. */
    public static final ForwarderSettings DEFAULTS = new ForwarderSettings(4096, Duration.ofSeconds(1), 3);

    public ForwarderSettings {
        if (maxInFlight < 1 || maxInFlight > 60_000) {
            throw new IllegalArgumentException("maxInFlight " + maxInFlight + " not in 1..60000");
        }
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("attemptTimeout must be positive");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts " + maxAttempts + " < 1");
        }
    }
}
