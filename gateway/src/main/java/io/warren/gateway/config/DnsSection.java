package io.warren.gateway.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Parses {@code [dns]}: listen addresses, upstreams (configured, or read from a resolv.conf),
 * split-DNS domains, local domains per name origin, forwarder limits and static records. Record
 * data is validated by dnsjava's zone-file parser (RFC 1035 §5.1), so what loads here is what the
 * server answers.
 */
final class DnsSection {
    static final Set<String> KEYS = Set.of("enabled", "listen", "upstreams", "domains", "local-domain",
            "hosts-files", "cache-size", "lease-domain", "peer-domain", "resolv-file", "upstream-timeout",
            "max-forwards", "max-negative-ttl", "record");
    static final Set<String> RECORD_KEYS = Set.of("name", "type", "value", "ttl");
    private static final int DNS_PORT = 53;
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(10);
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MAX_NEGATIVE = Duration.ofDays(1);

    private final Problems problems;

    DnsSection(Problems problems) {
        this.problems = problems;
    }

    DnsConfig parse(Section root) {
        if (root.table("dns").isEmpty()) {
            return DnsConfig.DISABLED;
        }
        Section s = new Section(problems, root.table("dns").get(), "[dns]", root.lineOf("dns"));
        s.rejectUnknownKeys(KEYS);
        boolean enabled = s.bool("enabled", true);
        List<InetSocketAddress> listen = s.list("listen", t -> ServiceSections.socket(t, DNS_PORT),
                "an address (IP or IP:port)").orElse(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), DNS_PORT)));
        List<InetSocketAddress> upstreams = s.list("upstreams", t -> ServiceSections.socket(t, DNS_PORT),
                "an address (IP or IP:port)").orElse(List.of());
        Optional<Path> resolvFile = s.value("resolv-file", t -> Optional.of(Path.of(t)).filter(Path::isAbsolute),
                "an absolute path");
        if (s.has("upstreams") && s.has("resolv-file")) {
            s.error("resolv-file", "give either upstreams or resolv-file, not both");
        } else if (enabled && !s.has("upstreams") && !s.has("resolv-file")) {
            s.error("upstreams", "missing (required when DNS is enabled; or name a resolv-file to read them from)");
        }
        Map<String, List<InetSocketAddress>> domains = domainUpstreams(s);
        refuseSelf(s, "upstreams", upstreams, listen);
        s.table("domains").ifPresent(t -> {
            Section ds = new Section(problems, t, "[dns.domains]", s.lineOf("domains"));
            domains.forEach((domain, list) -> refuseSelf(ds, domain, list, listen));
        });
        Optional<String> localDomain = domain(s, "local-domain");
        Optional<String> leaseDomain = domain(s, "lease-domain");
        Optional<String> peerDomain = domain(s, "peer-domain");
        List<Path> hosts = s.list("hosts-files", t -> Optional.of(Path.of(t)).filter(Path::isAbsolute), "an absolute path")
                .orElse(List.of());
        int cache = s.integer("cache-size", 0, 1_000_000).map(Long::intValue).orElse(DnsConfig.DEFAULT_CACHE_SIZE);
        Duration timeout = duration(s, "upstream-timeout", MIN_TIMEOUT, MAX_TIMEOUT, DnsConfig.DEFAULT_UPSTREAM_TIMEOUT);
        int maxForwards = s.integer("max-forwards", 1, 60_000).map(Long::intValue).orElse(DnsConfig.DEFAULT_MAX_FORWARDS);
        Duration negative = duration(s, "max-negative-ttl", Duration.ZERO, MAX_NEGATIVE, DnsConfig.DEFAULT_MAX_NEGATIVE_TTL);
        List<DnsRecord> records = records(s);
        return new DnsConfig(enabled, listen, upstreams, domains, localDomain, hosts, cache, leaseDomain, peerDomain,
                resolvFile.orElse(DnsConfig.DEFAULT_RESOLV_FILE), timeout, maxForwards, negative, records);
    }

    private Map<String, List<InetSocketAddress>> domainUpstreams(Section s) {
        Map<String, List<InetSocketAddress>> domains = new LinkedHashMap<>();
        s.table("domains").ifPresent(t -> {
            Section ds = new Section(problems, t, "[dns.domains]", s.lineOf("domains"));
            for (String domain : t.keySet()) {
                if (!IpAddresses.isDomainName(domain)) {
                    ds.error(domain, "not a domain name");
                    continue;
                }
                ds.list(domain, x -> ServiceSections.socket(x, DNS_PORT), "an address (IP or IP:port)")
                        .ifPresent(l -> domains.put(domain, l));
            }
        });
        return domains;
    }

    /**
     * An upstream that is one of our own listen addresses (or loopback under a wildcard listen
     * address) would send every query back to us, in a loop until the attempts run out: refused, as
     * resolv.conf entries like it are skipped ({@code io.warren.gateway.dns.ResolvConf}).
     */
    private static void refuseSelf(Section s, String key, List<InetSocketAddress> upstreams,
            List<InetSocketAddress> listen) {
        for (InetSocketAddress u : upstreams) {
            for (InetSocketAddress l : listen) {
                if (IpAddresses.reaches(u, l)) {
                    s.error(key, show(u) + " is our own listen address " + show(l)
                            + ": queries forwarded there would come back to us");
                    break;
                }
            }
        }
    }

    private static String show(InetSocketAddress a) {
        String ip = IpAddresses.compact(a.getAddress());
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + a.getPort();
    }

    private static Optional<String> domain(Section s, String key) {
        return s.value(key, d -> Optional.of(d).filter(IpAddresses::isDomainName), "a domain name");
    }

    /** A duration string ({@code "500ms"}, {@code "2s"}) or whole seconds, in {@code [min, max]}. */
    static Duration duration(Section s, String key, Duration min, Duration max, Duration dflt) {
        if (!s.has(key)) {
            return dflt;
        }
        Object v = s.table().get(key);
        Optional<Duration> d = v instanceof Long
                ? s.integer(key, 0, Integer.MAX_VALUE).map(Duration::ofSeconds)
                : s.value(key, Durations::parse, "a duration (e.g. \"500ms\", \"2s\", \"1h\")");
        if (d.isPresent() && (d.get().compareTo(min) < 0 || d.get().compareTo(max) > 0)) {
            s.error(key, "must be between " + show(min) + " and " + show(max));
            return dflt;
        }
        return d.orElse(dflt);
    }

    private static String show(Duration d) {
        return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : d.toSeconds() + "s";
    }

    private List<DnsRecord> records(Section s) {
        List<DnsRecord> out = new ArrayList<>();
        Optional<ConfigArray> array = s.tables("record");
        if (array.isEmpty()) {
            return out;
        }
        Map<String, Integer> cnames = new HashMap<>();
        Map<String, Integer> others = new HashMap<>();
        ConfigArray a = array.get();
        for (int i = 0; i < a.size(); i++) {
            int line = a.lineOf(i);
            Section rs = new Section(problems, a.getTable(i), "dns record #" + (i + 1), line);
            rs.rejectUnknownKeys(RECORD_KEYS);
            boolean complete = rs.require("name") & rs.require("type") & rs.require("value");
            Optional<String> name = rs.value("name", DnsSection::ownerName, "a domain name");
            Optional<String> type = rs.value("type", t -> Optional.of(t.toUpperCase(Locale.ROOT))
                    .filter(DnsRecord.TYPES::contains), "a supported record type (A, AAAA, CNAME, MX, TXT, PTR, SRV)");
            Optional<String> value = rs.string("value");
            Optional<Long> ttl = rs.integer("ttl", 0, 0x7FFF_FFFFL); // RFC 2181 §8
            if (!complete || name.isEmpty() || type.isEmpty() || value.isEmpty()) {
                continue;
            }
            Optional<String> problem = rdataProblem(name.get(), type.get(), value.get());
            if (problem.isPresent()) {
                rs.error("value", Section.quote(value.get()) + " is not " + type.get() + " data: " + problem.get());
                continue;
            }
            String key = name.get().toLowerCase(Locale.ROOT);
            Map<String, Integer> mine = type.get().equals("CNAME") ? cnames : others;
            Map<String, Integer> theirs = type.get().equals("CNAME") ? others : cnames;
            Integer clash = theirs.get(key);
            if (clash == null && type.get().equals("CNAME")) {
                clash = cnames.get(key);
            }
            if (clash != null) {
                // RFC 1034 §3.6.2, RFC 2181 §10.1: a CNAME owner has no other data, and one CNAME only.
                rs.error("name", "\"" + name.get() + "\" has a CNAME and other records (line " + clash
                        + "); a CNAME must be the only record of its name");
                continue;
            }
            mine.putIfAbsent(key, line);
            out.add(new DnsRecord(name.get(), type.get(), value.get(), ttl));
        }
        return out;
    }

    /** An owner name: a domain name, or a reverse name ({@code 5.1.168.192.in-addr.arpa}); trailing dot dropped. */
    private static Optional<String> ownerName(String n) {
        String bare = n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
        return Optional.of(bare).filter(x -> x.contains(".") || IpAddresses.isDomainName(x))
                .filter(x -> toName(x).isPresent() && x.matches("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9])?"));
    }

    /** Why dnsjava rejects {@code data} as RDATA of {@code type}, if it does. */
    static Optional<String> rdataProblem(String owner, String type, String data) {
        try {
            Record.fromString(toName(owner).orElseThrow(), Type.value(type), DClass.IN, 0, data, Name.root);
            return Optional.empty();
        } catch (java.io.IOException | RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return Optional.of(m.replaceAll("^'[^']*': ", "").replaceAll("\\s+", " ").strip());
        }
    }

    private static Optional<Name> toName(String n) {
        try {
            return Optional.of(Name.fromString(n, Name.root));
        } catch (TextParseException e) {
            return Optional.empty();
        }
    }
}
