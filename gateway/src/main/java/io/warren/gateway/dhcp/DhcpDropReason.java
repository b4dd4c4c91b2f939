package io.warren.gateway.dhcp;

/** Why a received DHCP datagram was not decoded; each value is a counter. */
public enum DhcpDropReason {
    /** Shorter than the 236-byte fixed header plus the 4-byte magic cookie. */
    TRUNCATED,
    /**
     * Longer than {@link DhcpWire#MAX_MESSAGE}: the shell's buffer is one byte longer, so a datagram
     * filling it was cut by the kernel (its options would look like {@code MISSING_END} or
     * {@code OPTION_OVERFLOW} otherwise).
     */
    TOO_LONG,
    /** op neither BOOTREQUEST nor BOOTREPLY (RFC 2131 §2). */
    BAD_OP,
    /** hlen larger than the 16-byte chaddr field. */
    BAD_HLEN,
    /** No magic cookie 99.130.83.99: plain BOOTP or garbage (RFC 2131 §3). */
    BAD_MAGIC,
    /** An option's length runs past the end of the field holding it (RFC 2132 §2). */
    OPTION_OVERFLOW,
    /** An option whose length its definition forbids, e.g. option 53 not 1 byte (RFC 2132 §9). */
    BAD_OPTION_LENGTH,
    /** A field holding options has no end option (RFC 2132 §3.2). */
    MISSING_END,
    /** Option 52 with a value other than 1..3, or inside sname/file (RFC 2132 §9.3). */
    BAD_OVERLOAD,
    /** No option 53: BOOTP, which this server does not answer (RFC 2131 §3). */
    MISSING_MESSAGE_TYPE,
    /** Option 53 with a value outside 1..8 (RFC 2132 §9.6). */
    UNKNOWN_MESSAGE_TYPE
}
