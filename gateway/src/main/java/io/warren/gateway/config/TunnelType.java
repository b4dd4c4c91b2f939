package io.warren.gateway.config;

import java.util.Arrays;
import java.util.Optional;

/** The encapsulations a {@code [tunnel.NAME]} can use, with their config names and default UDP ports. */
public enum TunnelType {
    /** GRE over IP (RFC 2784/2890), IP protocol 47; L3 or L2 (transparent Ethernet bridging). */
    GRE("gre", 0),
    /** GRE-in-UDP (RFC 8086), UDP port 4754; L3 or L2 (RFC 8086 §3.1 allows any GRE payload). */
    GRE_UDP("gre-udp", 4754),
    /** VXLAN (RFC 7348), UDP port 4789; always L2. */
    VXLAN("vxlan", 4789),
    /** L2TPv3 pseudowire (RFC 3931), over IP (protocol 115) or UDP port 1701; always L2. */
    L2TPV3("l2tpv3", 1701);

    private final String configName;
    private final int defaultPort;

    TunnelType(String configName, int defaultPort) {
        this.configName = configName;
        this.defaultPort = defaultPort;
    }

    /** The value of {@code type} in the config. */
    public String configName() {
        return configName;
    }

    /** The IANA UDP port, or 0 for GRE (an IP protocol, no port). */
    public int defaultPort() {
        return defaultPort;
    }

    /** Looks a type up by its config name. */
    public static Optional<TunnelType> fromConfigName(String s) {
        return Arrays.stream(values()).filter(t -> t.configName.equals(s)).findFirst();
    }
}
