package io.warren.gateway.dhcp;

import java.util.Optional;

/** Option 53, DHCP Message Type (RFC 2132 §9.6). */
public enum DhcpMessageType {
    DHCPDISCOVER(1),
    DHCPOFFER(2),
    DHCPREQUEST(3),
    DHCPDECLINE(4),
    DHCPACK(5),
    DHCPNAK(6),
    DHCPRELEASE(7),
    DHCPINFORM(8);

    private static final DhcpMessageType[] BY_VALUE = new DhcpMessageType[9];

    static {
        for (DhcpMessageType t : values()) {
            BY_VALUE[t.value] = t;
        }
    }

    private final int value;

    DhcpMessageType(int value) {
        this.value = value;
    }

    /** The wire value. */
    public int byteValue() {
        return value;
    }

    /** The type for a wire value, empty for values this server does not know (e.g. RFC 4388 leasequery). */
    public static Optional<DhcpMessageType> valueOf(int value) {
        return value >= 1 && value < BY_VALUE.length ? Optional.of(BY_VALUE[value]) : Optional.empty();
    }
}
