package io.warren.gateway.encap.gre;

/** Why a received GRE packet was discarded; each value is a counter. */
public enum GreDropReason {
    /** Shorter than the fixed header or than the optional fields its flags announce. */
    TRUNCATED,
    /** Version field not 0 (RFC 2784 §2.3.1); version 1 is PPTP's enhanced GRE. */
    BAD_VERSION,
    /** Reserved0 bit 1, 4 or 5 set (RFC 2784 §2.3). */
    RESERVED_BITS,
    /** Checksum present and not verifying over header and payload (RFC 2784 §2.5). */
    BAD_CHECKSUM,
    /** Protocol type other than IPv4, IPv6 or transparent Ethernet bridging. */
    UNKNOWN_PROTOCOL
}
