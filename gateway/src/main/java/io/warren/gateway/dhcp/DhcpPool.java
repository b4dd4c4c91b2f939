package io.warren.gateway.dhcp;

import io.warren.gateway.config.DhcpHost;
import io.warren.gateway.config.DhcpPoolConfig;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * One pool ready for the lease machine: the config's addresses as ints, its static hosts indexed by
 * MAC, client-id and address, and its options encoded once. Immutable.
 */
final class DhcpPool {

    final String name;
    final String iface;
    final int network;
    final int mask;
    final int rangeStart;
    final int rangeEnd;
    final long leaseSeconds;
    /** Options sent to every client of the pool, in dnsmasq's order: 1, 28, 15, 6, 3, then the admin's extras. */
    final Map<Integer, byte[]> options;
    /** Trusted relays as (network, mask) pairs; empty: any relay. */
    private final int[] relayNetworks;
    private final int[] relayMasks;
    private final Map<String, DhcpHost> hostsByMac = new HashMap<>();
    private final Map<String, DhcpHost> hostsByClientId = new HashMap<>();
    private final Map<Integer, DhcpHost> hostsByAddress = new HashMap<>();
    private final Set<String> hostNames = new HashSet<>();
    /** Hosts with their own router, DNS or options: the pool's options with theirs put over them. */
    private final Map<DhcpHost, Map<Integer, byte[]>> hostOptions = new IdentityHashMap<>();

    private DhcpPool(DhcpPoolConfig c, BiConsumer<Integer, String> badOption) {
        this.name = c.name();
        this.iface = c.iface();
        this.mask = DhcpText.mask(c.subnet().length());
        this.network = DhcpText.ipv4(c.subnet().address()) & mask;
        this.rangeStart = DhcpText.ipv4(c.rangeStart());
        this.rangeEnd = DhcpText.ipv4(c.rangeEnd());
        this.leaseSeconds = Math.max(1, Math.min(0xfffffffeL, c.leaseTime().toSeconds()));
        this.relayNetworks = new int[c.trustedRelays().size()];
        this.relayMasks = new int[c.trustedRelays().size()];
        for (int i = 0; i < relayNetworks.length; i++) {
            relayMasks[i] = DhcpText.mask(c.trustedRelays().get(i).length());
            relayNetworks[i] = DhcpText.ipv4(c.trustedRelays().get(i).address()) & relayMasks[i];
        }
        LinkedHashMap<Integer, byte[]> o = new LinkedHashMap<>();
        o.put(DhcpWire.OPT_SUBNET_MASK, DhcpText.int32(mask));
        o.put(DhcpWire.OPT_BROADCAST_ADDRESS, DhcpText.int32(network | ~mask));
        c.domain().ifPresent(d -> o.put(DhcpWire.OPT_DOMAIN_NAME, d.getBytes(StandardCharsets.US_ASCII)));
        putDns(o, c.dns());
        c.router().ifPresent(r -> o.put(DhcpWire.OPT_ROUTER, DhcpText.int32(DhcpText.ipv4(r))));
        putExtras(o, c.options(), badOption);
        this.options = Collections.unmodifiableMap(o);
        for (DhcpHost h : c.hosts()) {
            h.mac().ifPresent(m -> hostsByMac.put(m, h));
            h.clientId().ifPresent(id -> hostsByClientId.put(id, h));
            hostsByAddress.put(DhcpText.ipv4(h.address()), h);
            h.name().ifPresent(n -> hostNames.add(n.toLowerCase(Locale.ROOT)));
            if (h.hasOwnOptions()) {
                // Same order as the pool's; an option the pool lacks goes at the end.
                LinkedHashMap<Integer, byte[]> mine = new LinkedHashMap<>(o);
                putDns(mine, h.dns());
                h.router().ifPresent(r -> mine.put(DhcpWire.OPT_ROUTER, DhcpText.int32(DhcpText.ipv4(r))));
                putExtras(mine, h.options(), badOption);
                hostOptions.put(h, Collections.unmodifiableMap(mine));
            }
        }
    }

    private static void putDns(Map<Integer, byte[]> o, List<java.net.InetAddress> servers) {
        if (servers.isEmpty()) {
            return;
        }
        byte[] dns = new byte[4 * servers.size()];
        for (int i = 0; i < servers.size(); i++) {
            System.arraycopy(DhcpText.int32(DhcpText.ipv4(servers.get(i))), 0, dns, 4 * i, 4);
        }
        o.put(DhcpWire.OPT_DNS, dns);
    }

    /**
     * Options the server writes itself in every reply (RFC 2131 §4.3.1 Table 3: 51, 53, 54, T1/T2 of
     * RFC 2132 §9.11/§9.12; 52 is the encoder's; 82 is the relay's, echoed per RFC 3046 §2.2) or
     * that only clients send (50, 55, 57, 61). An admin value for them would be appended to the
     * server's own and make the reply invalid, so they are refused like a value of the wrong type.
     */
    private static final Set<Integer> SERVER_OWNED = Set.of(DhcpWire.OPT_REQUESTED_ADDRESS,
            DhcpWire.OPT_LEASE_TIME, DhcpWire.OPT_OVERLOAD, DhcpWire.OPT_MESSAGE_TYPE, DhcpWire.OPT_SERVER_ID,
            DhcpWire.OPT_PARAMETER_REQUEST_LIST, DhcpWire.OPT_MAX_MESSAGE_SIZE, DhcpWire.OPT_RENEWAL_TIME,
            DhcpWire.OPT_REBINDING_TIME, DhcpWire.OPT_CLIENT_ID, DhcpWire.OPT_RELAY_AGENT_INFO);

    private static void putExtras(Map<Integer, byte[]> o, Map<Integer, List<String>> extras,
            BiConsumer<Integer, String> badOption) {
        extras.forEach((code, values) -> {
            if (SERVER_OWNED.contains(code)) {
                badOption.accept(code, String.join(",", values));
                return;
            }
            Optional<byte[]> v = OptionValues.encode(code, values);
            if (v.isPresent()) {
                o.put(code, v.get());
            } else {
                badOption.accept(code, String.join(",", values));
            }
        });
    }

    /** The options for a client: its static host's own, else the pool's. */
    Map<Integer, byte[]> optionsFor(Optional<DhcpHost> host) {
        return host.map(hostOptions::get).orElse(options);
    }

    /**
     * @param badOption told (code, value) of each admin option whose value does not fit its type;
     *                  that option is left out
     */
    static DhcpPool of(DhcpPoolConfig c, BiConsumer<Integer, String> badOption) {
        return new DhcpPool(c, badOption);
    }

    static List<DhcpPool> of(List<DhcpPoolConfig> configs, BiConsumer<Integer, String> badOption) {
        return configs.stream().map(c -> of(c, badOption)).toList();
    }

    boolean inSubnet(int address) {
        return (address & mask) == network;
    }

    boolean inRange(int address) {
        return Integer.compareUnsigned(address, rangeStart) >= 0 && Integer.compareUnsigned(address, rangeEnd) <= 0;
    }

    /** The subnet's broadcast address. */
    int broadcast() {
        return network | ~mask;
    }

    int rangeSize() {
        return rangeEnd - rangeStart + 1;
    }

    /** The static host for a client, by client-id first, then by Ethernet MAC. */
    Optional<DhcpHost> host(DhcpMessage m) {
        Optional<byte[]> id = m.options().clientId();
        if (id.isPresent()) {
            DhcpHost h = hostsByClientId.get(DhcpText.hex(id.get()));
            if (h != null) {
                return Optional.of(h);
            }
        }
        if (m.htype() == DhcpWire.HTYPE_ETHERNET && m.hlen() == 6) {
            return Optional.ofNullable(hostsByMac.get(DhcpText.hex(m.hardwareAddress())));
        }
        return Optional.empty();
    }

    /**
     * True if a relayed request whose datagram came from {@code source} may use this pool: the pool
     * lists no trusted relays, or {@code source} is one of them.
     */
    boolean trustsRelay(int source) {
        if (relayNetworks.length == 0) {
            return true;
        }
        for (int i = 0; i < relayNetworks.length; i++) {
            if ((source & relayMasks[i]) == relayNetworks[i]) {
                return true;
            }
        }
        return false;
    }

    /** True if some static host of this pool is named {@code lowerCaseName}. */
    boolean isStaticName(String lowerCaseName) {
        return hostNames.contains(lowerCaseName);
    }

    /** True if the static host at {@code address} is the client of {@code lease} (by client-id or MAC). */
    boolean isStaticHostOf(int address, DhcpLease lease) {
        DhcpHost h = hostsByAddress.get(address);
        return h != null && (h.clientId().isPresent() && h.clientId().equals(lease.clientId())
                || h.mac().isPresent() && h.mac().get().equalsIgnoreCase(lease.hardwareAddress()));
    }

    /** True if {@code address} belongs to some static host. */
    boolean isStaticAddress(int address) {
        return hostsByAddress.containsKey(address);
    }
}
