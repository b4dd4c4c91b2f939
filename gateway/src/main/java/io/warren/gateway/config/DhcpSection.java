package io.warren.gateway.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Parses {@code [dhcp.POOL]} tables with their static hosts and raw options. */
final class DhcpSection {
    static final Set<String> KEYS = Set.of("interface", "subnet", "range", "router", "dns", "domain",
            "lease-time", "host", "options", "trusted-relays");
    static final Set<String> HOST_KEYS = Set.of("mac", "client-id", "address", "name", "router", "dns", "options");
    /** Options the pool sets from named keys; giving them by number would conflict. */
    private static final Map<Integer, String> NAMED_OPTIONS = Map.of(1, "subnet", 3, "router", 6, "dns",
            15, "domain", 51, "lease-time", 53, "(the message type)", 54, "(the server identifier)");
    private static final Duration MIN_LEASE = Duration.ofMinutes(2);

    private final Problems problems;

    DhcpSection(Problems problems) {
        this.problems = problems;
    }

    Map<String, DhcpPoolConfig> parseAll(Section root, Map<String, Section> sectionsOut) {
        Map<String, DhcpPoolConfig> out = new LinkedHashMap<>();
        root.table("dhcp").ifPresent(all -> {
            for (String name : all.keySet()) {
                int line = all.lineOf(name);
                if (!(all.get(name) instanceof ConfigTable t)) {
                    problems.error(line, "dhcp." + name, "expected a table [dhcp." + name + "]");
                    continue;
                }
                Section s = new Section(problems, t, "dhcp pool \"" + name + "\"", line);
                parse(name, s).ifPresent(p -> {
                    out.put(name, p);
                    sectionsOut.put(name, s);
                });
            }
        });
        return out;
    }

    private Optional<DhcpPoolConfig> parse(String name, Section s) {
        s.rejectUnknownKeys(KEYS);
        boolean complete = s.require("interface") & s.require("subnet") & s.require("range");
        Optional<String> iface = s.string("interface");
        Optional<IpPrefix> subnet = s.value("subnet", t -> IpPrefix.parse(t).filter(IpPrefix::isV4),
                "an IPv4 prefix (DHCP is IPv4 only)");
        subnet.filter(p -> !p.isNetwork()).ifPresent(p ->
                s.error("subnet", "\"" + p + "\" has host bits set; did you mean " + p.network() + "?"));
        Optional<List<InetAddress>> range = s.list("range", IpAddresses::parseV4, "an IPv4 address");
        Optional<InetAddress> router = s.value("router", IpAddresses::parseV4, "an IPv4 address");
        List<InetAddress> dns = s.list("dns", IpAddresses::parseV4, "an IPv4 address").orElse(List.of());
        Optional<String> domain = s.value("domain", d -> Optional.of(d).filter(IpAddresses::isDomainName), "a domain name");
        Duration lease = leaseTime(s);
        List<DhcpHost> hosts = hosts(s, subnet);
        Map<Integer, List<String>> options = options(s, "options");
        List<IpPrefix> trustedRelays = trustedRelays(s);

        Object rawRange = s.table().get("range");
        if (rawRange != null && !(rawRange instanceof ConfigArray ra && ra.size() == 2)) {
            s.error("range", "expected [\"FIRST\", \"LAST\"], two IPv4 addresses");
            return Optional.empty();
        }
        if (range.isPresent() && range.get().size() != 2) {
            return Optional.empty(); // an element was already reported
        }
        if (!complete || iface.isEmpty() || subnet.isEmpty() || range.isEmpty()) {
            return Optional.empty();
        }
        IpPrefix net = subnet.get().network();
        InetAddress first = range.get().get(0);
        InetAddress last = range.get().get(1);
        boolean ok = true;
        for (InetAddress a : List.of(first, last)) {
            if (!net.contains(a)) {
                s.error("range", "\"" + a.getHostAddress() + "\" is outside subnet " + net);
                ok = false;
            }
        }
        if (IpAddresses.toNumber(first).compareTo(IpAddresses.toNumber(last)) > 0) {
            s.error("range", "first address " + first.getHostAddress() + " is after last " + last.getHostAddress());
            ok = false;
        }
        if (router.isPresent() && !net.contains(router.get())) {
            s.error("router", "\"" + router.get().getHostAddress() + "\" is outside subnet " + net);
        }
        if (!ok) {
            return Optional.empty();
        }
        return Optional.of(new DhcpPoolConfig(name, iface.get(), net, first, last, router, dns, domain, lease, hosts,
                options, trustedRelays));
    }

    /**
     * {@code trusted-relays = ["10.20.0.1", "10.30.0.0/29"]}: IPv4 addresses or prefixes. An empty list
     * would refuse every relayed request, so it is an error (leave the key out to accept any relay).
     */
    private static List<IpPrefix> trustedRelays(Section s) {
        List<IpPrefix> out = s.list("trusted-relays", t -> IpPrefix.parse(t).filter(IpPrefix::isV4),
                "an IPv4 address or prefix").orElse(List.of());
        List<IpPrefix> networks = new ArrayList<>();
        for (IpPrefix p : out) {
            if (!p.isNetwork()) {
                s.error("trusted-relays", "\"" + p + "\" has host bits set; did you mean " + p.network() + "?");
            }
            networks.add(p.network());
        }
        if (s.has("trusted-relays") && s.table().get("trusted-relays") instanceof ConfigArray a && a.size() == 0) {
            s.error("trusted-relays", "an empty list refuses every relayed request; leave the key out to accept any relay");
        }
        return networks;
    }

    private static Duration leaseTime(Section s) {
        if (!s.has("lease-time")) {
            return DhcpPoolConfig.DEFAULT_LEASE;
        }
        Object v = s.table().get("lease-time");
        Optional<Duration> d = v instanceof Long n
                ? s.integer("lease-time", 0, Integer.MAX_VALUE).map(Duration::ofSeconds)
                : s.value("lease-time", Durations::parse, "a duration (e.g. \"12h\", \"30m\", \"1d\")");
        if (d.isPresent() && d.get().compareTo(MIN_LEASE) < 0) {
            s.error("lease-time", "must be at least 2 minutes");
            return DhcpPoolConfig.DEFAULT_LEASE;
        }
        return d.orElse(DhcpPoolConfig.DEFAULT_LEASE);
    }

    private List<DhcpHost> hosts(Section s, Optional<IpPrefix> subnet) {
        List<DhcpHost> out = new ArrayList<>();
        Optional<ConfigArray> array = s.tables("host");
        if (array.isEmpty()) {
            return out;
        }
        Map<String, Integer> seenIds = new HashMap<>();
        Map<InetAddress, Integer> seenAddresses = new HashMap<>();
        ConfigArray a = array.get();
        for (int i = 0; i < a.size(); i++) {
            int line = a.lineOf(i);
            Section hs = new Section(problems, a.getTable(i), s.label() + " host #" + (i + 1), line);
            hs.rejectUnknownKeys(HOST_KEYS);
            Optional<String> mac = hs.value("mac", DhcpSection::mac, "a MAC address (aa:bb:cc:dd:ee:ff)");
            Optional<String> clientId = hs.value("client-id", DhcpSection::hex, "a client id (hex bytes, e.g. 01:aa:bb:cc:dd:ee:ff)");
            Optional<InetAddress> address = hs.require("address")
                    ? hs.value("address", IpAddresses::parseV4, "an IPv4 address") : Optional.empty();
            Optional<String> name = hs.value("name", n -> Optional.of(n).filter(ConfigNames::isValidPeerName),
                    "a host name (one DNS label)");
            Optional<InetAddress> router = hs.value("router", IpAddresses::parseV4, "an IPv4 address");
            List<InetAddress> dns = hs.list("dns", IpAddresses::parseV4, "an IPv4 address").orElse(List.of());
            Map<Integer, List<String>> options = options(hs, "options");
            if (!hs.has("mac") && !hs.has("client-id")) {
                problems.error(line, hs.label(), "give mac or client-id to identify the client");
                continue;
            }
            if (address.isEmpty()) {
                continue;
            }
            subnet.map(IpPrefix::network).filter(n -> !n.contains(address.get())).ifPresent(n ->
                    hs.error("address", "\"" + address.get().getHostAddress() + "\" is outside subnet " + n));
            router.ifPresent(r -> subnet.map(IpPrefix::network).filter(n -> !n.contains(r)).ifPresent(n ->
                    hs.error("router", "\"" + r.getHostAddress() + "\" is outside subnet " + n)));
            Integer addrBefore = seenAddresses.putIfAbsent(address.get(), line);
            if (addrBefore != null) {
                hs.error("address", "\"" + address.get().getHostAddress() + "\" is already given to the host at line " + addrBefore);
            }
            for (String id : List.of(mac.map(m -> "mac " + m).orElse(""), clientId.map(c -> "client-id " + c).orElse(""))) {
                Integer before = id.isEmpty() ? null : seenIds.putIfAbsent(id, line);
                if (before != null) {
                    problems.error(line, hs.label(), "duplicate " + id + " (first at line " + before + ")");
                }
            }
            out.add(new DhcpHost(mac, clientId, address.get(), name, router, dns, options));
        }
        return out;
    }

    /** Options by number ({@code options = { 42 = "192.0.2.1" }}) of a pool or a host. */
    private Map<Integer, List<String>> options(Section s, String key) {
        Map<Integer, List<String>> out = new TreeMap<>();
        Optional<ConfigTable> table = s.table(key);
        if (table.isEmpty()) {
            return out;
        }
        ConfigTable t = table.get();
        for (String code : t.keySet()) {
            int line = t.lineOf(code);
            String where = s.where(key) + "." + code;
            if (!code.matches("\\d{1,3}") || Integer.parseInt(code) < 1 || Integer.parseInt(code) > 254) {
                problems.error(line, where, "option codes are numbers 1..254");
                continue;
            }
            int n = Integer.parseInt(code);
            if (NAMED_OPTIONS.containsKey(n)) {
                problems.error(line, where, "option " + n + " is set by " + NAMED_OPTIONS.get(n) + ", not by number");
                continue;
            }
            Object v = t.get(code);
            List<String> values = new ArrayList<>();
            if (v instanceof ConfigArray arr) {
                arr.toList().forEach(e -> values.add(String.valueOf(e)));
            } else if (v instanceof String || v instanceof Long || v instanceof Boolean) {
                values.add(String.valueOf(v));
            } else {
                problems.error(line, where, "expected a string, integer, boolean or list, got " + Section.typeName(v));
                continue;
            }
            out.put(n, List.copyOf(values));
        }
        return out;
    }

    private static Optional<String> mac(String m) {
        String lower = m.toLowerCase(java.util.Locale.ROOT).replace('-', ':');
        return lower.matches("([0-9a-f]{2}:){5}[0-9a-f]{2}") ? Optional.of(lower) : Optional.empty();
    }

    private static Optional<String> hex(String m) {
        String lower = m.toLowerCase(java.util.Locale.ROOT);
        return lower.matches("[0-9a-f]{2}(:[0-9a-f]{2}){1,254}") ? Optional.of(lower) : Optional.empty();
    }
}
