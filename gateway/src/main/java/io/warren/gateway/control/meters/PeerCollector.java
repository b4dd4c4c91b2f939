package io.warren.gateway.control.meters;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import io.warren.gateway.config.WgKey;
import io.warren.gateway.nat.PeerPath;
import io.warren.gateway.nat.PeerPaths;
import io.warren.gateway.transport.WgPeer;
import io.warren.gateway.transport.WireGuardInterface;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The per-peer WireGuard meters, built when Prometheus scrapes by walking the running interfaces'
 * peers: nothing is registered or kept per peer (1000 peers as registered Micrometer meters held
 * ~5 MiB of heap, issue #9). Families (labels {@code interface}, {@code peer}: the peer's name, else
 * its public key; the configuration keeps names unique per interface): {@code warren_peer_received_bytes_total},
 * {@code warren_peer_sent_bytes_total}, {@code warren_peer_received_packets_total}, {@code
 * warren_peer_sent_packets_total}, {@code warren_peer_handshakes_total}, {@code
 * warren_peer_latest_handshake_age_seconds} (NaN before the first handshake) and {@code
 * warren_peer_path{path}} (1 for the current path, see {@link PeerPaths}).
 *
 * <p>{@link #update} (control thread) swaps in what to walk; {@link #collect} (scrape thread) reads
 * it and the peers' own counters, as the registered meters did. Thread-safe.
 */
final class PeerCollector implements MultiCollector {
    /** A running interface and the names of its named peers (unnamed peers are labelled by key). */
    record Walk(String iface, WireGuardInterface wg, Map<WgKey, String> names) {
    }

    private static final String RX_BYTES = "warren_peer_received_bytes";
    private static final String TX_BYTES = "warren_peer_sent_bytes";
    private static final String RX_PACKETS = "warren_peer_received_packets";
    private static final String TX_PACKETS = "warren_peer_sent_packets";
    private static final String HANDSHAKES = "warren_peer_handshakes";
    private static final String AGE = "warren_peer_latest_handshake_age_seconds";
    private static final String PATH = "warren_peer_path";
    private static final List<String> NAMES = List.of(RX_BYTES, TX_BYTES, RX_PACKETS, TX_PACKETS, HANDSHAKES, AGE, PATH);

    private final Clock clock;
    private volatile List<Walk> walks = List.of();

    PeerCollector(Clock clock) {
        this.clock = clock;
    }

    /** A collector registered on {@code registry}, or null when it is not a Prometheus registry. */
    static PeerCollector registerOn(MeterRegistry registry, Clock clock) {
        if (!(registry instanceof PrometheusMeterRegistry prometheus)) {
            return null;
        }
        PeerCollector c = new PeerCollector(clock);
        prometheus.getPrometheusRegistry().register(c);
        return c;
    }

    /** Unregisters this collector from {@code registry}, the one {@link #registerOn} registered it on. */
    void unregisterFrom(MeterRegistry registry) {
        ((PrometheusMeterRegistry) registry).getPrometheusRegistry().unregister(this);
    }

    /** What the next scrapes walk. */
    void update(List<Walk> next) {
        walks = List.copyOf(next);
    }

    @Override
    public List<String> getPrometheusNames() {
        return NAMES;
    }

    @Override
    public MetricSnapshots collect() {
        CounterSnapshot.Builder rxBytes = counter(RX_BYTES, "Bytes received from the peer (WireGuard datagrams)", Unit.BYTES);
        CounterSnapshot.Builder txBytes = counter(TX_BYTES, "Bytes sent to the peer (WireGuard datagrams)", Unit.BYTES);
        CounterSnapshot.Builder rxPackets = counter(RX_PACKETS, "Inner packets received from the peer", null);
        CounterSnapshot.Builder txPackets = counter(TX_PACKETS, "Inner packets sent to the peer", null);
        CounterSnapshot.Builder handshakes = counter(HANDSHAKES, "Completed handshakes (new sessions) with the peer", null);
        GaugeSnapshot.Builder age = GaugeSnapshot.builder().name(AGE).unit(Unit.SECONDS)
                .help("Seconds since the latest completed handshake");
        GaugeSnapshot.Builder path = GaugeSnapshot.builder().name(PATH)
                .help("How traffic reaches the peer (1 for the current path)");
        Instant now = clock.instant();
        long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        for (Walk w : walks) {
            for (WgPeer p : w.wg().peers()) {
                String label = w.names().isEmpty() ? null : w.names().get(WgKey.of(p.publicKey().bytes()));
                if (label == null) {
                    label = p.publicKey().toBase64();
                }
                Labels labels = Labels.of("interface", w.iface(), "peer", label);
                rxBytes.dataPoint(point(labels, p.rxBytes()));
                txBytes.dataPoint(point(labels, p.txBytes()));
                rxPackets.dataPoint(point(labels, p.rxPackets()));
                txPackets.dataPoint(point(labels, p.txPackets()));
                handshakes.dataPoint(point(labels, p.handshakes()));
                long at = p.lastHandshakeWallNanos();
                age.dataPoint(GaugeDataPointSnapshot.builder().labels(labels)
                        .value(at == 0 ? Double.NaN : Math.max(0, nowNanos - at) / 1e9).build());
                PeerPath current = PeerPaths.of(w.iface(), p.publicKey().bytes());
                for (PeerPath pp : PeerPath.values()) {
                    path.dataPoint(GaugeDataPointSnapshot.builder()
                            .labels(Labels.of("interface", w.iface(), "path", pp.label(), "peer", label))
                            .value(pp == current ? 1 : 0).build());
                }
            }
        }
        return new MetricSnapshots(rxBytes.build(), txBytes.build(), rxPackets.build(), txPackets.build(),
                handshakes.build(), age.build(), path.build());
    }

    private static CounterSnapshot.Builder counter(String name, String help, Unit unit) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        return unit == null ? b : b.unit(unit);
    }

    private static CounterDataPointSnapshot point(Labels labels, long value) {
        return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
