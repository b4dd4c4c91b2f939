package io.warren.gateway.encap.l2tpv3;

/**
 * Which L2-Specific Sublayer follows the cookie; Linux {@code l2spec_type}. {@code ip l2tp add
 * session} and the kernel both default to {@link #DEFAULT}, so the 4-byte sublayer is present
 * (all zero when sequencing is off) unless {@code l2spec_type none} is given.
 */
public enum L2SpecificSublayer {
    /** No sublayer: the payload follows the cookie. */
    NONE,
    /** The default sublayer of RFC 3931 §4.6: S bit and 24-bit Sequence Number. */
    DEFAULT
}
