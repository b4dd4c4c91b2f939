package io.warren.gateway.uapi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The reference semantics of a {@link DeviceChange}, as a pure function from one {@link DeviceState}
 * to the next (wireguard-go's {@code IpcSetOperation} and the kernel's {@code set_device} agree on
 * these):
 * <ol>
 *   <li>a new private key is clamped (RFC 7748); the zero key removes it; peers whose public key
 *       equals the device's new public key are removed;</li>
 *   <li>{@code replace_peers} removes every peer;</li>
 *   <li>each peer section in order: a section naming the device's own public key is ignored;
 *       {@code remove} removes the peer; {@code update_only} skips a peer that does not exist; else the
 *       peer is created (at the end of the list) or updated in place;
 *       {@code replace_allowed_ips} empties its allowed IPs; each allowed IP is added, moving it away
 *       from any other peer that held it.</li>
 * </ol>
 * Counters, endpoint and handshake time of existing peers are kept. Stateless and thread-safe; it
 * reads no clock. Devices may use it to compute the target state, then validate that state (ports,
 * limits) before committing it.
 */
public final class DeviceChangeApplier {

    private DeviceChangeApplier() {
    }

    /** The state after {@code change}; never fails (device-specific checks come after). */
    public static DeviceState apply(DeviceState current, DeviceChange change) {
        Optional<UapiKey> privateKey = current.privateKey();
        if (change.privateKey().isPresent()) {
            UapiKey requested = change.privateKey().get();
            privateKey = requested.isZero() ? Optional.empty() : Optional.of(clamp(requested));
        }
        Optional<UapiKey> ownPublic = privateKey.map(DeviceChangeApplier::publicKeyOf);

        Map<UapiKey, PeerState> peers = new LinkedHashMap<>();
        if (!change.replacePeers()) {
            for (PeerState peer : current.peers()) {
                if (ownPublic.isEmpty() || !ownPublic.get().equals(peer.publicKey())) {
                    peers.put(peer.publicKey(), peer);
                }
            }
        }
        Map<AllowedIp, UapiKey> owners = new HashMap<>();
        peers.values().forEach(p -> p.allowedIps().forEach(ip -> owners.put(ip, p.publicKey())));

        for (PeerChange section : change.peers()) {
            UapiKey key = section.publicKey();
            if (ownPublic.isPresent() && ownPublic.get().equals(key)) {
                continue;
            }
            PeerState existing = peers.get(key);
            if (section.remove()) {
                if (existing != null) {
                    peers.remove(key);
                    existing.allowedIps().forEach(owners::remove);
                }
                continue;
            }
            if (section.updateOnly() && existing == null) {
                continue;
            }
            peers.put(key, updated(existing == null ? PeerState.fresh(key) : existing, section, peers, owners));
        }
        return new DeviceState(privateKey, change.listenPort().orElse(current.listenPort()),
                change.fwmark().orElse(current.fwmark()), new ArrayList<>(peers.values()));
    }

    private static PeerState updated(PeerState peer, PeerChange section, Map<UapiKey, PeerState> peers,
            Map<AllowedIp, UapiKey> owners) {
        PeerState out = peer;
        if (section.presharedKey().isPresent()) {
            out = out.withPresharedKey(section.presharedKey().get());
        }
        if (section.endpoint().isPresent()) {
            out = out.withEndpoint(section.endpoint());
        }
        if (section.persistentKeepaliveInterval().isPresent()) {
            out = out.withPersistentKeepaliveInterval(section.persistentKeepaliveInterval().getAsInt());
        }
        List<AllowedIp> ips = new ArrayList<>(out.allowedIps());
        if (section.replaceAllowedIps()) {
            ips.forEach(owners::remove);
            ips.clear();
        }
        for (AllowedIp ip : section.allowedIps()) {
            UapiKey owner = owners.put(ip, peer.publicKey());
            if (owner == null) {
                ips.add(ip);
            } else if (!owner.equals(peer.publicKey())) {
                PeerState loser = peers.get(owner);
                List<AllowedIp> rest = new ArrayList<>(loser.allowedIps());
                rest.remove(ip);
                peers.put(owner, loser.withAllowedIps(rest));
                ips.add(ip);
            }
        }
        return out.withAllowedIps(ips);
    }

    /** Clamps a Curve25519 private key (RFC 7748 section 5), as wireguard-go and the kernel store it. */
    public static UapiKey clamp(UapiKey privateKey) {
        byte[] k = privateKey.bytes();
        k[0] &= (byte) 248;
        k[31] &= 127;
        k[31] |= 64;
        UapiKey out = UapiKey.of(k);
        Arrays.fill(k, (byte) 0);
        return out;
    }

    /** The X25519 public key of a private key (BouncyCastle). */
    public static UapiKey publicKeyOf(UapiKey privateKey) {
        byte[] k = privateKey.bytes();
        byte[] pub = new byte[X25519.POINT_SIZE];
        X25519.scalarMultBase(k, 0, pub, 0);
        Arrays.fill(k, (byte) 0);
        return UapiKey.of(pub);
    }
}
