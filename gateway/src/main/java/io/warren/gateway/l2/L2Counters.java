package io.warren.gateway.l2;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Packet counters of one L2 tunnel: frames and bytes each way, floods, and drops by reason (the
 * switch's {@link L2Drop}s, the decoders' {@code VxlanDropReason}/{@code L2tpv3DropReason}/
 * {@code GreDropReason}, the encapsulations' own checks, and the shell's). Lock-free; written by the
 * data-path threads, read by status and metrics. Counting allocates nothing once a counter exists.
 */
public final class L2Counters {
    /** Frames read from the TAP side. */
    public static final String LOCAL_RX_FRAMES = "local_rx_frames";
    /** Frames written to the TAP side. */
    public static final String LOCAL_TX_FRAMES = "local_tx_frames";
    /** Datagrams sent to remote endpoints (a flood counts once per copy). */
    public static final String TUNNEL_TX_PACKETS = "tunnel_tx_packets";
    /** Bytes sent to remote endpoints, outer UDP/IP headers excluded. */
    public static final String TUNNEL_TX_BYTES = "tunnel_tx_bytes";
    /** Datagrams received that decapsulated correctly. */
    public static final String TUNNEL_RX_PACKETS = "tunnel_rx_packets";
    /** Bytes of received datagrams, outer UDP/IP headers excluded. */
    public static final String TUNNEL_RX_BYTES = "tunnel_rx_bytes";
    /** Local frames flooded (head-end replicated). */
    public static final String FLOODED = "flooded";

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    /** Drop counters by reason, so that counting a drop builds no {@code "drop_"} name each time. */
    private final Map<String, LongAdder> drops = new ConcurrentHashMap<>();

    /** The adder behind counter {@code name}, created if needed (hot paths keep it). */
    public LongAdder adder(String name) {
        return counters.computeIfAbsent(name, k -> new LongAdder());
    }

    /** Adds {@code n} to counter {@code name}. */
    public void add(String name, long n) {
        counters.computeIfAbsent(name, k -> new LongAdder()).add(n);
    }

    /** Adds one to counter {@code name}. */
    public void increment(String name) {
        add(name, 1);
    }

    /** Counts a drop as {@code drop_<reason>}; allocates nothing once the reason was counted. */
    public void drop(String reason) {
        LongAdder a = drops.get(reason);
        if (a == null) {
            a = adder("drop_" + reason);
            drops.put(reason, a);
        }
        a.increment();
    }

    /** Counts a switch drop. */
    public void drop(L2Drop reason) {
        drop(reason.counterName());
    }

    /** The value of counter {@code name} (0 if never counted). */
    public long get(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    /** The value of drop counter {@code reason}. */
    public long dropped(String reason) {
        return get("drop_" + reason);
    }

    /** The value of a switch drop counter. */
    public long dropped(L2Drop reason) {
        return dropped(reason.counterName());
    }

    /** Every counter, sorted by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
