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
 * Gauge}), so the data path allocates nothing and does no lookup. While metrics are off ({@link
 * Meters}) the group only keeps what it would register, and registers it when they are turned on.
 *
 * <p>Naming (Prometheus conventions, {@code warren_} prefix): give the name with dots and the unit
 * as {@code baseUnit}; counters get {@code _total}. E.g. {@code counter("warren.dns.queries", "...",
 * null, ...)} is {@code warren_dns_queries_total}; {@code gauge("warren.dns.upstream.latency",
 * "...", "seconds", ...)} is {@code warren_dns_upstream_latency_seconds}. The object read is held
 * strongly by this group until it is closed. Thread-safe.
 */
public final class MeterGroup implements AutoCloseable, Meters.Participant {
    /** One meter to register: a counter, a gauge or a timer ({@code count} and {@code unit} set). */
    private record Spec(String name, String description, String baseUnit, MeterTags tags, boolean gauge, Object obj,
                        ToDoubleFunction<Object> fn, ToLongFunction<Object> count, TimeUnit unit) {
    }

    private final Meters hub;
    private final MeterTags tags;
    /** What this group registers; also keeps the objects read alive (function counters hold them weakly). */
    private final List<Spec> specs = new ArrayList<>();
    private final List<Meter> meters = new ArrayList<>();
    private MeterRegistry registry;
    private boolean closed;

    /** A group whose meters all carry {@code tags} (e.g. {@code interface=wg0, peer=alice}). */
    public MeterGroup(Meters hub, MeterTags tags) {
        this.hub = hub;
        this.tags = tags;
        hub.join(this);
    }

    /** A monotonic counter read from {@code fn(obj)}. */
    @SuppressWarnings("unchecked")
    public <T> MeterGroup counter(String name, String description, String baseUnit, MeterTags extra,
                                  T obj, ToDoubleFunction<T> fn) {
        return add(new Spec(name, description, baseUnit, tags.and(extra), false, obj,
                (ToDoubleFunction<Object>) fn, null, null));
    }

    /** A value that goes up and down, read from {@code fn(obj)}; NaN means "no value". */
    @SuppressWarnings("unchecked")
    public <T> MeterGroup gauge(String name, String description, String baseUnit, MeterTags extra,
                                T obj, ToDoubleFunction<T> fn) {
        return add(new Spec(name, description, baseUnit, tags.and(extra), true, obj,
                (ToDoubleFunction<Object>) fn, null, null));
    }

    /**
     * A timer read from a running event count and total time, e.g. {@code
     * timer("warren.dns.upstream.latency", ...)} is {@code warren_dns_upstream_latency_seconds_count}
     * and {@code _sum}: the mean over any window is {@code rate(_sum) / rate(_count)}.
     */
    @SuppressWarnings("unchecked")
    public <T> MeterGroup timer(String name, String description, MeterTags extra, T obj,
                                ToLongFunction<T> count, ToDoubleFunction<T> total, TimeUnit totalUnit) {
        return add(new Spec(name, description, null, tags.and(extra), false, obj,
                (ToDoubleFunction<Object>) total, (ToLongFunction<Object>) count, totalUnit));
    }

    private synchronized MeterGroup add(Spec s) {
        if (closed) {
            throw new IllegalStateException("meter group closed");
        }
        specs.add(s);
        if (registry != null) {
            meters.add(register(registry, s));
        }
        return this;
    }

    @Override
    public synchronized void attach(MeterRegistry r) {
        if (closed || registry != null) {
            return;
        }
        registry = r;
        for (Spec s : specs) {
            meters.add(register(r, s));
        }
    }

    private static Meter register(MeterRegistry r, Spec s) {
        return Registrar.register(r, s);
    }

    /** The Micrometer calls, in a class of their own: verifying {@link MeterGroup} loads none of its types. */
    private static final class Registrar {
        static Meter register(MeterRegistry r, Spec s) {
            Tags t = Tags.of(s.tags().keysAndValues());
            if (s.count() != null) {
                return FunctionTimer.builder(s.name(), s.obj(), s.count(), s.fn(), s.unit())
                        .description(s.description()).tags(t).register(r);
            }
            if (s.gauge()) {
                return Gauge.builder(s.name(), s.obj(), s.fn()).description(s.description()).baseUnit(s.baseUnit())
                        .tags(t).strongReference(true).register(r);
            }
            return FunctionCounter.builder(s.name(), s.obj(), s.fn()).description(s.description())
                    .baseUnit(s.baseUnit()).tags(t).register(r);
        }
    }

    /** How many meters this group has (registered, or to register once metrics are on). */
    public synchronized int size() {
        return specs.size();
    }

    /** Removes every meter of this group from the registry. */
    @Override
    public void close() {
        hub.leave(this);
        synchronized (this) {
            closed = true;
            for (Meter m : meters) {
                registry.remove(m);
            }
            meters.clear();
            specs.clear();
        }
    }
}
