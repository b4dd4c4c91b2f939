package io.warren.gateway.nat;

/**
 * How the NAT in front of this gateway maps its WireGuard port (RFC 4787 §4.1), judged by
 * comparing the server-reflexive addresses that two STUN servers (or two ports of one) report.
 */
public enum MappingBehaviour {
    /** Fewer than two servers answered: nothing to compare. */
    UNKNOWN,
    /** Every server saw the same address and port: peers can punch holes to it ("cone" NAT). */
    ENDPOINT_INDEPENDENT,
    /** Servers saw different mappings ("symmetric" NAT): hole punching will not work; relay. */
    ENDPOINT_DEPENDENT
}
