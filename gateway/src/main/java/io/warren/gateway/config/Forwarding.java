package io.warren.gateway.config;

import java.util.List;

/**
 * {@code forwarding} and {@code forwarding-interfaces} of a {@code [tunnel.NAME]}: while the tunnel
 * runs, the daemon switches IP forwarding on for the tunnel's own device and for each listed host
 * interface (the LAN ports whose traffic is routed into the tunnel), and puts back what it changed
 * when the tunnel stops. IPv4 forwarding is a per-device setting ({@code net.ipv4.conf.DEV.forwarding}
 * decides for packets arriving on DEV); the daemon sets it over rtnetlink.
 *
 * @param enabled    switch forwarding on while the tunnel runs
 * @param interfaces further host interfaces (LAN ports) to switch on, in file order
 */
public record Forwarding(boolean enabled, List<String> interfaces) {
    /** Forwarding is left as the host has it. */
    public static final Forwarding OFF = new Forwarding(false, List.of());

    public Forwarding {
        interfaces = List.copyOf(interfaces);
        if (!enabled && !interfaces.isEmpty()) {
            throw new IllegalArgumentException("forwarding-interfaces without forwarding");
        }
    }

    /** The devices to switch on for tunnel device {@code device}: it first, then the listed ones. */
    public List<String> devices(String device) {
        if (!enabled) {
            return List.of();
        }
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
        all.add(device);
        all.addAll(interfaces);
        return List.copyOf(all);
    }
}
