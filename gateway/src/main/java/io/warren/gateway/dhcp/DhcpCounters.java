package io.warren.gateway.dhcp;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the DHCP shell, written on the event loop and read from any thread (metrics, status). */
public final class DhcpCounters {

    private final Map<DhcpDropReason, LongAdder> drops = new EnumMap<>(DhcpDropReason.class);
    private final Map<DhcpNoReplyReason, LongAdder> noReplies = new EnumMap<>(DhcpNoReplyReason.class);
    private final Map<DhcpIgnoredReason, LongAdder> ignored = new EnumMap<>(DhcpIgnoredReason.class);
    private final Map<DhcpMessageType, LongAdder> sent = new EnumMap<>(DhcpMessageType.class);
    final LongAdder received = new LongAdder();
    final LongAdder journalErrors = new LongAdder();
    final LongAdder sendErrors = new LongAdder();

    DhcpCounters() {
        for (DhcpDropReason r : DhcpDropReason.values()) {
            drops.put(r, new LongAdder());
        }
        for (DhcpNoReplyReason r : DhcpNoReplyReason.values()) {
            noReplies.put(r, new LongAdder());
        }
        for (DhcpIgnoredReason r : DhcpIgnoredReason.values()) {
            ignored.put(r, new LongAdder());
        }
        for (DhcpMessageType t : DhcpMessageType.values()) {
            sent.put(t, new LongAdder());
        }
    }

    void drop(DhcpDropReason r) {
        drops.get(r).increment();
    }

    void noReply(DhcpNoReplyReason r) {
        noReplies.get(r).increment();
    }

    void ignored(DhcpIgnoredReason r) {
        ignored.get(r).increment();
    }

    void sent(DhcpMessageType t) {
        sent.get(t).increment();
    }

    /** Every counter by name, e.g. {@code drop.BAD_MAGIC}, {@code ignored.MALFORMED_FQDN}, {@code sent.DHCPACK}, {@code received}. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("received", received.sum());
        drops.forEach((k, v) -> out.put("drop." + k, v.sum()));
        noReplies.forEach((k, v) -> out.put("noreply." + k, v.sum()));
        ignored.forEach((k, v) -> out.put("ignored." + k, v.sum()));
        sent.forEach((k, v) -> out.put("sent." + k, v.sum()));
        out.put("journal.errors", journalErrors.sum());
        out.put("send.errors", sendErrors.sum());
        return out;
    }
}
