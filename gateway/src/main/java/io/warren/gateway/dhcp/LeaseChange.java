package io.warren.gateway.dhcp;

/** A change of the lease table that the shell journals (RFC 2131 §4.3 server state). */
public sealed interface LeaseChange {

    /** Why a lease left the table. */
    enum Cause { RELEASED, DECLINED, EXPIRED, REPLACED }

    /** A lease was bound or renewed; journal it. */
    record Bound(DhcpLease lease) implements LeaseChange {
    }

    /** A lease left the table. */
    record Removed(DhcpLease lease, Cause cause) implements LeaseChange {
    }
}
