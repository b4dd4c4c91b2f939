package io.warren.gateway.dns;

import java.net.InetAddress;

/**
 * Feeds host names into the {@link LocalZone} at run time. The DHCP server holds one (origin
 * {@link NameOrigin#DHCP_LEASE} or {@link NameOrigin#DHCP_STATIC}), the WireGuard peer table another
 * ({@link NameOrigin#VPN_PEER}); each is bound to a domain, so {@code add("laptop", 192.0.2.7)} on a
 * source for {@code lan} publishes {@code laptop.lan} (A) and {@code 7.2.0.192.in-addr.arpa} (PTR).
 * A name ending in a dot is taken as absolute.
 *
 * <p>Names come from untrusted clients (DHCP option 12): a name that is not a valid host name
 * (RFC 1123 §2.1 letters, digits, hyphens; labels of 1 to 63 bytes) is refused, never thrown at.
 * A lease name ({@link NameOrigin#DHCP_LEASE}) never joins a name another origin publishes with
 * another address, nor an absolute name: {@code add} returns false.
 * Safe to call from any thread.
 */
public interface NameSource {

    /**
     * Publishes {@code address} (IPv4 gives A, IPv6 gives AAAA) under {@code host}.
     *
     * @return false when {@code host} is not a valid host name (nothing is published)
     */
    boolean add(String host, InetAddress address);

    /**
     * Withdraws one address of {@code host} published by this source.
     *
     * @return whether something was removed
     */
    boolean remove(String host, InetAddress address);

    /**
     * Withdraws every address of {@code host} published by this source.
     *
     * @return how many bindings were removed
     */
    int removeAll(String host);
}
