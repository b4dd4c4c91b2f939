package io.warren.gateway.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Parses {@code [interface.NAME]} tables and their {@code [[interface.NAME.peer]]} entries. */
final class InterfaceSection {
    static final Set<String> KEYS =
            Set.of("private-key", "private-key-file", "listen-port", "address", "mtu", "fwmark", "public-endpoint",
                    "queues", "peer");
    static final Set<String> PEER_KEYS = Set.of("name", "public-key", "preshared-key", "preshared-key-file",
            "endpoint", "allowed-ips", "persistent-keepalive", "hub", "relay");

    private final Problems problems;
    private final KeyReader keys;

    InterfaceSection(Problems problems, KeyReader keys) {
        this.problems = problems;
        this.keys = keys;
    }

    Map<String, InterfaceConfig> parseAll(Section root) {
        Map<String, InterfaceConfig> out = new LinkedHashMap<>();
        root.table("interface").ifPresent(all -> {
            for (String name : all.keySet()) {
                int line = all.lineOf(name);
                if (!(all.get(name) instanceof ConfigTable t)) {
                    problems.error(line, "interface." + name, "expected a table [interface." + name + "]");
                    continue;
                }
                Section s = new Section(problems, t, "interface \"" + name + "\"", line);
                if (!ConfigNames.isValidName(name)) {
                    problems.error(line, "interface \"" + name + "\"",
                            "not a valid device name (1-15 letters, digits, '-', '_', '.')");
                }
                parse(name, s).ifPresent(i -> out.put(name, i));
            }
        });
        return out;
    }

    private Optional<InterfaceConfig> parse(String name, Section s) {
        s.rejectUnknownKeys(KEYS);
        Optional<KeyReader.Resolved> key = keys.read(s, "private-key", "private-key-file", true);
        int listenPort = s.port("listen-port").orElse(0);
        List<IpPrefix> addresses = s.list("address", IpPrefix::parse, "an IP address with prefix length")
                .orElse(List.of());
        int mtu = s.integer("mtu", 576, 65535).map(Long::intValue).orElse(InterfaceConfig.DEFAULT_MTU);
        OptionalInt fwmark = s.integer("fwmark", 0, 0xffff_ffffL)
                .filter(m -> m != 0).map(m -> OptionalInt.of((int) (long) m)).orElse(OptionalInt.empty());
        Optional<Endpoint> publicEndpoint = s.value("public-endpoint", t -> Endpoint.parse(t, listenPort),
                "HOST[:PORT] (the gateway's address as remote clients reach it)");
        int queues = s.integer("queues", 1, InterfaceConfig.MAX_QUEUES).map(Long::intValue)
                .orElse(InterfaceConfig.defaultQueues());
        List<PeerConfig> peers = parsePeers(name, s, key.map(k -> k.key().publicKey()));
        return key.map(k -> new InterfaceConfig(name, k.key(), k.file(), listenPort, addresses, mtu, fwmark,
                publicEndpoint, peers, queues));
    }

    private List<PeerConfig> parsePeers(String iface, Section s, Optional<WgKey> ownPublic) {
        List<PeerConfig> peers = new ArrayList<>();
        Optional<ConfigArray> array = s.tables("peer");
        if (array.isEmpty()) {
            return peers;
        }
        Map<WgKey, String> seenKeys = new HashMap<>();
        Map<String, Integer> seenNames = new HashMap<>();
        Map<IpPrefix, PeerConfig> owners = new LinkedHashMap<>();
        ConfigArray a = array.get();
        for (int i = 0; i < a.size(); i++) {
            ConfigTable t = a.getTable(i);
            int line = a.lineOf(i);
            Object nameValue = t.get("name");
            String label = nameValue instanceof String n
                    ? "peer \"" + n + "\"" : "interface \"" + iface + "\" peer #" + (i + 1);
            Section ps = new Section(problems, t, label, line);
            Optional<PeerConfig> peer = parsePeer(ps);
            if (peer.isEmpty()) {
                continue;
            }
            PeerConfig p = peer.get();
            if (ownPublic.filter(p.publicKey()::equals).isPresent()) {
                ps.error("public-key", "is the public key of interface \"" + iface + "\" itself");
                continue;
            }
            String previous = seenKeys.putIfAbsent(p.publicKey(), ps.label());
            if (previous != null) {
                ps.error("public-key", "duplicate public key, already used by " + previous);
                continue;
            }
            if (p.name().isPresent()) {
                Integer before = seenNames.putIfAbsent(p.name().get(), line);
                if (before != null) {
                    ps.error("name", "duplicate peer name on interface \"" + iface + "\" (first at line " + before + ")");
                }
            }
            checkAllowedIps(ps, p, owners);
            peers.add(p);
        }
        return peers;
    }

    private Optional<PeerConfig> parsePeer(Section ps) {
        ps.rejectUnknownKeys(PEER_KEYS);
        Optional<String> name = ps.value("name", n -> Optional.of(n).filter(ConfigNames::isValidPeerName),
                "a valid peer name (one DNS label: letters, digits, '-')");
        Optional<WgKey> publicKey = Optional.empty();
        if (ps.require("public-key")) {
            publicKey = ps.string("public-key").flatMap(text -> {
                Optional<WgKey> k = WgKey.parse(text);
                if (k.isEmpty()) {
                    ps.error("public-key", KeyReader.badKey(text));
                } else if (k.get().isLowOrderPoint()) {
                    ps.error("public-key", "a low-order Curve25519 point (RFC 7748 sec. 6.1): every Diffie-Hellman"
                            + " with it is zero, so no handshake with this peer can succeed");
                    return Optional.empty();
                }
                return k;
            });
        }
        Optional<WgKey> psk = keys.read(ps, "preshared-key", "preshared-key-file", false).map(KeyReader.Resolved::key);
        Optional<Endpoint> endpoint = ps.value("endpoint", Endpoint::parse,
                "an endpoint (host:port, 192.0.2.1:51820 or [2001:db8::1]:51820)");
        List<IpPrefix> allowed = new ArrayList<>();
        for (IpPrefix p : ps.list("allowed-ips", IpPrefix::parse, "an IP prefix").orElse(List.of())) {
            if (!p.isNetwork()) {
                ps.warn("allowed-ips", "\"" + p + "\" has host bits set; it means " + p.network());
            }
            allowed.add(p.network());
        }
        int keepalive = ps.integer("persistent-keepalive", 0, 65535).map(Long::intValue).orElse(0);
        boolean hub = ps.bool("hub", false);
        boolean relay = ps.bool("relay", false);
        if (relay && !hub) {
            ps.error("relay", "a relay must also be a hub (set hub = true)");
        }
        return publicKey.map(k -> new PeerConfig(name, k, psk, endpoint, allowed, keepalive, hub, relay));
    }

    /**
     * The same prefix on two peers is an error (WireGuard would silently move it to the last one);
     * one prefix inside another is legal longest-prefix routing but often a typo, so a warning.
     */
    private void checkAllowedIps(Section ps, PeerConfig p, Map<IpPrefix, PeerConfig> owners) {
        for (IpPrefix prefix : p.allowedIps()) {
            PeerConfig same = owners.get(prefix);
            if (same != null) {
                ps.error("allowed-ips", "\"" + prefix + "\" is also allowed for " + same.label());
                continue;
            }
            for (Map.Entry<IpPrefix, PeerConfig> e : owners.entrySet()) {
                if (e.getValue() != p && e.getKey().overlaps(prefix)) {
                    ps.warn("allowed-ips", "\"" + prefix + "\" overlaps \"" + e.getKey() + "\" of "
                            + e.getValue().label() + "; the longer prefix wins");
                }
            }
        }
        for (IpPrefix prefix : p.allowedIps()) {
            owners.putIfAbsent(prefix, p);
        }
    }
}
