package io.warren.gateway.dhcp;

/**
 * Where a request arrived.
 *
 * @param iface         the interface's config name (matched against {@code DhcpPoolConfig.iface})
 * @param serverAddress our address on that interface: the server identifier (option 54) we send
 */
public record DhcpIngress(String iface, int serverAddress) {
}
