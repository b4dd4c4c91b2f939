package io.warren.gateway.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Parses the small single-instance service sections: {@code [nat-traversal]}, {@code [metrics]}, {@code [control]} ({@code [dns]}: {@link DnsSection}). */
final class ServiceSections {
    static final Set<String> NAT_KEYS = Set.of("stun-servers", "hub", "relay");
    static final Set<String> METRICS_KEYS = Set.of("enabled", "listen");
    static final Set<String> CONTROL_KEYS = Set.of("socket");

    private final Problems problems;

    ServiceSections(Problems problems) {
        this.problems = problems;
    }

    private Optional<Section> section(Section root, String key) {
        return root.table(key).map(t -> new Section(problems, t, "[" + key + "]", root.lineOf(key)));
    }

    NatTraversalConfig natTraversal(Section root) {
        Optional<Section> os = section(root, "nat-traversal");
        if (os.isEmpty()) {
            return NatTraversalConfig.DEFAULT;
        }
        Section s = os.get();
        s.rejectUnknownKeys(NAT_KEYS);
        List<Endpoint> stun = s.list("stun-servers", t -> Endpoint.parse(t, NatTraversalConfig.STUN_PORT),
                "a STUN server (host or host:port)").orElse(List.of());
        boolean hub = s.bool("hub", false);
        boolean relay = s.bool("relay", false);
        if (relay && !hub) {
            s.error("relay", "relaying needs hub = true");
        }
        return new NatTraversalConfig(stun, hub, relay);
    }

    MetricsConfig metrics(Section root) {
        Optional<Section> os = section(root, "metrics");
        if (os.isEmpty()) {
            return MetricsConfig.DEFAULT;
        }
        Section s = os.get();
        s.rejectUnknownKeys(METRICS_KEYS);
        boolean enabled = s.bool("enabled", true);
        InetSocketAddress listen = s.value("listen", t -> socket(t, MetricsConfig.DEFAULT_PORT),
                "an address (IP or IP:port)").orElse(MetricsConfig.DEFAULT.listen());
        if (!listen.getAddress().isLoopbackAddress()) {
            s.warn("listen", "metrics are served without authentication on " + listen.getAddress().getHostAddress()
                    + "; firewall it or use 127.0.0.1");
        }
        return new MetricsConfig(enabled, listen);
    }

    ControlConfig control(Section root) {
        Optional<Section> os = section(root, "control");
        if (os.isEmpty()) {
            return ControlConfig.DEFAULT;
        }
        Section s = os.get();
        s.rejectUnknownKeys(CONTROL_KEYS);
        Path socket = s.value("socket", t -> Optional.of(Path.of(t)).filter(Path::isAbsolute), "an absolute path")
                .orElse(ControlConfig.DEFAULT_SOCKET);
        return new ControlConfig(socket);
    }

    /** {@code IP}, {@code IP:port} or {@code [IPv6]:port}, IP literals only (no DNS at parse time). */
    static Optional<InetSocketAddress> socket(String text, int defaultPort) {
        return Endpoint.parse(text, defaultPort).flatMap(e -> IpAddresses.parse(e.host())
                .map(a -> new InetSocketAddress(a, e.port())));
    }
}
