package io.warren.gateway.dns;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the DNS service, written by the resolver's thread and readable from any thread
 * (metrics scrapes, status). Each {@link DnsDropReason} has its own counter.
 */
public final class DnsCounters {
    final LongAdder queriesUdp = new LongAdder();
    final LongAdder queriesTcp = new LongAdder();
    final LongAdder cacheHits = new LongAdder();
    final LongAdder cacheMisses = new LongAdder();
    final LongAdder localAnswers = new LongAdder();
    final LongAdder forwarded = new LongAdder();
    final LongAdder upstreamAnswers = new LongAdder();
    final LongAdder upstreamRetries = new LongAdder();
    final LongAdder upstreamTcpRetries = new LongAdder();
    final LongAdder upstreamLatencyNanos = new LongAdder();
    final LongAdder truncatedReplies = new LongAdder();
    final LongAdder servfailReplies = new LongAdder();
    private final Map<DnsDropReason, LongAdder> drops = new EnumMap<>(DnsDropReason.class);

    public DnsCounters() {
        for (DnsDropReason r : DnsDropReason.values()) {
            drops.put(r, new LongAdder());
        }
    }

    void drop(DnsDropReason reason) {
        drops.get(reason).increment();
    }

    void drop(DnsDropReason reason, long count) {
        drops.get(reason).add(count);
    }

    /** @return client queries received over UDP, including malformed ones */
    public long queriesUdp() {
        return queriesUdp.sum();
    }

    /** @return client queries received over TCP, including malformed ones */
    public long queriesTcp() {
        return queriesTcp.sum();
    }

    /** @return queries answered from the cache */
    public long cacheHits() {
        return cacheHits.sum();
    }

    /** @return well-formed non-local queries not found in the cache */
    public long cacheMisses() {
        return cacheMisses.sum();
    }

    /** @return queries answered from the {@link LocalZone} (records, NODATA or NXDOMAIN) */
    public long localAnswers() {
        return localAnswers.sum();
    }

    /** @return queries sent upstream (first attempts) */
    public long forwarded() {
        return forwarded.sum();
    }

    /** @return accepted upstream answers; with {@link #upstreamLatencyNanos()} gives the mean latency */
    public long upstreamAnswers() {
        return upstreamAnswers.sum();
    }

    /** @return total time between the last attempt's send and its accepted answer, nanoseconds */
    public long upstreamLatencyNanos() {
        return upstreamLatencyNanos.sum();
    }

    /** @return attempts repeated to the next upstream (timeout, SERVFAIL, REFUSED, NOTIMP) */
    public long upstreamRetries() {
        return upstreamRetries.sum();
    }

    /** @return truncated UDP answers asked again over TCP */
    public long upstreamTcpRetries() {
        return upstreamTcpRetries.sum();
    }

    /** @return UDP replies sent to clients with TC set because they exceeded the client's size */
    public long truncatedReplies() {
        return truncatedReplies.sum();
    }

    /** @return SERVFAIL replies generated here (no upstream, table full, timeouts) */
    public long servfailReplies() {
        return servfailReplies.sum();
    }

    /** @return how often {@code reason} happened */
    public long drops(DnsDropReason reason) {
        return drops.get(reason).sum();
    }
}
