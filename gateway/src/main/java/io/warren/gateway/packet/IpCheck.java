package io.warren.gateway.packet;

/** Outcome of validating an IP header in a buffer; everything but {@link #VALID} is a drop reason. */
public enum IpCheck {
    /** The header is well formed and the buffer holds the whole packet. */
    VALID,
    /** Fewer bytes than the fixed header, the header length or the total length say. */
    TRUNCATED,
    /** The version nibble does not match. */
    BAD_VERSION,
    /** IPv4 IHL below 5 (RFC 791 §3.1). */
    BAD_HEADER_LENGTH,
    /** IPv4 Total Length smaller than the header. */
    BAD_TOTAL_LENGTH,
    /** IPv4 header checksum does not verify (RFC 791 §3.1). */
    BAD_CHECKSUM
}
