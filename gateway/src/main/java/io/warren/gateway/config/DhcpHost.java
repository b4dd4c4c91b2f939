package io.warren.gateway.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A static lease, {@code [[dhcp.POOL.host]]}: a client matched by MAC or client-id always gets
 * {@code address}, and may get its own router, DNS servers and options instead of the pool's (like
 * dnsmasq's {@code dhcp-host=...,set:tag} with tagged {@code dhcp-option}s).
 *
 * @param mac      hardware address, lower-case {@code aa:bb:cc:dd:ee:ff}
 * @param clientId DHCP option 61 as lower-case colon-separated hex
 * @param address  the fixed IPv4 address, inside the pool's subnet
 * @param name     host name to hand out and publish in DNS
 * @param router   option 3 for this host instead of the pool's
 * @param dns      option 6 for this host instead of the pool's (empty = the pool's)
 * @param options  options by code for this host, replacing the pool's option of the same code
 */
public record DhcpHost(Optional<String> mac, Optional<String> clientId, InetAddress address, Optional<String> name,
        Optional<InetAddress> router, List<InetAddress> dns, Map<Integer, List<String>> options) {

    public DhcpHost {
        dns = List.copyOf(dns);
        options = Map.copyOf(options);
    }

    /** A static lease with the pool's options. */
    public DhcpHost(Optional<String> mac, Optional<String> clientId, InetAddress address, Optional<String> name) {
        this(mac, clientId, address, name, Optional.empty(), List.of(), Map.of());
    }

    /** @return whether this host overrides any of the pool's options */
    public boolean hasOwnOptions() {
        return router.isPresent() || !dns.isEmpty() || !options.isEmpty();
    }
}
