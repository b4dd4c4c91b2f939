package io.warren.gateway.dhcp;

/**
 * Told when a lease appears or goes, e.g. by the DNS server to publish lease names. Called on the
 * DHCP server's thread, synchronously: implementations must be quick and must not call back into
 * the server. A renewal that keeps address and name fires nothing; a changed name fires removed
 * then added.
 */
public interface DhcpLeaseListener {

    /** A lease was bound (or restored from the journal at start). */
    void leaseAdded(DhcpLease lease);

    /** A lease was released, declined, expired or replaced. */
    void leaseRemoved(DhcpLease lease, LeaseChange.Cause cause);
}
