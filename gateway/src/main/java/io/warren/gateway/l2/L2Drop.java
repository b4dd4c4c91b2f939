package io.warren.gateway.l2;

import java.util.Locale;

/** Why the switch discarded a frame; each value is a counter ({@link #counterName()}). */
public enum L2Drop {
    /** Shorter than an Ethernet header (14 bytes), or a truncated 802.1Q tag. */
    RUNT,
    /**
     * Larger than the segment's MTU: the Ethernet payload exceeds what fits in one underlay packet
     * after the outer headers. Never fragmented (RFC 7348 §4.3: VTEPs MUST NOT fragment).
     */
    OVERSIZED,
    /** Local frame whose 802.1Q VLAN (or lack of one) maps to no segment of this switch. */
    VLAN_UNMAPPED,
    /** Group (multicast or broadcast) or all-zero source MAC: invalid, never learned nor forwarded. */
    INVALID_SOURCE,
    /** Destination is on the port the frame came from (a hairpin): never sent back. */
    HAIRPIN,
    /**
     * Remote frame whose destination is known behind another remote endpoint: split horizon, an
     * overlay endpoint never relays between remotes (the mesh is full), which also keeps it loop-free.
     */
    SPLIT_HORIZON,
    /** Unknown or group destination but no remote endpoint to flood to. */
    NO_REMOTE,
    /** From an underlay address that is not a configured peer while learning is off. */
    UNKNOWN_REMOTE;

    private final String counterName = name().toLowerCase(Locale.ROOT);

    /** The counter name: lower case, e.g. {@code "split_horizon"}. */
    public String counterName() {
        return counterName;
    }
}
