package io.warren.gateway.tunnel.gre;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Packet, byte and drop counters of one tunnel; lock-free, written by the outbound and the inbound
 * thread, read by status and metrics.
 */
public final class GreCounters {

    /** Traffic counters. */
    public enum Traffic {
        TX_PACKETS, TX_BYTES, RX_PACKETS, RX_BYTES,
        /** ICMP frag-needed / packet-too-big written back into the TUN device. */
        ICMP_TOO_BIG_SENT,
        /** IPv4 packets without DF fragmented to the tunnel MTU before encapsulation. */
        FRAGMENTED,
        /** TCP SYNs whose MSS option was lowered. */
        MSS_CLAMPED,
        /** The underlay refused a send (ENOBUFS, EHOSTUNREACH...). */
        TX_ERRORS,
        /** ICMP errors the underlay reported for earlier sends (peer endpoint not up, unreachable). */
        UNDERLAY_ERRORS,
        /** The TUN device refused a write. */
        TUN_WRITE_ERRORS
    }

    private final AtomicLongArray traffic = new AtomicLongArray(Traffic.values().length);
    private final AtomicLongArray drops = new AtomicLongArray(GreDrop.values().length);

    void add(Traffic t, long n) {
        traffic.addAndGet(t.ordinal(), n);
    }

    void drop(GreDrop d) {
        drops.incrementAndGet(d.ordinal());
    }

    public long get(Traffic t) {
        return traffic.get(t.ordinal());
    }

    public long dropped(GreDrop d) {
        return drops.get(d.ordinal());
    }

    /** Every drop, summed. */
    public long droppedTotal() {
        long sum = 0;
        for (int i = 0; i < drops.length(); i++) {
            sum += drops.get(i);
        }
        return sum;
    }

    /** All counters by lower-case name; drops as {@code drop_<reason>}. */
    public Map<String, Long> asMap() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Traffic t : Traffic.values()) {
            out.put(t.name().toLowerCase(Locale.ROOT), get(t));
        }
        for (GreDrop d : GreDrop.values()) {
            out.put("drop_" + d.name().toLowerCase(Locale.ROOT), dropped(d));
        }
        return out;
    }
}
