package io.warren.gateway.encap.vxlan;

/** Why a received VXLAN packet was discarded; each value is a counter. */
public enum VxlanDropReason {
    /** Shorter than the VXLAN header plus an inner Ethernet header (14 bytes). */
    TRUNCATED,
    /** The I flag is clear: the VNI is not valid (RFC 7348 §5). */
    I_FLAG_NOT_SET,
    /** A reserved bit is set and {@link ReservedBits#STRICT} is configured. */
    RESERVED_NONZERO
}
