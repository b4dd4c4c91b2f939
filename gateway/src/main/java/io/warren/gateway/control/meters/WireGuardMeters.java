package io.warren.gateway.control.meters;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.warren.crypto.session.DropReason;
import io.warren.gateway.config.InterfaceConfig;
import io.warren.gateway.config.PeerConfig;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.config.WgKey;
import io.warren.gateway.nat.PeerPath;
import io.warren.gateway.nat.PeerPaths;
import io.warren.gateway.transport.ShellCounters;
import io.warren.gateway.transport.WgPeer;
import io.warren.gateway.transport.WireGuardInterface;
import java.time.Clock;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the registry's per-interface and per-peer meters in step with the running WireGuard
 * interfaces: {@link #sync} (after start and every reload) registers meters for new interfaces and
 * peers and removes those of the gone ones; unchanged ones keep theirs.
 *
 * <p>Meters: {@code warren_peer_received_bytes_total}, {@code warren_peer_sent_bytes_total},
 * {@code warren_peer_received_packets_total}, {@code warren_peer_sent_packets_total},
 * {@code warren_peer_handshakes_total},
 * {@code warren_peer_latest_handshake_age_seconds} (NaN before the first handshake),
 * {@code warren_peer_path{path="direct|probing|via-hub"}} (1 for the current path: a dynamic
 * spoke-to-spoke peer is probing or direct, see {@link PeerPaths}), labelled {@code interface} and {@code peer} (its
 * name, else its public key); {@code warren_interface_dropped_packets_total{reason}} for every
 * shell and protocol drop reason, {@code warren_interface_peers}. Called from one thread at a time
 * (the daemon's control thread).
 */
public final class WireGuardMeters implements AutoCloseable {
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<WireGuardInterface, MeterGroup> interfaces = new IdentityHashMap<>();
    private final Map<WgPeer, Map.Entry<String, MeterGroup>> peers = new IdentityHashMap<>();

    public WireGuardMeters(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Registers and removes meters so that they match {@code running}; {@code config} names the peers. */
    public synchronized void sync(Map<String, WireGuardInterface> running, WarrenConfig config) {
        Set<WireGuardInterface> seenIfaces = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Set<WgPeer> seenPeers = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, WireGuardInterface> e : running.entrySet()) {
            WireGuardInterface wg = e.getValue();
            seenIfaces.add(wg);
            interfaces.computeIfAbsent(wg, w -> interfaceMeters(e.getKey(), w));
            InterfaceConfig ic = config.interfaces().get(e.getKey());
            Set<String> labels = new HashSet<>();
            for (WgPeer p : wg.peers()) {
                String label = label(ic, p);
                if (!labels.add(label)) {
                    label = p.publicKey().toBase64();
                }
                seenPeers.add(p);
                Map.Entry<String, MeterGroup> have = peers.get(p);
                if (have != null && !have.getKey().equals(label)) {
                    have.getValue().close();
                    have = null;
                }
                if (have == null) {
                    peers.put(p, Map.entry(label, peerMeters(e.getKey(), label, p)));
                }
            }
        }
        peers.entrySet().removeIf(en -> {
            if (!seenPeers.contains(en.getKey())) {
                en.getValue().getValue().close();
                return true;
            }
            return false;
        });
        interfaces.entrySet().removeIf(en -> {
            if (!seenIfaces.contains(en.getKey())) {
                en.getValue().close();
                return true;
            }
            return false;
        });
    }

    private static String label(InterfaceConfig ic, WgPeer p) {
        if (ic == null) {
            return p.publicKey().toBase64();
        }
        return ic.peer(WgKey.of(p.publicKey().bytes())).flatMap(PeerConfig::name).orElse(p.publicKey().toBase64());
    }

    private MeterGroup interfaceMeters(String name, WireGuardInterface wg) {
        MeterGroup g = new MeterGroup(registry, Tags.of("interface", name));
        ShellCounters c = wg.counters();
        for (ShellCounters.Reason r : ShellCounters.Reason.values()) {
            g.counter("warren.interface.dropped.packets", "Packets dropped by the interface, by reason", null,
                    Tags.of("reason", r.name().toLowerCase(Locale.ROOT)), c, cc -> cc.get(r));
        }
        for (DropReason r : DropReason.values()) {
            g.counter("warren.interface.dropped.packets", "Packets dropped by the interface, by reason", null,
                    Tags.of("reason", r.name().toLowerCase(Locale.ROOT)), c, cc -> cc.get(r));
        }
        g.gauge("warren.interface.peers", "Peers configured on the interface", null, Tags.empty(), wg,
                w -> w.peers().size());
        return g;
    }

    private MeterGroup peerMeters(String iface, String label, WgPeer p) {
        MeterGroup g = new MeterGroup(registry, Tags.of("interface", iface, "peer", label));
        g.counter("warren.peer.received", "Bytes received from the peer (WireGuard datagrams)", "bytes",
                Tags.empty(), p, WgPeer::rxBytes);
        g.counter("warren.peer.sent", "Bytes sent to the peer (WireGuard datagrams)", "bytes",
                Tags.empty(), p, WgPeer::txBytes);
        g.counter("warren.peer.received.packets", "Inner packets received from the peer", null,
                Tags.empty(), p, WgPeer::rxPackets);
        g.counter("warren.peer.sent.packets", "Inner packets sent to the peer", null,
                Tags.empty(), p, WgPeer::txPackets);
        g.counter("warren.peer.handshakes", "Completed handshakes (new sessions) with the peer", null,
                Tags.empty(), p, WgPeer::handshakes);
        g.gauge("warren.peer.latest.handshake.age", "Seconds since the latest completed handshake", "seconds",
                Tags.empty(), p, this::handshakeAge);
        for (PeerPath path : PeerPath.values()) {
            g.gauge("warren.peer.path", "How traffic reaches the peer (1 for the current path)", null,
                    Tags.of("path", path.label()), p, x -> PeerPaths.of(iface, x.publicKey().bytes()) == path ? 1 : 0);
        }
        return g;
    }

    private double handshakeAge(WgPeer p) {
        long at = p.lastHandshakeWallNanos();
        if (at == 0) {
            return Double.NaN;
        }
        java.time.Instant now = clock.instant();
        long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return Math.max(0, nowNanos - at) / 1e9;
    }

    /** Removes every meter. */
    @Override
    public synchronized void close() {
        peers.values().forEach(e -> e.getValue().close());
        peers.clear();
        interfaces.values().forEach(MeterGroup::close);
        interfaces.clear();
    }

    /** For tests: how many peers have meters. */
    synchronized int peerCount() {
        return peers.size();
    }
}
