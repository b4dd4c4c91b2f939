package io.warren.gateway.control.meters;

import io.micrometer.core.instrument.MeterRegistry;
import io.warren.gateway.tunnel.Tunnel;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Per-tunnel meters (GRE, VXLAN, L2TPv3 alike), read from {@link Tunnel#counters()} at scrape time:
 * {@code warren_tunnel_packets_total{tunnel,direction}} and {@code warren_tunnel_bytes_total} from the
 * {@code tx_/rx_} counters, {@code warren_tunnel_dropped_packets_total{tunnel,reason}} from the
 * {@code drop_*} counters, and every other counter as {@code warren_tunnel_events_total{tunnel,event}}.
 * Registered when the tunnel opens, removed when it closes.
 *
 * <p>Cost: a scrape reads each tunnel's counter map once per second at most ({@link ScrapeCache}),
 * not once per meter.
 */
public final class TunnelMeters implements AutoCloseable {
    private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Meters hub;
    private final LongSupplier nanoClock;
    private final Map<String, MeterGroup> groups = new HashMap<>();

    /** Meters on {@code registry} at once. */
    public TunnelMeters(MeterRegistry registry) {
        this(Meters.on(registry), System::nanoTime);
    }

    /** Meters on {@code hub}'s registry once metrics are on. */
    public TunnelMeters(Meters hub) {
        this(hub, System::nanoTime);
    }

    /** As above with the clock that ages the scrape snapshots. */
    TunnelMeters(Meters hub, LongSupplier nanoClock) {
        this.hub = hub;
        this.nanoClock = nanoClock;
    }

    /** Registers the meters of {@code tunnel} (replacing any of the same name). */
    public synchronized void register(Tunnel tunnel) {
        unregister(tunnel.name());
        MeterGroup g = new MeterGroup(hub, MeterTags.of("tunnel", tunnel.name()));
        ScrapeCache<Map<String, Long>> counters =
                new ScrapeCache<>(tunnel::counters, MAX_AGE_NANOS, nanoClock, Map.of());
        for (String key : tunnel.counters().keySet()) {
            String k = key.toLowerCase(Locale.ROOT);
            if (k.equals("tx_packets") || k.equals("rx_packets")) {
                g.counter("warren.tunnel.packets", "Inner packets carried by the tunnel", null,
                        MeterTags.of("direction", k.substring(0, 2)), counters, c -> value(c, key));
            } else if (k.equals("tx_bytes") || k.equals("rx_bytes")) {
                g.counter("warren.tunnel", "Bytes carried by the tunnel", "bytes",
                        MeterTags.of("direction", k.substring(0, 2)), counters, c -> value(c, key));
            } else if (k.startsWith("drop_")) {
                g.counter("warren.tunnel.dropped.packets", "Packets the tunnel dropped, by reason", null,
                        MeterTags.of("reason", k.substring("drop_".length())), counters, c -> value(c, key));
            } else {
                g.counter("warren.tunnel.events", "Other tunnel events (ICMP errors sent, fragments, clamps...)",
                        null, MeterTags.of("event", k), counters, c -> value(c, key));
            }
        }
        groups.put(tunnel.name(), g);
    }

    private static double value(ScrapeCache<Map<String, Long>> counters, String key) {
        Long v = counters.get().get(key);
        return v == null ? 0 : v;
    }

    /** Removes the meters of the tunnel named {@code name}, if any. */
    public synchronized void unregister(String name) {
        MeterGroup g = groups.remove(name);
        if (g != null) {
            g.close();
        }
    }

    @Override
    public synchronized void close() {
        groups.values().forEach(MeterGroup::close);
        groups.clear();
    }
}
