package io.warren.gateway.dns;

/**
 * Who published a local name. Bindings are added and removed per origin, so a DHCP lease expiring
 * never removes the same name published statically or by a VPN peer.
 */
public enum NameOrigin {
    /** Static host records and hosts(5) files from the configuration. */
    STATIC,
    /** Fixed DHCP host entries ({@code [[dhcp.host]]}), published before the client first appears. */
    DHCP_STATIC,
    /** Dynamic DHCP leases, added on ACK and removed on release or expiry. */
    DHCP_LEASE,
    /** VPN (WireGuard) peer names, added and removed with the peers. */
    VPN_PEER
}
