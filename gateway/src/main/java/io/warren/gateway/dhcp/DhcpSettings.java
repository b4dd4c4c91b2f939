package io.warren.gateway.dhcp;

import java.time.Duration;

/**
 * Server-wide settings that the pool config does not carry.
 *
 * @param authoritative     NAK wrong addresses of clients we have no record of and ACK free ones
 *                          (dnsmasq's {@code --dhcp-authoritative}); false: stay silent (RFC 2131 §4.3.2)
 * @param leaseMax          most leases plus pending offers at once (dnsmasq's {@code --dhcp-lease-max})
 * @param offerHold         how long an offered address stays reserved for its client
 * @param declineQuarantine how long a declined address is not offered again
 * @param declinesPerClient most addresses one client (by client key) may have in quarantine at once;
 *                          its further DECLINEs are counted and ignored, so one client cannot
 *                          quarantine the whole pool
 */
public record DhcpSettings(boolean authoritative, int leaseMax, Duration offerHold, Duration declineQuarantine,
                           int declinesPerClient) {

    public DhcpSettings {
        if (leaseMax < 1 || offerHold.isNegative() || declineQuarantine.isNegative() || declinesPerClient < 0) {
            throw new IllegalArgumentException("bad DHCP settings");
        }
    }

    /**
     * Authoritative, 1000 leases (dnsmasq's default), 60 s offer hold, 10 min quarantine, 2 quarantined
     * addresses per client (a genuine client meets an address conflict rarely, twice in a row hardly
     * ever; RFC 2131 §3.1 step 5 makes it wait 10 s between attempts).
     */
    public static DhcpSettings defaults() {
        return new DhcpSettings(true, 1000, Duration.ofSeconds(60), Duration.ofMinutes(10), 2);
    }

    /** A copy with another lease limit. */
    public DhcpSettings withLeaseMax(int max) {
        return new DhcpSettings(authoritative, max, offerHold, declineQuarantine, declinesPerClient);
    }
}
