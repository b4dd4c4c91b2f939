package io.warren.gateway.cli;

import io.warren.gateway.config.WarrenConfig;

/** A one-line description of a config, for {@code check} and {@code run}. */
final class Summary {
    private Summary() {
    }

    static String of(WarrenConfig c) {
        StringBuilder sb = new StringBuilder();
        sb.append(plural(c.interfaces().size(), "interface")).append(" (").append(plural(c.peerCount(), "peer")).append("), ")
                .append(plural(c.tunnels().size(), "tunnel")).append(", ")
                .append(plural(c.routes().size(), "route")).append(", ")
                .append(plural(c.dhcpPools().size(), "dhcp pool")).append(", ")
                .append("dns ").append(c.dns().enabled() ? "on" : "off").append(", ")
                .append("metrics ");
        if (c.metrics().enabled()) {
            sb.append(c.metrics().listen().getAddress().getHostAddress()).append(':').append(c.metrics().listen().getPort());
        } else {
            sb.append("off");
        }
        return sb.toString();
    }

    private static String plural(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
