package io.warren.gateway.encap.vxlan;

/**
 * The VXLAN header (RFC 7348 §5):
 *
 * <pre>
 * |R|R|R|R|I|R|R|R|            Reserved                           |
 * |                VXLAN Network Identifier (VNI) |   Reserved    |
 * </pre>
 *
 * Holds every field as received so that reserved values can be counted or inspected; headers
 * made by {@link #of(int)} have only the I flag set and zero reserved fields, as RFC 7348 §5
 * requires on transmission. Encoding writes the fields exactly as held.
 *
 * @param flags     the 8 flag bits, I = {@link #FLAG_I}
 * @param reserved1 the 24 reserved bits after the flags
 * @param vni       the 24-bit VXLAN Network Identifier
 * @param reserved2 the 8 reserved bits after the VNI
 */
public record VxlanHeader(int flags, int reserved1, int vni, int reserved2) {

    /** The I flag: "MUST be set to 1 for a valid VXLAN Network ID (VNI)". */
    public static final int FLAG_I = 0x08;
    /** Encoded length. */
    public static final int LENGTH = 8;
    /** Largest VNI. */
    public static final int MAX_VNI = 0xFFFFFF;

    /** Validates field widths. */
    public VxlanHeader {
        if (flags < 0 || flags > 0xFF || reserved1 < 0 || reserved1 > 0xFFFFFF
                || vni < 0 || vni > MAX_VNI || reserved2 < 0 || reserved2 > 0xFF) {
            throw new IllegalArgumentException("VXLAN field out of range");
        }
    }

    /** A header for transmission: I flag set, reserved fields zero. */
    public static VxlanHeader of(int vni) {
        return new VxlanHeader(FLAG_I, 0, vni, 0);
    }

    /** True when the I flag is set. */
    public boolean vniValid() {
        return (flags & FLAG_I) != 0;
    }

    /** True when any reserved flag bit or reserved field is non-zero. */
    public boolean reservedNonZero() {
        return (flags & ~FLAG_I) != 0 || reserved1 != 0 || reserved2 != 0;
    }
}
