package io.warren.gateway.config;

import java.net.InetAddress;
import java.util.Optional;

/**
 * A static lease, {@code [[dhcp.POOL.host]]}: a client matched by MAC or client-id always gets
 * {@code address}.
 *
 * @param mac      hardware address, lower-case {@code aa:bb:cc:dd:ee:ff}
 * @param clientId DHCP option 61 as lower-case colon-separated hex
 * @param address  the fixed IPv4 address, inside the pool's subnet
 * @param name     host name to hand out and publish in DNS
 */
public record DhcpHost(Optional<String> mac, Optional<String> clientId, InetAddress address, Optional<String> name) {
}
