package io.warren.gateway.control.meters;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where services register their meters ({@link MeterGroup}, {@link WireGuardMeters}): a Micrometer
 * registry once metrics are on, nothing before. The daemon starts with metrics off ({@link #off()})
 * and the metrics service turns them on ({@link #enable}) when {@code [metrics]} is enabled, at start
 * or at a reload: then the registry is made and every meter registered so far is registered on it.
 * While metrics are off, groups only remember what they would register, so a daemon with
 * {@code enabled = false} loads neither Micrometer nor the Prometheus client (~110 classes, issue
 * #9). Once on, they stay on (a disabled section closes the HTTP endpoint only). Thread-safe.
 */
public final class Meters {
    /** Something that registers meters on the registry when there is one. */
    interface Participant {
        /** Registers this participant's meters on {@code registry}; called once, under the hub's lock. */
        void attach(MeterRegistry registry);
    }

    private final List<Participant> participants = new ArrayList<>();
    private MeterRegistry registry;

    private Meters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Metrics off until {@link #enable}. */
    public static Meters off() {
        return new Meters(null);
    }

    /** Metrics on at once, on {@code registry} (tests, and callers that hold a registry). */
    public static Meters on(MeterRegistry registry) {
        return new Meters(registry);
    }

    /**
     * Turns metrics on: on the first call makes the registry with {@code make} and registers every
     * participant's meters on it. Returns the registry (the first one made).
     */
    public synchronized MeterRegistry enable(Supplier<? extends MeterRegistry> make) {
        if (registry == null) {
            registry = make.get();
            for (Participant p : participants) {
                p.attach(registry);
            }
        }
        return registry;
    }

    /** The registry, or null while metrics are off. */
    public synchronized MeterRegistry registry() {
        return registry;
    }

    /** Adds {@code p}: its meters are registered now if metrics are on, else when they are turned on. */
    synchronized void join(Participant p) {
        participants.add(p);
        if (registry != null) {
            p.attach(registry);
        }
    }

    /** Removes {@code p} (its meters are its own to remove). */
    synchronized void leave(Participant p) {
        participants.removeIf(x -> x == p);
    }
}
