package io.warren.gateway.control.meters;

import io.micrometer.core.instrument.MeterRegistry;
import io.warren.crypto.session.DropReason;
import io.warren.gateway.config.InterfaceConfig;
import io.warren.gateway.config.PeerConfig;
import io.warren.gateway.config.WarrenConfig;
import io.warren.gateway.config.WgKey;
import io.warren.gateway.transport.ShellCounters;
import io.warren.gateway.transport.WireGuardInterface;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the registry's WireGuard meters in step with the running interfaces: {@link #sync} (after
 * start and every reload) registers meters for new interfaces and removes those of the gone ones,
 * and points the {@link PeerCollector} at the current interfaces and peer names.
 *
 * <p>Meters: {@code warren_interface_dropped_packets_total{reason}} for every shell and protocol
 * drop reason and {@code warren_interface_peers}, labelled {@code interface}; the per-peer families
 * ({@code warren_peer_*}, see {@link PeerCollector}) are built at scrape time, on a {@link
 * io.micrometer.prometheusmetrics.PrometheusMeterRegistry} only, from when metrics are turned on
 * ({@link Meters}). Called from one thread at a time (the daemon's control thread).
 */
public final class WireGuardMeters implements AutoCloseable, Meters.Participant {
    private final Meters hub;
    private final Clock clock;
    private final Map<WireGuardInterface, MeterGroup> interfaces = new IdentityHashMap<>();
    /** Guards walks, peers and registry; never held while taking the hub's lock. */
    private final Object peerLock = new Object();
    private List<PeerCollector.Walk> walks = List.of();
    private PeerCollector peers;
    private MeterRegistry registry;

    /** Meters on {@code registry} at once. */
    public WireGuardMeters(MeterRegistry registry, Clock clock) {
        this(Meters.on(registry), clock);
    }

    /** Meters on {@code hub}'s registry once metrics are on. */
    public WireGuardMeters(Meters hub, Clock clock) {
        this.hub = hub;
        this.clock = clock;
        hub.join(this);
    }

    @Override
    public void attach(MeterRegistry r) {
        synchronized (peerLock) {
            registry = r;
            peers = PeerCollector.registerOn(r, clock);
            if (peers != null) {
                peers.update(walks);
            }
        }
    }

    /** Registers and removes meters so that they match {@code running}; {@code config} names the peers. */
    public synchronized void sync(Map<String, WireGuardInterface> running, WarrenConfig config) {
        Set<WireGuardInterface> seenIfaces = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<PeerCollector.Walk> walks = new ArrayList<>();
        for (Map.Entry<String, WireGuardInterface> e : running.entrySet()) {
            WireGuardInterface wg = e.getValue();
            seenIfaces.add(wg);
            interfaces.computeIfAbsent(wg, w -> interfaceMeters(e.getKey(), w));
            walks.add(new PeerCollector.Walk(e.getKey(), wg, names(config.interfaces().get(e.getKey()))));
        }
        synchronized (peerLock) {
            this.walks = List.copyOf(walks);
            if (peers != null) {
                peers.update(walks);
            }
        }
        interfaces.entrySet().removeIf(en -> {
            if (!seenIfaces.contains(en.getKey())) {
                en.getValue().close();
                return true;
            }
            return false;
        });
    }

    /** The configured names of the interface's named peers (most peers of a big site have none). */
    private static Map<WgKey, String> names(InterfaceConfig ic) {
        if (ic == null) {
            return Map.of();
        }
        Map<WgKey, String> names = new HashMap<>();
        for (PeerConfig p : ic.peers()) {
            p.name().ifPresent(n -> names.put(p.publicKey(), n));
        }
        return names.isEmpty() ? Map.of() : names;
    }

    private MeterGroup interfaceMeters(String name, WireGuardInterface wg) {
        MeterGroup g = new MeterGroup(hub, MeterTags.of("interface", name));
        ShellCounters c = wg.counters();
        for (ShellCounters.Reason r : ShellCounters.Reason.values()) {
            g.counter("warren.interface.dropped.packets", "Packets dropped by the interface, by reason", null,
                    MeterTags.of("reason", r.name().toLowerCase(Locale.ROOT)), c, cc -> cc.get(r));
        }
        for (DropReason r : DropReason.values()) {
            g.counter("warren.interface.dropped.packets", "Packets dropped by the interface, by reason", null,
                    MeterTags.of("reason", r.name().toLowerCase(Locale.ROOT)), c, cc -> cc.get(r));
        }
        g.gauge("warren.interface.peers", "Peers configured on the interface", null, MeterTags.empty(), wg,
                w -> w.peers().size());
        return g;
    }

    /** Removes every meter. */
    @Override
    public void close() {
        hub.leave(this);
        synchronized (peerLock) {
            if (peers != null) {
                peers.update(List.of());
                peers.unregisterFrom(registry);
                peers = null;
            }
        }
        synchronized (this) {
            interfaces.values().forEach(MeterGroup::close);
            interfaces.clear();
        }
    }
}
