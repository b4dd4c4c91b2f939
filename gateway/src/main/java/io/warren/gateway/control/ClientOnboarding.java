package io.warren.gateway.control;

import io.warren.gateway.config.DhcpPoolConfig;
import io.warren.gateway.config.Endpoint;
import io.warren.gateway.config.InterfaceConfig;
import io.warren.gateway.config.IpPrefix;
import io.warren.gateway.config.RouteConfig;
import io.warren.gateway.config.RouteVia;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.config.WgKey;
import io.warren.gateway.dns.HostNames;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The core of {@code client add}: from the current config (and its text), the request and a fresh
 * key pair, the peer block to append to the file and the client's wg-quick config. Pure: the file
 * I/O is in {@link ClientFiles}, the key comes from the caller.
 */
public final class ClientOnboarding {
    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_-]+");
    /** What the client config asks for: keeps NAT mappings open from behind home routers. */
    static final int KEEPALIVE = 25;

    /**
     * What to do.
     *
     * @param iface        the interface the client joins
     * @param address      its tunnel address ({@code /32})
     * @param newText      the config file's new text (the old text, unchanged, plus the peer block)
     * @param clientConfig the wg-quick config for the client (holds its private key)
     */
    public record Plan(String iface, IpPrefix address, String newText, String clientConfig) {
        @Override
        public String toString() {
            return "Plan[" + iface + " " + address + "]";
        }
    }

    private ClientOnboarding() {
    }

    public static Plan plan(WarrenConfig config, String text, ControlRequest.ClientAdd req, WgKey clientKey,
                            LocalDate today) throws ControlFailure {
        if (!HostNames.isLabel(req.name())) {
            throw rejected("\"" + req.name() + "\" is not a valid client name (one DNS label: letters, digits, '-')");
        }
        InterfaceConfig ic = pickInterface(config, req.iface());
        if (ic.peerNamed(req.name()).isPresent()) {
            throw rejected("interface " + ic.name() + " already has a peer named \"" + req.name() + "\"");
        }
        if (req.endpoint() == null && ic.publicEndpoint().isEmpty()) {
            throw rejected("the config has no public-endpoint for " + ic.name()
                    + ": set [interface." + ic.name() + "] public-endpoint, or pass --endpoint HOST[:PORT]"
                    + " (the gateway's address as clients reach it)");
        }
        Endpoint endpoint = (req.endpoint() == null ? ic.publicEndpoint() : Endpoint.parse(req.endpoint(), ic.listenPort()))
                .orElseThrow(() -> rejected("\"" + req.endpoint() + "\" is not HOST[:PORT]"
                        + (ic.listenPort() == 0 ? " (the interface has no fixed listen-port: give the port)" : "")));
        IpPrefix address = AddressAllocator.nextFree(config, ic)
                .orElseThrow(() -> rejected("no free address on " + ic.name()
                        + " (it needs an IPv4 address with room for clients)"));
        List<String> allowed = allowedIps(config, ic, req.allowedIps());
        String block = peerBlock(ic.name(), req.name(), clientKey.publicKey(), address, today);
        String newText = text.isEmpty() || text.endsWith("\n") ? text + block : text + "\n" + block;
        return new Plan(ic.name(), address, newText, clientConfig(config, ic, clientKey, address, endpoint, allowed));
    }

    private static InterfaceConfig pickInterface(WarrenConfig config, String name) throws ControlFailure {
        if (name == null) {
            return config.interfaces().values().stream().findFirst()
                    .orElseThrow(() -> rejected("no WireGuard interface is configured"));
        }
        InterfaceConfig ic = config.interfaces().get(name);
        if (ic == null) {
            throw rejected("no interface \"" + name + "\" (configured: " + String.join(", ", config.interfaces().keySet()) + ")");
        }
        return ic;
    }

    /** The given prefixes, or the gateway's networks: interface networks, DHCP subnets, routed prefixes. */
    static List<String> allowedIps(WarrenConfig config, InterfaceConfig ic, List<String> given) throws ControlFailure {
        Set<IpPrefix> out = new LinkedHashSet<>();
        if (!given.isEmpty()) {
            for (String s : given) {
                out.add(IpPrefix.parse(s.strip()).orElseThrow(() -> rejected("\"" + s + "\" is not an IP prefix")).network());
            }
        } else {
            ic.addresses().forEach(a -> out.add(a.network()));
            for (DhcpPoolConfig pool : config.dhcpPools().values()) {
                out.add(pool.subnet().network());
            }
            for (RouteConfig r : config.routes()) {
                if (!(r.via() instanceof RouteVia.Blackhole) && r.prefix().length() > 0) {
                    out.add(r.prefix().network());
                }
            }
        }
        return out.stream().map(IpPrefix::toString).toList();
    }

    static String peerBlock(String iface, String name, WgKey publicKey, IpPrefix address, LocalDate today) {
        String key = BARE_KEY.matcher(iface).matches() ? iface : "\"" + iface + "\"";
        return "\n# client \"" + name + "\", added by 'warren client add' on " + today + "\n"
                + "[[interface." + key + ".peer]]\n"
                + "name = \"" + name + "\"\n"
                + "public-key = \"" + publicKey.toBase64() + "\"\n"
                + "allowed-ips = [\"" + address + "\"]\n";
    }

    static String clientConfig(WarrenConfig config, InterfaceConfig ic, WgKey clientKey, IpPrefix address,
                               Endpoint endpoint, List<String> allowed) {
        StringBuilder sb = new StringBuilder("[Interface]\n");
        sb.append("PrivateKey = ").append(clientKey.toBase64()).append('\n');
        sb.append("Address = ").append(address).append('\n');
        dnsServer(config, ic).ifPresent(d -> sb.append("DNS = ").append(d).append('\n'));
        sb.append("\n[Peer]\n");
        sb.append("PublicKey = ").append(ic.publicKey().toBase64()).append('\n');
        String host = endpoint.host().indexOf(':') >= 0 ? "[" + endpoint.host() + "]" : endpoint.host();
        sb.append("Endpoint = ").append(host).append(':').append(endpoint.port()).append('\n');
        sb.append("AllowedIPs = ").append(String.join(", ", allowed)).append('\n');
        sb.append("PersistentKeepalive = ").append(KEEPALIVE).append('\n');
        return sb.toString();
    }

    /** The interface's own IPv4 address when the gateway serves DNS. */
    private static Optional<String> dnsServer(WarrenConfig config, InterfaceConfig ic) {
        if (!config.dns().enabled()) {
            return Optional.empty();
        }
        return ic.addresses().stream().filter(IpPrefix::isV4).findFirst().map(a -> a.address().getHostAddress());
    }

    private static ControlFailure rejected(String message) {
        return new ControlFailure(ControlFailure.REJECTED, message);
    }

    /** Lines of the client config without wg-quick-only keys (Address, DNS...), as {@code wg-quick strip}. */
    public static String strip(String wgQuickConfig) {
        List<String> out = new ArrayList<>();
        for (String line : wgQuickConfig.split("\n", -1)) {
            String k = line.contains("=") ? line.substring(0, line.indexOf('=')).strip() : "";
            if (!Set.of("Address", "DNS", "MTU", "Table", "PreUp", "PostUp", "PreDown", "PostDown", "SaveConfig").contains(k)) {
                out.add(line);
            }
        }
        return String.join("\n", out);
    }
}
