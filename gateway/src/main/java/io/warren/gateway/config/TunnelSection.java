package io.warren.gateway.config;

import io.warren.gateway.encap.l2tpv3.L2SpecificSublayer;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/** Parses {@code [tunnel.NAME]} tables. */
final class TunnelSection {
    private static final Set<String> COMMON =
            Set.of("type", "local", "remote", "encrypted-via", "mtu", "mode", "bridge", "vlan", "forwarding",
                    "forwarding-interfaces");
    private static final Map<TunnelType, Set<String>> SPECIFIC = Map.of(
            TunnelType.GRE, Set.of("key", "sequence", "checksum", "mss-clamp", StaticMacsSection.KEY),
            TunnelType.GRE_UDP, Set.of("key", "port", "sequence", "checksum", "mss-clamp", StaticMacsSection.KEY),
            TunnelType.VXLAN, Set.of("vni", "port", StaticMacsSection.KEY),
            TunnelType.L2TPV3, Set.of("local-session-id", "remote-session-id", "local-cookie", "remote-cookie",
                    "encapsulation", "port", "sequence", "l2-sublayer", StaticMacsSection.KEY));
    static final Set<String> ALL_KEYS = allKeys();

    /** Values of {@code l2-sublayer}: Linux's {@code l2spec_type} names. */
    private static final Map<String, L2SpecificSublayer> SUBLAYERS =
            Map.of("default", L2SpecificSublayer.DEFAULT, "none", L2SpecificSublayer.NONE);

    private final Problems problems;

    TunnelSection(Problems problems) {
        this.problems = problems;
    }

    private static Set<String> allKeys() {
        Set<String> all = new HashSet<>(COMMON);
        SPECIFIC.values().forEach(all::addAll);
        return Set.copyOf(all);
    }

    Map<String, TunnelConfig> parseAll(Section root) {
        Map<String, TunnelConfig> out = new LinkedHashMap<>();
        root.table("tunnel").ifPresent(all -> {
            for (String name : all.keySet()) {
                int line = all.lineOf(name);
                if (!(all.get(name) instanceof ConfigTable t)) {
                    problems.error(line, "tunnel." + name, "expected a table [tunnel." + name + "]");
                    continue;
                }
                Section s = new Section(problems, t, "tunnel \"" + name + "\"", line);
                if (!ConfigNames.isValidName(name)) {
                    problems.error(line, "tunnel \"" + name + "\"",
                            "not a valid device name (1-15 letters, digits, '-', '_', '.')");
                }
                parse(name, s).ifPresent(c -> out.put(name, c));
            }
        });
        return out;
    }

    private Optional<TunnelConfig> parse(String name, Section s) {
        s.rejectUnknownKeys(ALL_KEYS);
        if (!s.require("type")) {
            return Optional.empty();
        }
        Optional<TunnelType> type = s.value("type", TunnelType::fromConfigName,
                "a tunnel type (gre, gre-udp, vxlan or l2tpv3)");
        if (type.isEmpty()) {
            return Optional.empty();
        }
        TunnelType t = type.get();
        Set<String> foreign = new HashSet<>(ALL_KEYS);
        foreign.removeAll(COMMON);
        foreign.removeAll(SPECIFIC.get(t));
        s.rejectKeys(foreign, "not valid for type = \"" + t.configName() + "\"");

        Optional<InetAddress> local = s.value("local", IpAddresses::parse, "an IP address");
        Optional<List<String>> remotes = remotes(s, t);
        remotes.ifPresent(all -> local.ifPresent(l -> all.stream().flatMap(r -> IpAddresses.parse(r).stream())
                .filter(r -> l.getAddress().length != r.getAddress().length).findFirst()
                .ifPresent(r -> s.error("local", "is " + family(l) + " but remote is " + family(r)))));
        boolean layer2 = layer2(s, t);
        Optional<String> via = s.value("encrypted-via", v -> Optional.of(v).filter(TunnelSection::isViaName),
                "a WireGuard interface name or INTERFACE/PEER");
        OptionalInt mtu = s.integer("mtu", 576, 65535).map(m -> OptionalInt.of((int) (long) m)).orElse(OptionalInt.empty());
        Optional<String> bridge = s.value("bridge", b -> Optional.of(b).filter(ConfigNames::isValidName),
                "a valid bridge name");
        OptionalInt vlan = s.integer("vlan", 1, 4094).map(v -> OptionalInt.of((int) (long) v)).orElse(OptionalInt.empty());
        if (!layer2) {
            if (bridge.isPresent()) {
                s.error("bridge", "only valid for an L2 tunnel (mode = \"l2\")");
            }
            if (vlan.isPresent()) {
                s.error("vlan", "only valid for an L2 tunnel (mode = \"l2\")");
            }
            if (s.has(StaticMacsSection.KEY)) {
                s.error(StaticMacsSection.KEY, "only valid for an L2 tunnel (mode = \"l2\"): an L3 tunnel has no MAC table");
            }
        } else if (s.has("mss-clamp")) {
            s.error("mss-clamp", "only valid for an L3 tunnel (mode = \"l3\"): L2 tunnels carry Ethernet frames as they are");
        }
        Forwarding forwarding = forwarding(s);
        Optional<TunnelParams> params = params(s, t);
        List<StaticMac> statics = layer2 && SPECIFIC.get(t).contains(StaticMacsSection.KEY)
                ? remotes.map(r -> new StaticMacsSection(s).parse(t, r)).orElse(List.of()) : List.of();
        if (remotes.isEmpty() || params.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TunnelConfig(name, t, layer2, local, remotes.get(), params.get(), via, mtu, bridge,
                vlan, statics, forwarding));
    }

    /**
     * {@code remote}: one address or host name, or for VXLAN a list of them (head-end replication,
     * RFC 7348 §4.2); empty if missing or invalid (reported).
     */
    private static Optional<List<String>> remotes(Section s, TunnelType t) {
        if (!s.require("remote")) {
            return Optional.empty();
        }
        int problemsBefore = s.errorCount();
        Optional<List<String>> list = s.list("remote", r -> Optional.of(r).filter(x ->
                IpAddresses.parse(x).isPresent() || IpAddresses.isHostName(x)), "an IP address or host name");
        if (list.isEmpty() || s.errorCount() != problemsBefore) {
            return Optional.empty();
        }
        List<String> all = list.get();
        if (all.isEmpty()) {
            s.error("remote", "the list is empty; give at least one address");
            return Optional.empty();
        }
        if (all.size() > 1 && t != TunnelType.VXLAN) {
            s.error("remote", "a list of remotes is only valid for type = \"vxlan\" (head-end replication); "
                    + t.configName() + " has one remote");
            return Optional.empty();
        }
        Set<String> seen = new HashSet<>();
        for (String r : all) {
            String canonical = IpAddresses.parse(r).map(InetAddress::getHostAddress).orElse(r.toLowerCase(java.util.Locale.ROOT));
            if (!seen.add(canonical)) {
                s.error("remote", Section.quote(r) + " is listed twice");
                return Optional.empty();
            }
        }
        return Optional.of(all);
    }

    /** {@code forwarding = true} and the optional {@code forwarding-interfaces} (host LAN ports). */
    private static Forwarding forwarding(Section s) {
        boolean on = s.bool("forwarding", false);
        List<String> more = s.list("forwarding-interfaces", n -> Optional.of(n).filter(ConfigNames::isValidName),
                "a valid interface name (1-15 letters, digits, '-', '_', '.')").orElse(List.of());
        if (s.has("forwarding-interfaces") && !on) {
            s.error("forwarding-interfaces", "needs forwarding = true");
            return Forwarding.OFF;
        }
        return on ? new Forwarding(true, more) : Forwarding.OFF;
    }

    /**
     * {@code mss-clamp}: true (default, clamp to what fits the tunnel MTU), false, or an MSS ceiling
     * ({@value TunnelParams.MssClamp#MIN}..{@value TunnelParams.MssClamp#MAX}).
     */
    private static TunnelParams.MssClamp mssClamp(Section s) {
        Object v = s.table().get("mss-clamp");
        if (v == null) {
            return TunnelParams.MssClamp.AUTO;
        }
        if (v instanceof Boolean b) {
            return b ? TunnelParams.MssClamp.AUTO : TunnelParams.MssClamp.OFF;
        }
        if (v instanceof Long n) {
            if (n < TunnelParams.MssClamp.MIN || n > TunnelParams.MssClamp.MAX) {
                s.error("mss-clamp", n + " is out of range " + TunnelParams.MssClamp.MIN + ".." + TunnelParams.MssClamp.MAX);
                return TunnelParams.MssClamp.AUTO;
            }
            return TunnelParams.MssClamp.atMost((int) (long) n);
        }
        s.error("mss-clamp", "expected true, false or an MSS (" + TunnelParams.MssClamp.MIN + ".."
                + TunnelParams.MssClamp.MAX + "), got " + Section.typeName(v));
        return TunnelParams.MssClamp.AUTO;
    }

    private static boolean isViaName(String v) {
        int slash = v.indexOf('/');
        return slash < 0 ? ConfigNames.isValidName(v)
                : ConfigNames.isValidName(v.substring(0, slash)) && ConfigNames.isValidPeerName(v.substring(slash + 1));
    }

    private static String family(InetAddress a) {
        return a.getAddress().length == 4 ? "IPv4" : "IPv6";
    }

    private static boolean layer2(Section s, TunnelType t) {
        Optional<String> mode = s.value("mode", m -> Optional.of(m).filter(x -> x.equals("l2") || x.equals("l3")),
                "a mode (\"l2\" or \"l3\")");
        boolean l3Capable = t == TunnelType.GRE || t == TunnelType.GRE_UDP;
        if (!l3Capable && mode.filter("l3"::equals).isPresent()) {
            s.error("mode", t.configName() + " carries Ethernet frames only; use mode = \"l2\"");
        }
        return l3Capable ? mode.filter("l2"::equals).isPresent() : true;
    }

    private Optional<TunnelParams> params(Section s, TunnelType t) {
        switch (t) {
            case GRE:
                return Optional.of(new TunnelParams.Gre(greKey(s), s.bool("sequence", false), s.bool("checksum", false),
                        mssClamp(s)));
            case GRE_UDP:
                return Optional.of(new TunnelParams.GreUdp(greKey(s), s.port("port").orElse(t.defaultPort()),
                        s.bool("sequence", false), s.bool("checksum", false), mssClamp(s)));
            case VXLAN: {
                if (!s.require("vni")) {
                    return Optional.empty();
                }
                Optional<Long> vni = s.integer("vni", 0, 0xff_ffffL);
                int port = s.port("port").orElse(t.defaultPort());
                return vni.map(v -> new TunnelParams.Vxlan((int) (long) v, port));
            }
            case L2TPV3:
                return l2tpv3(s, t);
            default:
                throw new IllegalStateException("unhandled tunnel type " + t);
        }
    }

    private static OptionalLong greKey(Section s) {
        return s.integer("key", 0, 0xffff_ffffL).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    private Optional<TunnelParams> l2tpv3(Section s, TunnelType t) {
        boolean haveIds = s.require("local-session-id") & s.require("remote-session-id");
        Optional<Long> localId = s.integer("local-session-id", 1, 0xffff_ffffL);
        Optional<Long> remoteId = s.integer("remote-session-id", 1, 0xffff_ffffL);
        TunnelParams.Cookie localCookie = cookie(s, "local-cookie");
        TunnelParams.Cookie remoteCookie = cookie(s, "remote-cookie");
        Optional<String> encap = s.value("encapsulation", e -> Optional.of(e).filter(x -> x.equals("ip") || x.equals("udp")),
                "an encapsulation (\"ip\" or \"udp\")");
        boolean udp = encap.filter("udp"::equals).isPresent();
        if (!udp && s.has("port")) {
            s.error("port", "only valid with encapsulation = \"udp\"");
        }
        int port = s.port("port").orElse(t.defaultPort());
        boolean seq = s.bool("sequence", false);
        L2SpecificSublayer sublayer = s.value("l2-sublayer", v -> Optional.ofNullable(SUBLAYERS.get(v)),
                "an L2-Specific Sublayer (\"default\" or \"none\")").orElse(L2SpecificSublayer.DEFAULT);
        if (seq && sublayer != L2SpecificSublayer.DEFAULT) {
            s.error("sequence", "needs l2-sublayer = \"default\": sequence numbers are carried in the default"
                    + " L2-Specific Sublayer (RFC 3931 §4.6)");
            return Optional.empty();
        }
        if (!haveIds || localId.isEmpty() || remoteId.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TunnelParams.L2tpv3(localId.get(), remoteId.get(), localCookie, remoteCookie, udp, port,
                seq, sublayer));
    }

    /** A cookie as 8 or 16 hex digits, colons allowed: {@code "0a0b0c0d"} or {@code "0a:0b:0c:0d"}. */
    private static TunnelParams.Cookie cookie(Section s, String key) {
        return s.value(key, c -> {
            String hex = c.replace(":", "");
            if (!hex.matches("[0-9A-Fa-f]{8}|[0-9A-Fa-f]{16}")) {
                return Optional.empty();
            }
            return Optional.of(new TunnelParams.Cookie(Long.parseUnsignedLong(hex, 16), hex.length() / 2));
        }, "a cookie (4 or 8 bytes in hex, e.g. \"0a0b0c0d\")").orElse(TunnelParams.Cookie.NONE);
    }
}
