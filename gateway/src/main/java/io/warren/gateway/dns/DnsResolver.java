package io.warren.gateway.dns;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * The sans-I/O DNS service: client query in, action out. Pipeline of {@link #onQuery}:
 * <ol>
 *   <li>{@link QueryParser}: silent drop or error reply for bad input;</li>
 *   <li>{@link LocalZone}: local records, NODATA or NXDOMAIN (authoritative, AA set, not cached);</li>
 *   <li>{@link DnsCache}: a fresh cached answer with decremented TTLs;</li>
 *   <li>{@link UpstreamSelector} and {@link Forwarder}: an upstream query to send, or SERVFAIL.</li>
 * </ol>
 * Upstream messages ({@link #onUpstream}) and the periodic {@link #onTick} complete, retry or give up
 * on forwarded queries; accepted answers are cached per {@link CachePolicy}. UDP replies larger than
 * the client's limit (512, or its EDNS size up to 1232) are truncated with TC set (RFC 6891 §7).
 *
 * <p>Confined to one thread, except {@link #answerFromCache}, which any thread may call (the cache
 * is locked, the zone version volatile, the counters adders); {@code now} is monotonic nanoseconds.
 *
 * @param <C> the shell's client handle (address and channel), returned in replies
 */
public final class DnsResolver<C> {
    /** Longest TTL handed out or cached: one day. */
    public static final long MAX_TTL_SECONDS = 86_400;
    /** Default longest negative-caching time: RFC 2308 §5 recommends one to three hours. */
    public static final long MAX_NEGATIVE_TTL_SECONDS = 3_600;

    private final LocalZone zone;
    private final UpstreamSelector upstreams;
    private final DnsCache cache;
    private final CachePolicy policy;
    private final Forwarder<C> forwarder;
    private final DnsCounters counters;

    /**
     * @param cacheSize maximum cached answers, 0 for none
     * @param random    source of query ids (a {@link java.security.SecureRandom} in production)
     */
    public DnsResolver(LocalZone zone, UpstreamSelector upstreams, int cacheSize, ForwarderSettings settings,
            RandomGenerator random, DnsCounters counters) {
        this(zone, upstreams, cacheSize, MAX_NEGATIVE_TTL_SECONDS, settings, random, counters);
    }

    /**
     * @param maxNegativeTtlSeconds longest caching of NXDOMAIN/NODATA (0: denials are not cached)
     */
    public DnsResolver(LocalZone zone, UpstreamSelector upstreams, int cacheSize, long maxNegativeTtlSeconds,
            ForwarderSettings settings, RandomGenerator random, DnsCounters counters) {
        this.policy = new CachePolicy(MAX_TTL_SECONDS, maxNegativeTtlSeconds);
        this.zone = zone;
        this.upstreams = upstreams;
        this.cache = new DnsCache(cacheSize);
        this.forwarder = new Forwarder<>(settings, random);
        this.counters = counters;
    }

    /** Handles a client message received over {@code transport}. */
    public DnsAction<C> onQuery(long now, C client, Transport transport, byte[] packet) {
        (transport == Transport.UDP ? counters.queriesUdp : counters.queriesTcp).increment();
        long zoneVersion = zone.version();
        DnsAction<C> fast = fastHit(now, client, transport, packet, zoneVersion);
        if (fast != null) {
            return fast;
        }
        QueryParseResult parsed = QueryParser.parse(packet);
        if (parsed instanceof QueryParseResult.Dropped d) {
            counters.drop(d.reason());
            return new DnsAction.Drop<>(d.reason());
        }
        if (parsed instanceof QueryParseResult.ErrorReply e) {
            counters.drop(e.reason());
            return new DnsAction.Reply<>(client, transport, e.wire());
        }
        ClientQuery q = ((QueryParseResult.Parsed) parsed).query();
        LocalAnswer local = zone.lookup(q.name(), q.type());
        if (!(local instanceof LocalAnswer.NotLocal)) {
            counters.localAnswers.increment();
            return reply(client, transport, q, localTemplate(local, now), now);
        }
        CacheKey key = q.cacheKey();
        DnsCache.Entry cached = cache.entry(key, now);
        if (cached != null) {
            cached.notLocalAt = zoneVersion;
            counters.cacheHits.increment();
            return reply(client, transport, q, cached.template, now);
        }
        counters.cacheMisses.increment();
        ForwardResult f = forwarder.start(now, client, transport, q, upstreams.select(q.name()));
        if (f instanceof ForwardResult.Sent s) {
            counters.forwarded.increment();
            return new DnsAction.Send<>(s.send());
        }
        if (f instanceof ForwardResult.Joined) {
            return new DnsAction.Joined<>();
        }
        DnsDropReason reason = ((ForwardResult.Rejected) f).reason();
        counters.drop(reason);
        return servfail(client, transport, q, now);
    }

    /**
     * The cache-hit fast path: a query of the common shape ({@link FastQuery}) whose cached answer
     * was checked not local at the zone's current version is answered from the stored wire bytes,
     * with no dnsjava parse. Returns null when the full pipeline must run.
     */
    private DnsAction<C> fastHit(long now, C client, Transport transport, byte[] packet, long zoneVersion) {
        FastQuery q = FastQuery.match(packet);
        if (q == null) {
            return null;
        }
        DnsCache.Entry e = cache.entry(q.cacheKey(packet), now);
        if (e == null || e.notLocalAt != zoneVersion) {
            return null;
        }
        counters.cacheHits.increment();
        byte[] wire = e.template.render(q, packet, now, q.replyLimit(transport));
        if ((DnsWire.u16(wire, DnsWire.FLAGS_OFFSET) & DnsWire.FLAG_TC) != 0) {
            counters.truncatedReplies.increment();
        }
        return new DnsAction.Reply<>(client, transport, wire);
    }

    /**
     * The cache-hit fast path for a UDP query in {@code packet[0, length)}, callable from any thread
     * (the receive thread of a listening socket) and allocation-free: on a hit the reply is written
     * into {@code out}, the query and the hit are counted, and its length returned. Otherwise
     * nothing is counted and 0 returned: hand the query to {@link #onQuery} on the resolver's
     * thread, which decides everything else exactly as for any other query.
     *
     * @param q     scratch for the query's shape (the caller's, reused)
     * @param probe scratch key ({@link CacheKey#probe()}, the caller's, reused)
     * @param out   room for the reply: at least {@link DnsWire#EDNS_UDP_SIZE} bytes
     */
    int answerFromCache(long now, byte[] packet, int length, FastQuery q, CacheKey probe, byte[] out) {
        if (!q.parse(packet, length)) {
            return 0;
        }
        CacheKey key = q.cacheKey(packet, probe);
        if (key == null) {
            return 0;
        }
        DnsCache.Entry e = cache.entry(key, now);
        if (e == null || e.notLocalAt != zone.version()) {
            return 0;
        }
        int n = e.template.renderInto(q, packet, now, q.udpLimit(), out);
        if (n <= 0) {
            return 0;
        }
        counters.queriesUdp.increment();
        counters.cacheHits.increment();
        if ((DnsWire.u16(out, DnsWire.FLAGS_OFFSET) & DnsWire.FLAG_TC) != 0) {
            counters.truncatedReplies.increment();
        }
        return n;
    }

    /** Handles a message from an upstream, received on UDP socket {@code socket} (or {@link Forwarder#TCP_SOCKET}). */
    public DnsAction<C> onUpstream(long now, int socket, InetSocketAddress source, Transport transport, byte[] packet) {
        return handle(forwarder.onResponse(now, socket, source, transport, packet), now);
    }

    /**
     * The shell could not carry out {@code send} (TCP connect failed, no UDP socket could be opened);
     * retries elsewhere or gives up.
     */
    public DnsAction<C> onSendFailed(long now, UpstreamSend send) {
        return handle(forwarder.sendFailed(now, send), now);
    }

    /**
     * Hands {@code close} the UDP sockets whose attempts ended; call after {@link #onUpstream},
     * {@link #onTick} and {@link #onSendFailed} (see {@link Forwarder#drainClosed}).
     */
    public void drainClosedSockets(IntConsumer close) {
        forwarder.drainClosed(close);
    }

    /** @return upstream UDP sockets the shell should hold open (one per UDP attempt in flight) */
    public int openSockets() {
        return forwarder.openSockets();
    }

    /** Expires upstream attempts; call every few tens of milliseconds. */
    public List<DnsAction<C>> onTick(long now) {
        List<UpstreamResult<C>> expired = forwarder.expire(now);
        if (expired.isEmpty()) {
            return List.of();
        }
        List<DnsAction<C>> out = new ArrayList<>(expired.size());
        for (UpstreamResult<C> r : expired) {
            out.add(handle(r, now));
        }
        return out;
    }

    /** @return queries waiting for an upstream */
    public int inFlight() {
        return forwarder.inFlight();
    }

    /** @return cached answers */
    public int cacheSize() {
        return cache.size();
    }

    /** Empties the cache (configuration reload, upstream change). */
    public void flushCache() {
        cache.clear();
    }

    private DnsAction<C> handle(UpstreamResult<C> r, long now) {
        if (r instanceof UpstreamResult.Answered<C> a) {
            counters.upstreamAnswers.increment();
            counters.upstreamLatencyNanos.add(a.latencyNanos());
            ResponseTemplate t;
            try {
                t = policy.template(a.response(), now);
            } catch (RuntimeException unwritable) {
                // dnsjava reads some records it cannot write back (a WKS without a bitmap throws
                // ArrayIndexOutOfBoundsException): the answer cannot be relayed, as if unparseable.
                counters.drop(DnsDropReason.UPSTREAM_MALFORMED);
                return servfailAll(a.waiters(), now);
            }
            cache.put(a.waiters().get(0).query().cacheKey(), t);
            return replyAll(a.waiters(), t, now);
        }
        if (r instanceof UpstreamResult.Resend<C> s) {
            (s.overTcp() ? counters.upstreamTcpRetries : counters.upstreamRetries).increment();
            return new DnsAction.Send<>(s.send());
        }
        if (r instanceof UpstreamResult.GaveUp<C> g) {
            counters.drop(g.reason());
            return servfailAll(g.waiters(), now);
        }
        DnsDropReason reason = ((UpstreamResult.Dropped<C>) r).reason();
        counters.drop(reason);
        return new DnsAction.Drop<>(reason);
    }

    /** One reply per waiter, each with its own id, letter case, EDNS and size limit. */
    private DnsAction<C> replyAll(List<UpstreamResult.Waiter<C>> waiters, ResponseTemplate t, long now) {
        if (waiters.size() == 1) {
            UpstreamResult.Waiter<C> w = waiters.get(0);
            return reply(w.client(), w.clientTransport(), w.query(), t, now);
        }
        List<DnsAction.Reply<C>> out = new ArrayList<>(waiters.size());
        for (UpstreamResult.Waiter<C> w : waiters) {
            out.add((DnsAction.Reply<C>) reply(w.client(), w.clientTransport(), w.query(), t, now));
        }
        return new DnsAction.Replies<>(out);
    }

    private DnsAction<C> servfailAll(List<UpstreamResult.Waiter<C>> waiters, long now) {
        counters.servfailReplies.add(waiters.size());
        ResponseTemplate t = ResponseTemplate.of(DnsWire.FLAG_QR | DnsWire.FLAG_RA | Rcode.SERVFAIL, List.of(),
                List.of(), List.of(), (r, s) -> 0, now, 0);
        return replyAll(waiters, t, now);
    }

    private DnsAction<C> reply(C client, Transport transport, ClientQuery q, ResponseTemplate t, long now) {
        byte[] wire = t.render(q, now, q.replyLimit(transport));
        if ((DnsWire.u16(wire, DnsWire.FLAGS_OFFSET) & DnsWire.FLAG_TC) != 0) {
            counters.truncatedReplies.increment();
        }
        return new DnsAction.Reply<>(client, transport, wire);
    }

    private DnsAction<C> servfail(C client, Transport transport, ClientQuery q, long now) {
        counters.servfailReplies.increment();
        ResponseTemplate t = ResponseTemplate.of(DnsWire.FLAG_QR | DnsWire.FLAG_RA | Rcode.SERVFAIL, List.of(),
                List.of(), List.of(), (r, s) -> 0, now, 0);
        return reply(client, transport, q, t, now);
    }

    private static ResponseTemplate localTemplate(LocalAnswer local, long now) {
        int flags = DnsWire.FLAG_QR | DnsWire.FLAG_AA | DnsWire.FLAG_RA;
        List<Record> none = List.of();
        if (local instanceof LocalAnswer.Records r) {
            return ResponseTemplate.of(flags, r.answer(), none, none, (rec, s) -> rec.getTTL(), now, 0);
        }
        if (local instanceof LocalAnswer.NoData n) {
            return ResponseTemplate.of(flags, none, List.of(n.soa()), none, (rec, s) -> rec.getTTL(), now, 0);
        }
        LocalAnswer.NxDomain nx = (LocalAnswer.NxDomain) local;
        return ResponseTemplate.of(flags | Rcode.NXDOMAIN, none, List.of(nx.soa()), none, (rec, s) -> rec.getTTL(),
                now, 0);
    }
}
