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
    ENDPOINT_DEPENDENT;

    /** The wire value in coordination messages ({@link CoordWire#MAPPING_OFFSET}). */
    public int wireValue() {
        return switch (this) {
            case UNKNOWN -> CoordWire.MAPPING_UNKNOWN;
            case ENDPOINT_INDEPENDENT -> CoordWire.MAPPING_ENDPOINT_INDEPENDENT;
            case ENDPOINT_DEPENDENT -> CoordWire.MAPPING_ENDPOINT_DEPENDENT;
        };
    }

    /** The behaviour for a wire value; values not defined (yet) read as {@link #UNKNOWN}. */
    public static MappingBehaviour ofWire(int value) {
        return switch (value) {
            case CoordWire.MAPPING_ENDPOINT_INDEPENDENT -> ENDPOINT_INDEPENDENT;
            case CoordWire.MAPPING_ENDPOINT_DEPENDENT -> ENDPOINT_DEPENDENT;
            default -> UNKNOWN;
        };
    }
}
