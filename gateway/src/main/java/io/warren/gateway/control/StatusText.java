package io.warren.gateway.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link StatusReport} for people, in the layout of {@code wg show}: an
 * {@code interface:} block, then one {@code peer:} block per peer with aligned {@code key: value}
 * lines ("latest handshake: 6 seconds ago", "transfer: 1.20 MiB received, 3.40 MiB sent"), then
 * tunnels, routes and leases. Pure.
 */
public final class StatusText {
    private StatusText() {
    }

    public static String render(StatusReport r) {
        StringBuilder sb = new StringBuilder();
        for (StatusReport.Interface i : r.interfaces()) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append("interface: ").append(i.name()).append('\n');
            line(sb, "public key", i.publicKey());
            line(sb, "listening port", Integer.toString(i.listenPort()));
            if (!i.addresses().isEmpty()) {
                line(sb, "addresses", String.join(", ", i.addresses()));
            }
            if (i.nat() != null) {
                nat(sb, i.nat());
            }
            if (!i.drops().isEmpty()) {
                List<String> drops = new ArrayList<>();
                for (Map.Entry<String, Long> e : new java.util.TreeMap<>(i.drops()).entrySet()) {
                    drops.add(e.getKey() + " " + e.getValue());
                }
                line(sb, "drops", String.join(", ", drops));
            }
            for (StatusReport.Peer p : i.peers()) {
                sb.append('\n').append("peer: ");
                sb.append(p.name() == null ? p.publicKey() : p.name() + " (" + p.publicKey() + ")").append('\n');
                if (p.endpoint() != null) {
                    line(sb, "endpoint", p.endpoint());
                }
                line(sb, "path", p.path());
                line(sb, "allowed ips", p.allowedIps().isEmpty() ? "(none)" : String.join(", ", p.allowedIps()));
                if (p.latestHandshake() > 0) {
                    line(sb, "latest handshake", ago(p.latestHandshakeAgeSeconds()));
                }
                if (p.rxBytes() > 0 || p.txBytes() > 0) {
                    line(sb, "transfer", bytes(p.rxBytes()) + " received, " + bytes(p.txBytes()) + " sent");
                }
                if (p.persistentKeepalive() > 0) {
                    line(sb, "persistent keepalive", "every " + units(p.persistentKeepalive()));
                }
            }
        }
        section(sb, "tunnels", r.tunnels().stream().map(t -> t.name() + "  " + t.type() + "  " + t.state()).toList());
        section(sb, "routes", r.routes().stream().map(t -> t.prefix() + " via " + t.via() + " metric " + t.metric()).toList());
        section(sb, "leases", r.leases().stream().map(l -> l.address() + "  " + l.mac() + "  "
                + (l.hostname() == null ? "-" : l.hostname()) + "  (" + l.pool() + ")").toList());
        if (sb.length() == 0) {
            sb.append("no interfaces, tunnels or routes configured\n");
        }
        return sb.toString();
    }

    /** {@code reflexive address}, {@code nat mapping}, {@code stun checked} (and servers that disagree). */
    private static void nat(StringBuilder sb, StatusReport.Nat n) {
        line(sb, "reflexive address", n.reflexive() == null ? "(no STUN answer yet)" : n.reflexive());
        line(sb, "nat mapping", n.mapping());
        if (n.lastCheck() > 0) {
            line(sb, "stun checked", ago(n.lastCheckAgeSeconds()));
        }
        if (n.servers().values().stream().distinct().count() > 1) {
            List<String> seen = new ArrayList<>();
            new java.util.TreeMap<>(n.servers()).forEach((server, mapped) -> seen.add(mapped + " (by " + server + ")"));
            line(sb, "stun mappings", String.join(", ", seen));
        }
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append("  ").append(key).append(": ").append(value).append('\n');
    }

    private static void section(StringBuilder sb, String title, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        if (sb.length() > 0) {
            sb.append('\n');
        }
        sb.append(title).append(":\n");
        for (String l : lines) {
            sb.append("  ").append(l).append('\n');
        }
    }

    /** wg's wording: {@code 1 minute, 6 seconds ago}; {@code Now} for 0. */
    static String ago(long seconds) {
        if (seconds < 0) {
            return "in the future (clock skew)";
        }
        return seconds == 0 ? "Now" : units(seconds) + " ago";
    }

    private static String units(long seconds) {
        long[] sizes = {365L * 24 * 3600, 24 * 3600, 3600, 60, 1};
        String[] names = {"year", "day", "hour", "minute", "second"};
        List<String> parts = new ArrayList<>();
        long left = seconds;
        for (int i = 0; i < sizes.length; i++) {
            long n = left / sizes[i];
            left %= sizes[i];
            if (n > 0) {
                parts.add(n + " " + names[i] + (n == 1 ? "" : "s"));
            }
        }
        return String.join(", ", parts);
    }

    /** wg's units: {@code 512 B}, {@code 1.50 KiB}, {@code 3.40 MiB}, {@code 1.00 GiB}, {@code 2.00 TiB}. */
    static String bytes(long n) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
