package io.warren.gateway.nat;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** STUN statistics of one interface: requests, accepted responses, drops by reason. Lock-free. */
public final class StunCounters {
    private final LongAdder requests = new LongAdder();
    private final LongAdder responses = new LongAdder();
    private final Map<StunDropReason, LongAdder> drops = new EnumMap<>(StunDropReason.class);

    public StunCounters() {
        for (StunDropReason r : StunDropReason.values()) {
            drops.put(r, new LongAdder());
        }
    }

    void request() {
        requests.increment();
    }

    void response() {
        responses.increment();
    }

    void drop(StunDropReason reason) {
        drops.get(reason).increment();
    }

    /** Binding requests sent, retransmissions included. */
    public long requests() {
        return requests.sum();
    }

    /** Responses that matched a transaction and carried a mapped address. */
    public long responses() {
        return responses.sum();
    }

    public long dropped(StunDropReason reason) {
        return drops.get(reason).sum();
    }
}
