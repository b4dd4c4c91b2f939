package io.warren.gateway.control.meters;

import io.micrometer.core.instrument.MeterRegistry;
import io.warren.gateway.config.DhcpPoolConfig;
import io.warren.gateway.dhcp.DhcpDropReason;
import io.warren.gateway.dhcp.DhcpIgnoredReason;
import io.warren.gateway.dhcp.DhcpMessageType;
import io.warren.gateway.dhcp.DhcpNoReplyReason;
import io.warren.gateway.dhcp.DhcpServer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The DHCP server's meters. Registered when the server starts; the returned group is closed when
 * it stops (before the server itself).
 *
 * <p>Meters: {@code warren_dhcp_received_messages_total}, {@code
 * warren_dhcp_sent_messages_total{type="offer|ack|nak"}}, {@code
 * warren_dhcp_dropped_messages_total{reason}} (undecodable, every {@link DhcpDropReason}), {@code
 * warren_dhcp_unanswered_messages_total{reason}} (decoded, no reply: every {@link
 * DhcpNoReplyReason}, some normal such as {@code released}), {@code
 * warren_dhcp_journal_errors_total}, {@code warren_dhcp_send_errors_total}, and per pool {@code
 * warren_dhcp_leases{pool}} and {@code warren_dhcp_free_addresses{pool}} (see {@link DhcpPoolUsage}).
 *
 * <p>Cost: nothing on the server's path. A scrape takes one counter snapshot and one lease list
 * (on the server's thread) per second at most ({@link ScrapeCache}).
 */
public final class DhcpMeters {
    /** What a server sends; the other message types are never counted as sent. */
    private static final List<DhcpMessageType> SENT =
            List.of(DhcpMessageType.DHCPOFFER, DhcpMessageType.DHCPACK, DhcpMessageType.DHCPNAK);
    private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private DhcpMeters() {
    }

    /** Registers the meters of {@code server}, which serves {@code pools}. */
    public static MeterGroup register(Meters hub, DhcpServer server, List<DhcpPoolConfig> pools) {
        return register(hub, server, pools, System::nanoTime);
    }

    /** As above on {@code registry}, with the clock that ages the scrape snapshots. */
    static MeterGroup register(MeterRegistry registry, DhcpServer server, List<DhcpPoolConfig> pools,
                               LongSupplier nanoClock) {
        return register(Meters.on(registry), server, pools, nanoClock);
    }

    /** As above with the clock that ages the scrape snapshots. */
    static MeterGroup register(Meters hub, DhcpServer server, List<DhcpPoolConfig> pools, LongSupplier nanoClock) {
        ScrapeCache<Map<String, Long>> counters =
                new ScrapeCache<>(() -> server.counters().snapshot(), MAX_AGE_NANOS, nanoClock, Map.of());
        DhcpPoolUsage usage = new DhcpPoolUsage(pools);
        ScrapeCache<Map<String, DhcpPoolUsage.Usage>> census =
                new ScrapeCache<>(() -> usage.count(server.leases()), MAX_AGE_NANOS, nanoClock, usage.count(List.of()));

        MeterGroup g = new MeterGroup(hub, MeterTags.empty());
        g.counter("warren.dhcp.received.messages", "Datagrams received on the DHCP server port", null, MeterTags.empty(),
                counters, c -> read(c, "received"));
        for (DhcpMessageType t : SENT) {
            String label = t.name().substring("DHCP".length()).toLowerCase(Locale.ROOT);
            g.counter("warren.dhcp.sent.messages", "Replies sent, by message type", null, MeterTags.of("type", label),
                    counters, c -> read(c, "sent." + t.name()));
        }
        for (DhcpDropReason r : DhcpDropReason.values()) {
            g.counter("warren.dhcp.dropped.messages", "Datagrams that could not be decoded, by reason", null,
                    MeterTags.of("reason", lower(r)), counters, c -> read(c, "drop." + r.name()));
        }
        for (DhcpNoReplyReason r : DhcpNoReplyReason.values()) {
            g.counter("warren.dhcp.unanswered.messages", "Decoded messages that got no reply, by reason", null,
                    MeterTags.of("reason", lower(r)), counters, c -> read(c, "noreply." + r.name()));
        }
        for (DhcpIgnoredReason r : DhcpIgnoredReason.values()) {
            g.counter("warren.dhcp.ignored.options", "Client input ignored in an answered message, by reason", null,
                    MeterTags.of("reason", lower(r)), counters, c -> read(c, "ignored." + r.name()));
        }
        g.counter("warren.dhcp.journal.errors", "Lease journal write or fsync failures", null, MeterTags.empty(),
                counters, c -> read(c, "journal.errors"));
        g.counter("warren.dhcp.send.errors", "Replies the socket refused", null, MeterTags.empty(),
                counters, c -> read(c, "send.errors"));
        for (String pool : usage.names()) {
            g.gauge("warren.dhcp.leases", "Bound leases of the pool, static ones included", null,
                    MeterTags.of("pool", pool), census, c -> c.get().get(pool).leases());
            g.gauge("warren.dhcp.free.addresses", "Dynamic addresses of the pool not held by a lease", null,
                    MeterTags.of("pool", pool), census, c -> c.get().get(pool).free());
        }
        return g;
    }

    private static double read(ScrapeCache<Map<String, Long>> counters, String key) {
        return counters.get().getOrDefault(key, 0L);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
