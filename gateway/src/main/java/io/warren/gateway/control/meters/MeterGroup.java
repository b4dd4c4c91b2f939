package io.warren.gateway.control.meters;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The registration API for services: the meters of one thing (a peer, an interface, a DHCP pool,
 * the DNS forwarder), registered when it appears and removed together by {@link #close()} when it
 * goes. Meters read the service's own counters when scraped ({@link FunctionCounter}, {@link
 * Gauge}), so the data path allocates nothing and does no lookup.
 *
 * <p>Naming (Prometheus conventions, {@code warren_} prefix): give the name with dots and the unit
 * as {@code baseUnit}; counters get {@code _total}. E.g. {@code counter("warren.dns.queries", "...",
 * null, ...)} is {@code warren_dns_queries_total}; {@code gauge("warren.dns.upstream.latency",
 * "...", "seconds", ...)} is {@code warren_dns_upstream_latency_seconds}. The object read is held
 * strongly by this group until it is closed. Thread-safe.
 */
public final class MeterGroup implements AutoCloseable {
    private final MeterRegistry registry;
    private final Tags tags;
    private final List<Meter> meters = new ArrayList<>();
    /** Function counters keep only a weak reference to what they read: this keeps it alive. */
    private final List<Object> held = new ArrayList<>();
    private boolean closed;

    /** A group whose meters all carry {@code tags} (e.g. {@code interface=wg0, peer=alice}). */
    public MeterGroup(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
    }

    /** A monotonic counter read from {@code fn(obj)}. */
    public synchronized <T> MeterGroup counter(String name, String description, String baseUnit, Tags extra,
                                               T obj, ToDoubleFunction<T> fn) {
        check();
        meters.add(FunctionCounter.builder(name, obj, fn).description(description).baseUnit(baseUnit)
                .tags(tags.and(extra)).register(registry));
        held.add(obj);
        return this;
    }

    /** A value that goes up and down, read from {@code fn(obj)}; NaN means "no value". */
    public synchronized <T> MeterGroup gauge(String name, String description, String baseUnit, Tags extra,
                                             T obj, ToDoubleFunction<T> fn) {
        check();
        meters.add(Gauge.builder(name, obj, fn).description(description).baseUnit(baseUnit)
                .tags(tags.and(extra)).strongReference(true).register(registry));
        return this;
    }

    /**
     * A timer read from a running event count and total time, e.g. {@code
     * timer("warren.dns.upstream.latency", ...)} is {@code warren_dns_upstream_latency_seconds_count}
     * and {@code _sum}: the mean over any window is {@code rate(_sum) / rate(_count)}.
     */
    public synchronized <T> MeterGroup timer(String name, String description, Tags extra, T obj,
                                             ToLongFunction<T> count, ToDoubleFunction<T> total, TimeUnit totalUnit) {
        check();
        meters.add(FunctionTimer.builder(name, obj, count, total, totalUnit).description(description)
                .tags(tags.and(extra)).register(registry));
        held.add(obj);
        return this;
    }

    /** How many meters this group registered. */
    public synchronized int size() {
        return meters.size();
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("meter group closed");
        }
    }

    /** Removes every meter of this group from the registry. */
    @Override
    public synchronized void close() {
        closed = true;
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
        held.clear();
    }
}
