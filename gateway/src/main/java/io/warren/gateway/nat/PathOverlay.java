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
 * to the hub returns them. Configured peers always win over introduced ones. Pure function.
 */
public final class PathOverlay {
    /** Dynamic peers send a keepalive every second: it keeps both NAT holes open and shows liveness. */
    public static final int KEEPALIVE_SECONDS = 1;

    private PathOverlay() {
    }

    public static DeviceState apply(DeviceState base, Set<UapiKey> hubs, List<SpokeCoordinator.Remote> remotes) {
        Set<UapiKey> configured = new HashSet<>();
        for (PeerState p : base.peers()) {
            configured.add(p.publicKey());
        }
        Set<AllowedIp> moved = new HashSet<>();
        List<PeerState> dynamic = new ArrayList<>();
        for (SpokeCoordinator.Remote r : remotes) {
            if (r.path() == PeerPath.VIA_HUB || configured.contains(r.key())) {
                continue;
            }
            List<AllowedIp> ips = r.path() == PeerPath.DIRECT ? r.prefixes() : List.of();
            moved.addAll(ips);
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
}
