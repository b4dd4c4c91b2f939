package io.warren.gateway.nat;

import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.DeviceState;
import io.warren.gateway.uapi.PeerEndpoint;
import io.warren.gateway.uapi.PeerState;
import io.warren.gateway.uapi.UapiKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The device state a spoke runs: the configured state plus one dynamic peer per spoke being probed
 * or reached directly. A DIRECT spoke takes its prefixes, which the hub peers give up (equal
 * prefixes move; longest-prefix match sends more specific ones to the spoke anyway); going back
 * to the hub returns them. Configured peers always win over introduced ones: an introduced
 * spoke only takes prefixes inside a hub peer's allowed IPs (traffic that went to the hub anyway)
 * that no other configured peer holds, and each prefix once (the first introduced spoke keeps
 * it). Pure function.
 */
public final class PathOverlay {
    /** Dynamic peers send a keepalive every second: it keeps both NAT holes open and shows liveness. */
    public static final int KEEPALIVE_SECONDS = 1;

    private PathOverlay() {
    }

    public static DeviceState apply(DeviceState base, Set<UapiKey> hubs, List<SpokeCoordinator.Remote> remotes) {
        Set<UapiKey> configured = new HashSet<>();
        List<AllowedIp> viaHub = new ArrayList<>();
        Set<AllowedIp> taken = new HashSet<>();
        for (PeerState p : base.peers()) {
            configured.add(p.publicKey());
            (hubs.contains(p.publicKey()) ? viaHub : taken).addAll(p.allowedIps());
        }
        Set<AllowedIp> moved = new HashSet<>();
        List<PeerState> dynamic = new ArrayList<>();
        for (SpokeCoordinator.Remote r : remotes) {
            if (r.path() == PeerPath.VIA_HUB || configured.contains(r.key())) {
                continue;
            }
            List<AllowedIp> ips = new ArrayList<>();
            if (r.path() == PeerPath.DIRECT) {
                for (AllowedIp ip : r.prefixes()) {
                    if (!taken.contains(ip) && !moved.contains(ip) && insideAny(ip, viaHub)) {
                        ips.add(ip);
                        moved.add(ip);
                    }
                }
            }
            dynamic.add(new PeerState(r.key(), UapiKey.ZERO,
                    Optional.of(PeerEndpoint.of(r.endpoint().getAddress().getAddress(), r.endpoint().getPort())),
                    0, 0, 0, 0, KEEPALIVE_SECONDS, ips));
        }
        List<PeerState> peers = new ArrayList<>();
        for (PeerState p : base.peers()) {
            if (hubs.contains(p.publicKey()) && !moved.isEmpty()) {
                peers.add(p.withAllowedIps(p.allowedIps().stream().filter(ip -> !moved.contains(ip)).toList()));
            } else {
                peers.add(p);
            }
        }
        peers.addAll(dynamic);
        return new DeviceState(base.privateKey(), base.listenPort(), base.fwmark(), peers);
    }

    /** Whether {@code ip} lies within one of {@code outer} (same family, at least as long). */
    private static boolean insideAny(AllowedIp ip, List<AllowedIp> outer) {
        for (AllowedIp o : outer) {
            if (o.isIpv4() == ip.isIpv4() && o.prefixLength() <= ip.prefixLength()
                    && AllowedIp.of(ip.address(), o.prefixLength()).equals(o)) {
                return true;
            }
        }
        return false;
    }
}
