package io.warren.gateway.config;

import io.warren.routing.Mac;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses {@code static-macs} of an L2 {@code [tunnel.NAME]}: a table from MAC address to where it
 * lives, like {@code bridge fdb add MAC dev vxlan0 dst IP} in table form:
 *
 * <pre>{@code
 * static-macs = { "02:00:00:00:00:01" = "192.0.2.1", "02:00:00:00:00:02" = "local" }
 * }</pre>
 *
 * For VXLAN the value is {@code "local"} or one of the tunnel's {@code remote} entries; an L2TPv3
 * pseudowire and an L2 GRE tunnel have one remote, so the value is {@code "local"} or
 * {@code "remote"}. Each problem is reported at the line of its entry.
 */
final class StaticMacsSection {
    /** The config key. */
    static final String KEY = "static-macs";
    private static final String LOCAL = "local";
    private static final String REMOTE = "remote";

    private final Section s;

    StaticMacsSection(Section s) {
        this.s = s;
    }

    /** The entries of a tunnel of type {@code t} with {@code remotes}, in file order; invalid ones reported. */
    List<StaticMac> parse(TunnelType t, List<String> remotes) {
        Optional<ConfigTable> table = s.table(KEY);
        if (table.isEmpty()) {
            return List.of();
        }
        ConfigTable macs = table.get();
        List<StaticMac> out = new ArrayList<>();
        List<Long> seen = new ArrayList<>();
        for (String key : macs.keySet()) {
            int at = macs.lineOf(key);
            int line = at == 0 ? s.lineOf(KEY) : at;
            Optional<Mac> mac = mac(line, key);
            Object value = macs.get(key);
            if (!(value instanceof String where)) {
                s.errorAt(line, KEY, Section.quote(key) + ": expected a string (\"local\" or "
                        + (t == TunnelType.VXLAN ? "a remote address" : "\"remote\"") + "), got " + Section.typeName(value));
                continue;
            }
            Optional<StaticMac> entry = mac.flatMap(m -> place(line, key, m, where, t, remotes));
            if (entry.isEmpty()) {
                continue;
            }
            if (seen.contains(entry.get().mac().bits())) {
                s.errorAt(line, KEY, Section.quote(key) + " is listed twice");
                continue;
            }
            seen.add(entry.get().mac().bits());
            out.add(entry.get());
        }
        return out;
    }

    private Optional<Mac> mac(int line, String key) {
        if (!(Mac.parse(key) instanceof Mac.Ok ok)) {
            s.errorAt(line, KEY, Section.quote(key) + " is not a MAC address (six hex octets, e.g. \"02:00:00:00:00:01\")");
            return Optional.empty();
        }
        if (Mac.isGroup(ok.mac().bits())) {
            s.errorAt(line, KEY, Section.quote(key) + " is a group (multicast or broadcast) address;"
                    + " only unicast addresses can be static");
            return Optional.empty();
        }
        return Optional.of(ok.mac());
    }

    private Optional<StaticMac> place(int line, String key, Mac mac, String where, TunnelType t, List<String> remotes) {
        if (where.equals(LOCAL)) {
            return Optional.of(StaticMac.local(mac));
        }
        if (t != TunnelType.VXLAN) {
            if (where.equals(REMOTE)) {
                return Optional.of(StaticMac.behind(mac, remotes.get(0)));
            }
            s.errorAt(line, KEY, Section.quote(key) + ": " + Section.quote(where) + " is not a side of the "
                    + (t == TunnelType.L2TPV3 ? "pseudowire" : "tunnel") + " (\"local\" or \"remote\")");
            return Optional.empty();
        }
        Optional<String> remote = remotes.stream().filter(r -> sameRemote(r, where)).findFirst();
        if (remote.isEmpty()) {
            s.errorAt(line, KEY, Section.quote(key) + ": " + Section.quote(where)
                    + " is neither \"local\" nor one of this tunnel's remotes");
            return Optional.empty();
        }
        return Optional.of(StaticMac.behind(mac, remote.get()));
    }

    /** Same address (any spelling of an IPv6 address) or same host name (case-insensitive). */
    private static boolean sameRemote(String configured, String given) {
        Optional<InetAddress> a = IpAddresses.parse(configured);
        Optional<InetAddress> b = IpAddresses.parse(given);
        if (a.isPresent() || b.isPresent()) {
            return a.isPresent() && a.equals(b);
        }
        return configured.equalsIgnoreCase(given);
    }
}
