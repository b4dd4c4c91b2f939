package io.warren.gateway.tunnel.gre;

import io.warren.gateway.encap.gre.GreDropReason;

/** Why the tunnel core discarded a packet; each value is a counter ({@code drop_<name>}). */
public enum GreDrop {
    // ---- outbound (read from the TUN device) ----
    /** Not an IPv4/IPv6 packet, or its header does not verify. */
    OUTBOUND_MALFORMED,
    /**
     * A TUN super-packet (TSO/USO) whose virtio-net header does not match it, or one with more
     * segments than the shell has room for.
     */
    OUTBOUND_OFFLOAD_MALFORMED,
    /** TTL / Hop Limit already 0 (RFC 1812 §5.3.1): never sent into the tunnel. */
    OUTBOUND_TTL_EXPIRED,
    /** Destined to a tunnel endpoint: would re-enter the tunnel it creates (a routing loop). */
    OUTBOUND_LOOP,
    /** The gateway's route table says blackhole for the destination. */
    BLACKHOLE,
    /** Larger than the tunnel MTU with DF set (or IPv6); an ICMP error was sent unless rate limited. */
    TOO_BIG,
    /** Too big, and the ICMP error was suppressed (RFC 1122 §3.2.2 rules) or rate limited. */
    TOO_BIG_NO_ICMP,
    // ---- inbound (received from the underlay) ----
    /** The outer packet was too short or its header malformed. */
    OUTER_MALFORMED,
    /** GRE header shorter than its flags announce (RFC 2784 §2). */
    GRE_TRUNCATED,
    /** GRE version not 0 (RFC 2784 §2.3.1). */
    GRE_BAD_VERSION,
    /** Reserved0 bits set (RFC 2784 §2.3). */
    GRE_RESERVED_BITS,
    /** GRE checksum does not verify (RFC 2784 §2.5). */
    GRE_BAD_CHECKSUM,
    /** Protocol type other than IPv4/IPv6 (TEB frames belong to an L2 tunnel). */
    GRE_UNKNOWN_PROTOCOL,
    /** Key absent, present when none is configured, or different (RFC 2890 §2.1). */
    KEY_MISMATCH,
    /** Sequencing configured and the packet has no Sequence Number (RFC 2890 §2.2). */
    SEQUENCE_MISSING,
    /** Sequence Number not after the last delivered one (duplicate or late, RFC 2890 §2.2). */
    SEQUENCE_OLD,
    /** Sequence Number too far ahead (see {@link io.warren.gateway.encap.gre.GreSequence}). */
    SEQUENCE_TOO_FAR,
    /** The decapsulated packet is not a valid IP packet of the announced protocol type. */
    INNER_MALFORMED,
    /** Decapsulated packet with TTL / Hop Limit 0. */
    INNER_TTL_EXPIRED,
    /** Decapsulated packet that would be encapsulated again toward an endpoint (loop). */
    INNER_LOOP;

    /** The counter for a codec drop. */
    static GreDrop of(GreDropReason r) {
        switch (r) {
            case TRUNCATED:
                return GRE_TRUNCATED;
            case BAD_VERSION:
                return GRE_BAD_VERSION;
            case RESERVED_BITS:
                return GRE_RESERVED_BITS;
            case BAD_CHECKSUM:
                return GRE_BAD_CHECKSUM;
            case UNKNOWN_PROTOCOL:
                return GRE_UNKNOWN_PROTOCOL;
            default:
                throw new IllegalStateException("unhandled " + r);
        }
    }
}
