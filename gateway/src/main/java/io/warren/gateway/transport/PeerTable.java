package io.warren.gateway.transport;

import io.warren.crypto.noise.StaticIdentity;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.primitives.NoisePublicKey;
import io.warren.crypto.primitives.PresharedKey;
import io.warren.crypto.session.Device;
import io.warren.crypto.session.Peer;
import io.warren.crypto.session.PeerConfig;
import io.warren.gateway.libcrypto.TransportAeadChoice;
import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.DeviceState;
import io.warren.gateway.uapi.PeerEndpoint;
import io.warren.gateway.uapi.PeerState;
import io.warren.routing.AllowedIps;
import io.warren.routing.IpPrefix;
import io.warren.tun.udp.UdpEndpoint;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The interface's configured state, as the data path sees it: the protocol core's {@link Device}
 * (null without a private key), the shell's peers by public key and by core {@link Peer}, and the
 * allowed-IPs table (cryptokey routing, the same table both ways). {@link #apply} makes it match a
 * desired {@link DeviceState} (the {@code wg} tool's {@code set} through the UAPI and a config
 * reload both end there), touching only what differs, so untouched peers keep their sessions;
 * {@link #snapshot} renders it back with live endpoints, counters and handshake times.
 *
 * <p>Threading: guarded by the interface lock; every method is called with it held (the control
 * threads configure and read; the TUN readers, the receive thread and the timer thread look peers
 * up). It owns no lock, thread or buffer.
 */
final class PeerTable {
    private final int mtu;
    /** Sending cipher instances per keypair: one per TUN queue (reader thread). */
    private final int sealLanes;
    private final SecureRandom random = new SecureRandom();
    private final AllowedIps<WgPeer> allowedIps = new AllowedIps<>();
    private final Map<NoisePublicKey, WgPeer> peers = new LinkedHashMap<>();
    private final Map<Peer, WgPeer> byCore = new IdentityHashMap<>();
    private Device device;
    private DeviceState desired = DeviceState.EMPTY;

    PeerTable(int mtu, int sealLanes) {
        this.mtu = mtu;
        this.sealLanes = sealLanes;
    }

    /** The protocol core, or null while no private key is configured. */
    Device device() {
        return device;
    }

    /** The allowed-IPs table; the object stays, its content follows {@link #apply}. */
    AllowedIps<WgPeer> allowedIps() {
        return allowedIps;
    }

    /** The shell's peer of {@code core}, or null once removed. */
    WgPeer byCore(Peer core) {
        return byCore.get(core);
    }

    /** The peer with static key {@code key}, or null. */
    WgPeer get(NoisePublicKey key) {
        return peers.get(key);
    }

    /** The peers (a copy). */
    List<WgPeer> peers() {
        return List.copyOf(peers.values());
    }

    /**
     * Makes the table match {@code want} (the port already bound to {@code listenPort}): replaces
     * the identity (dropping every session) when the private key changed, and adds, removes or
     * updates peers. A peer whose preshared key or keepalive changed is recreated; one whose
     * endpoint or allowed IPs changed keeps its sessions; unchanged peers are not touched.
     *
     * <p>Whole or nothing: every conversion that can fail (keys, identity, peer settings, prefixes,
     * endpoints) is done by {@link #plan} before the first change, so an exception leaves the table
     * exactly as it was (a half-applied interface would route some prefixes of the new state and
     * some of the old).
     */
    void apply(DeviceState want, int listenPort) {
        boolean newIdentity = !want.privateKey().equals(desired.privateKey())
                || device == null && want.privateKey().isPresent();
        Device nextDevice = newIdentity
                ? want.privateKey().map(k -> new Device(new StaticIdentity(NoisePrivateKey.fromBytes(k.bytes())),
                        random, WireGuardInterface::wallNanos)).orElse(null)
                : device;
        Map<NoisePublicKey, Planned> wanted = plan(want);
        DeviceState nextDesired = new DeviceState(want.privateKey(), listenPort, want.fwmark(), want.peers());
        // nothing below throws on planned input
        if (newIdentity) {
            removeAll();
            device = nextDevice;
        }
        for (WgPeer p : List.copyOf(peers.values())) {
            if (!wanted.containsKey(p.publicKey)) {
                remove(p);
            }
        }
        if (device != null) {
            for (Planned planned : wanted.values()) {
                update(planned);
            }
        }
        desired = nextDesired;
    }

    /** One wanted peer with everything derived from its settings. */
    private record Planned(NoisePublicKey key, PeerState state, PresharedKey psk, PeerConfig config,
            List<IpPrefix> prefixes, Optional<UdpEndpoint> endpoint) {
    }

    /** Converts every wanted peer's settings; throws before anything is changed. */
    private Map<NoisePublicKey, Planned> plan(DeviceState want) {
        Map<NoisePublicKey, Planned> wanted = new LinkedHashMap<>();
        for (PeerState ps : want.peers()) {
            NoisePublicKey key = NoisePublicKey.fromBytes(ps.publicKey().bytes());
            PeerConfig config = new PeerConfig(mtu, TimeUnit.SECONDS.toNanos(ps.persistentKeepaliveInterval()),
                    TransportAeadChoice.forThisJvm(), sealLanes);
            PresharedKey psk = ps.presharedKey().isZero() ? PresharedKey.NONE
                    : PresharedKey.fromBytes(ps.presharedKey().bytes());
            wanted.put(key, new Planned(key, ps, psk, config, prefixes(ps.allowedIps()),
                    ps.endpoint().map(e -> UdpEndpoint.of(e.toSocketAddress()))));
        }
        return wanted;
    }

    private void update(Planned planned) {
        PeerState want = planned.state();
        WgPeer existing = peers.get(planned.key());
        if (existing != null && (!existing.settings.presharedKey().equals(want.presharedKey())
                || existing.settings.persistentKeepaliveInterval() != want.persistentKeepaliveInterval())) {
            // Device.addPeer below replaces the core peer itself, keeping its TAI64N replay history
            // (removing it first would forget that history: a captured initiation would pass again)
            forget(existing);
            existing = null;
        }
        if (existing == null) {
            Peer core = device.addPeer(planned.key(), planned.psk(), planned.config());
            WgPeer p = new WgPeer(planned.key(), core, want);
            peers.put(planned.key(), p);
            byCore.put(core, p);
            allowedIps.replace(p, planned.prefixes());
            return;
        }
        if (!existing.settings.endpoint().equals(want.endpoint())) {
            existing.endpoint = planned.endpoint().orElse(existing.endpoint);
        }
        if (!existing.settings.allowedIps().equals(want.allowedIps())) {
            allowedIps.replace(existing, planned.prefixes());
        }
        existing.settings = want;
    }

    /** Removes every peer (their keypairs destroyed; packets in flight finish on their references). */
    void removeAll() {
        for (WgPeer p : List.copyOf(peers.values())) {
            remove(p);
        }
    }

    private void remove(WgPeer p) {
        forget(p);
        if (device != null) {
            device.removePeer(p.publicKey);
        }
    }

    /** Drops {@code p} from the shell's maps only (its core peer stays until removed or replaced). */
    private void forget(WgPeer p) {
        peers.remove(p.publicKey);
        byCore.remove(p.core);
        allowedIps.removeByPeer(p);
    }

    private static List<IpPrefix> prefixes(List<AllowedIp> ips) {
        List<IpPrefix> out = new ArrayList<>(ips.size());
        for (AllowedIp ip : ips) {
            out.add(IpPrefix.fromBytes(ip.address(), ip.prefixLength()));
        }
        return out;
    }

    /** The live state: the desired settings with endpoints, counters and handshake times. */
    DeviceState snapshot(int listenPort) {
        List<PeerState> out = new ArrayList<>();
        for (PeerState ps : desired.peers()) {
            WgPeer p = peers.get(NoisePublicKey.fromBytes(ps.publicKey().bytes()));
            if (p == null) {
                out.add(ps);
                continue;
            }
            InetSocketAddress ep = p.endpoint();
            long wall = p.lastHandshakeWallNanos;
            out.add(new PeerState(ps.publicKey(), ps.presharedKey(),
                    ep == null ? Optional.empty() : Optional.of(PeerEndpoint.of(ep.getAddress().getAddress(), ep.getPort())),
                    wall / 1_000_000_000L, (int) (wall % 1_000_000_000L), p.txBytes(), p.rxBytes(),
                    ps.persistentKeepaliveInterval(), ps.allowedIps()));
        }
        return new DeviceState(desired.privateKey(), listenPort, desired.fwmark(), out);
    }
}
