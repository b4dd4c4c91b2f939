package io.warren.gateway.dhcp;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;

/**
 * A bound lease as other parts of the daemon see it (status, metrics, DNS names). Immutable.
 *
 * @param pool            the pool's name
 * @param address         the leased address
 * @param hardwareAddress chaddr (the first hlen bytes) as lower-case colon hex
 * @param clientId        option 61 as lower-case colon hex, if the client sent one
 * @param hostName        the static host's name, else the first label of the client's option 81 or 12 when it is a
 *                        valid host label no static host or other lease carries
 * @param expiresAt       expiry on the server core's monotonic clock (nanoseconds, same origin as {@code now})
 * @param staticLease     true if the address comes from a {@code [[dhcp.POOL.host]]} entry
 */
public record DhcpLease(String pool, Inet4Address address, String hardwareAddress, Optional<String> clientId,
                        Optional<String> hostName, long expiresAt, boolean staticLease) {

    public DhcpLease {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(hostName, "hostName");
    }

    /** The key the server identifies this client by: client-id if sent, else the hardware address. */
    public String clientKey() {
        return ClientKeys.of(clientId, hardwareAddress);
    }

    /** True if the lease differs from {@code o} in what the DNS server publishes (address or name). */
    boolean publishesDifferently(DhcpLease o) {
        return !address.equals(o.address) || !hostName.equals(o.hostName);
    }
}
