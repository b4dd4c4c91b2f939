package io.warren.gateway.daemon;

import io.warren.gateway.config.Endpoint;
import io.warren.gateway.config.InterfaceConfig;
import io.warren.gateway.config.IpPrefix;
import io.warren.gateway.config.PeerConfig;
import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.DeviceState;
import io.warren.gateway.uapi.PeerEndpoint;
import io.warren.gateway.uapi.PeerState;
import io.warren.gateway.uapi.UapiKey;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/** Translates an {@code [interface.NAME]} section into the WireGuard state it asks for. */
final class InterfaceStates {
    private static final Logger LOG = Logger.getLogger(InterfaceStates.class.getName());

    private InterfaceStates() {
    }

    static DeviceState of(InterfaceConfig ic) {
        return of(ic, InterfaceStates::lookup);
    }

    /** Looks up a host name (or parses a literal); empty when it does not resolve. */
    interface Resolver extends java.util.function.Function<String, Optional<InetAddress>> {
        default Optional<InetAddress> resolve(String host) {
            return apply(host);
        }
    }

    /** The system resolver (blocking). */
    static Optional<InetAddress> lookup(String host) {
        try {
            return Optional.of(InetAddress.getByName(host));
        } catch (UnknownHostException ex) {
            return Optional.empty();
        }
    }

    /** As {@link #of(InterfaceConfig)}, resolving endpoint host names with {@code resolver}. */
    static DeviceState of(InterfaceConfig ic, Resolver resolver) {
        List<PeerState> peers = new ArrayList<>();
        for (PeerConfig pc : ic.peers()) {
            peers.add(new PeerState(UapiKey.of(pc.publicKey().toBytes()),
                    pc.presharedKey().map(k -> UapiKey.of(k.toBytes())).orElse(UapiKey.ZERO),
                    pc.endpoint().flatMap(e -> resolve(ic.name(), pc, e, resolver)),
                    0, 0, 0, 0, pc.persistentKeepalive(), allowedIps(pc.allowedIps())));
        }
        return new DeviceState(Optional.of(UapiKey.of(ic.privateKey().toBytes())), ic.listenPort(),
                ic.fwmark().orElse(0) & 0xffff_ffffL, peers);
    }

    static List<AllowedIp> allowedIps(List<IpPrefix> prefixes) {
        List<AllowedIp> out = new ArrayList<>(prefixes.size());
        for (IpPrefix p : prefixes) {
            out.add(AllowedIp.of(p.network().address().getAddress(), p.length()));
        }
        return out;
    }

    /** Resolves a host name; a name that does not resolve leaves the endpoint unset (logged). */
    private static Optional<PeerEndpoint> resolve(String iface, PeerConfig pc, Endpoint e, Resolver resolver) {
        Optional<InetAddress> address = resolver.resolve(e.host());
        if (address.isEmpty()) {
            LOG.warning(iface + ": " + pc.label() + ": endpoint host " + e.host() + " does not resolve; waiting for the peer to contact us");
        }
        return address.map(a -> PeerEndpoint.of(a.getAddress(), e.port()));
    }
}
