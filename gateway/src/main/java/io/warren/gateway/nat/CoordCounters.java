package io.warren.gateway.nat;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Coordination statistics of one interface. Lock-free. */
public final class CoordCounters {
    private final LongAdder accepted = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder deferred = new LongAdder();
    private final LongAdder probesDeferred = new LongAdder();
    private final Map<CoordDropReason, LongAdder> drops = new EnumMap<>(CoordDropReason.class);

    public CoordCounters() {
        for (CoordDropReason r : CoordDropReason.values()) {
            drops.put(r, new LongAdder());
        }
    }

    void countAccepted() {
        accepted.increment();
    }

    void countSent() {
        sent.increment();
    }

    void countDeferred() {
        deferred.increment();
    }

    void countProbeDeferred() {
        probesDeferred.increment();
    }

    void drop(CoordDropReason reason) {
        drops.get(reason).increment();
    }

    public long accepted() {
        return accepted.sum();
    }

    public long sent() {
        return sent.sum();
    }

    /** Introductions the hub held back for want of a token (each once, however long it waited). */
    public long deferred() {
        return deferred.sum();
    }

    /** Direct-path probes a spoke put off because both NATs map endpoint-dependently (RFC 4787 §4.1). */
    public long probesDeferred() {
        return probesDeferred.sum();
    }

    public long dropped(CoordDropReason reason) {
        return drops.get(reason).sum();
    }
}
