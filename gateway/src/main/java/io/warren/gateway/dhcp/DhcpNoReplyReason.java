package io.warren.gateway.dhcp;

/** Why a decoded message got no reply; each value is a counter. Some are normal (RELEASED). */
public enum DhcpNoReplyReason {
    /** op was BOOTREPLY: another server's reply seen on the segment. */
    NOT_A_REQUEST,
    /** OFFER, ACK or NAK sent to the server port, or no option 53 at all. */
    UNEXPECTED_TYPE,
    /**
     * hlen 0 and no client identifier: nothing tells this client from others with the same lack, so
     * they would share one lease (RFC 2131 §4.2; dnsmasq ignores such requests too).
     */
    NO_CLIENT_IDENTITY,
    /** No pool serves the receiving interface or the relay's giaddr. */
    NO_POOL,
    /**
     * A relayed request (giaddr set) for a pool with {@code trusted-relays} whose datagram did not come
     * from one of them: a client forging giaddr to take addresses from a remote relay's pool.
     */
    UNTRUSTED_RELAY,
    /** No free address in the pool. */
    POOL_EXHAUSTED,
    /** The configured lease limit is reached. */
    LEASE_LIMIT,
    /** A static host's address is held by another client. */
    ADDRESS_CONFLICT,
    /** REQUEST naming another server: the client took another offer (RFC 2131 §4.3.2). */
    OTHER_SERVER,
    /** REQUEST without the fields that tell its state (RFC 2131 Table 4). */
    MALFORMED_REQUEST,
    /** Not authoritative and no record of the client: stay silent (RFC 2131 §4.3.2). */
    NO_RECORD,
    /** DHCPRELEASE processed (no reply is sent, RFC 2131 §4.3.4). */
    RELEASED,
    /** DHCPDECLINE processed, address quarantined (RFC 2131 §4.3.3). */
    DECLINED,
    /**
     * DECLINE from a client that already has {@link DhcpSettings#declinesPerClient()} addresses in
     * quarantine: ignored, its lease stays (so DECLINEs cannot take the whole pool out of service).
     */
    DECLINE_LIMIT,
    /** RELEASE or DECLINE for an address the client does not hold. */
    NOT_HELD
}
