package io.warren.gateway.encap.vxlan;

/** How the receiver treats reserved bits of the VXLAN header. */
public enum ReservedBits {
    /**
     * RFC 7348 §5: the reserved flag bits and the two reserved fields "MUST be set to zero on
     * transmission and ignored on receipt". The default.
     */
    IGNORE,
    /**
     * Drop packets with any reserved bit set. This is what Linux's vxlan driver does by default
     * (it treats unprocessed flags or reserved VNI bits as malformed, knowingly diverging from
     * RFC 7348); use it to interoperate identically with such a peer or when extensions like
     * VXLAN-GPE/GBP must not be silently misread.
     */
    STRICT
}
