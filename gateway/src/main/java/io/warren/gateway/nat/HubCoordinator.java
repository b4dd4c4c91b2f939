package io.warren.gateway.nat;

import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.UapiKey;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hub's side of hole punching (sans-I/O; {@code now} is monotonic nanos). Spokes that said
 * HELLO are Warren gateways. The hub introduces two of them to each other only when it relays
 * traffic between them ({@link #relayed}): with n spokes it never sends the n² introductions of
 * "everyone to everyone". An introduction tells a spoke where the hub sees the other one (its NAT
 * mapping towards the hub, {@code WgPeer.endpoint}), the prefixes behind it and its NAT mapping
 * behaviour (from its HELLO). It is sent again when that endpoint or mapping changes, and every
 * {@link Pacing#refreshEvery} while traffic still flows through the hub, until the pair has been
 * quiet for {@link Pacing#pairIdleAfter}.
 *
 * <p>Pacing: every introduction spends a token from its recipient's bucket and from the hub's
 * overall bucket ({@link TokenBucket}); one that finds no token waits for a later tick (counted
 * once as deferred). Due introductions are served round robin, so none starves. Stock WireGuard
 * spokes never say HELLO and are never introduced: they keep talking through the hub, which
 * routes between spokes. Not thread-safe.
 */
public final class HubCoordinator {
    /** A spoke as the hub sees it now. */
    public record Spoke(UapiKey key, Optional<InetSocketAddress> endpoint, List<AllowedIp> prefixes) {
    }

    /** A message for one spoke. */
    public record Outgoing(UapiKey to, CoordMessage message) {
    }

    /**
     * How introductions are paced.
     *
     * @param refreshEvery  nanos between repeats of an introduction while the pair still talks via the hub
     * @param pairIdleAfter a pair the hub relayed nothing for this long (nanos) is no longer introduced
     * @param perSpoke      introductions one spoke may receive
     * @param overall       introductions the hub may send in all
     * @param maxPairs      most pairs tracked (the flows beyond are not introduced until room frees up)
     */
    public record Pacing(long refreshEvery, long pairIdleAfter, TokenBucket.Rate perSpoke, TokenBucket.Rate overall,
                         int maxPairs) {
        public static final Pacing STANDARD = new Pacing(20_000_000_000L, 120_000_000_000L,
                new TokenBucket.Rate(1_000_000_000L, 8), new TokenBucket.Rate(20_000_000L, 100), 65_536);
    }

    private static final class Warren {
        long sequence;
        long lastHello;
        MappingBehaviour mapping = MappingBehaviour.UNKNOWN;
        final TokenBucket bucket;

        Warren(TokenBucket bucket) {
            this.bucket = bucket;
        }
    }

    /** An introduction of {@code about} to {@code to}. */
    private record Direction(UapiKey to, UapiKey about) {
    }

    private static final class Intro {
        long lastTraffic;
        boolean sent;
        long sentAt;
        InetSocketAddress endpointSent;
        MappingBehaviour mappingSent;
        boolean deferred;
    }

    private final Pacing pacing;
    private final long helloExpiry;
    private final CoordCounters counters;
    private final TokenBucket overall;
    private final Map<UapiKey, Warren> warren = new HashMap<>();
    private final LinkedHashMap<Direction, Intro> intros = new LinkedHashMap<>();
    private long sequence;

    /**
     * @param initialSequence the first sequence number (the wall clock in microseconds, so that
     *                        sequences keep increasing across restarts)
     * @param helloExpiry     a spoke that said nothing for this long (nanos) is no longer introduced
     */
    public HubCoordinator(long initialSequence, Pacing pacing, long helloExpiry, CoordCounters counters) {
        this.sequence = initialSequence;
        this.pacing = pacing;
        this.helloExpiry = helloExpiry;
        this.counters = counters;
        this.overall = new TokenBucket(pacing.overall());
    }

    /** A message from {@code from}, authenticated by its WireGuard session. */
    public Optional<CoordDropReason> receive(UapiKey from, CoordMessage m, long now) {
        if (!(m instanceof CoordMessage.Hello hello)) {
            return drop(CoordDropReason.UNEXPECTED);
        }
        Warren w = warren.get(from);
        if (w != null && m.sequence() - w.sequence <= 0) {
            return drop(CoordDropReason.REPLAYED);
        }
        if (w == null) {
            w = new Warren(new TokenBucket(pacing.perSpoke()));
            warren.put(from, w);
        }
        w.sequence = m.sequence();
        w.lastHello = now;
        w.mapping = hello.mapping();
        counters.countAccepted();
        return Optional.empty();
    }

    private Optional<CoordDropReason> drop(CoordDropReason r) {
        counters.drop(r);
        return Optional.of(r);
    }

    /** The hub relayed traffic from spoke {@code from} to spoke {@code to}: both should meet directly. */
    public void relayed(UapiKey from, UapiKey to, long now) {
        if (from.equals(to)) {
            return;
        }
        note(new Direction(to, from), now);
        note(new Direction(from, to), now);
    }

    private void note(Direction d, long now) {
        Intro i = intros.get(d);
        if (i == null) {
            if (intros.size() >= pacing.maxPairs()) {
                return;
            }
            i = new Intro();
            intros.put(d, i);
        }
        i.lastTraffic = now;
    }

    /** The introductions due and allowed at {@code now}, given the spokes as they are now. */
    public List<Outgoing> tick(long now, List<Spoke> spokes) {
        Map<UapiKey, Spoke> live = new HashMap<>();
        for (Spoke s : spokes) {
            Warren w = warren.get(s.key());
            if (w != null && now - w.lastHello <= helloExpiry && s.endpoint().isPresent()) {
                live.put(s.key(), s);
            }
        }
        List<Outgoing> out = new ArrayList<>();
        List<Direction> served = new ArrayList<>();
        var it = intros.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            Intro i = e.getValue();
            if (now - i.lastTraffic > pacing.pairIdleAfter()) {
                it.remove();
                continue;
            }
            Spoke to = live.get(e.getKey().to());
            Spoke about = live.get(e.getKey().about());
            if (to == null || about == null) {
                continue;
            }
            MappingBehaviour mapping = warren.get(about.key()).mapping;
            InetSocketAddress endpoint = about.endpoint().get();
            boolean due = !i.sent || !endpoint.equals(i.endpointSent) || mapping != i.mappingSent
                    || now - i.sentAt >= pacing.refreshEvery();
            if (!due) {
                continue;
            }
            TokenBucket bucket = warren.get(to.key()).bucket;
            if (!bucket.available(now) || !overall.available(now)) {
                if (!i.deferred) {
                    i.deferred = true;
                    counters.countDeferred();
                }
                continue;
            }
            bucket.tryTake(now);
            overall.tryTake(now);
            out.add(new Outgoing(to.key(), new CoordMessage.Introduce(++sequence, about.key(), endpoint,
                    about.prefixes(), mapping)));
            counters.countSent();
            i.sent = true;
            i.sentAt = now;
            i.endpointSent = endpoint;
            i.mappingSent = mapping;
            i.deferred = false;
            served.add(e.getKey());
        }
        for (Direction d : served) { // round robin: who was served goes to the back of the line
            intros.put(d, intros.remove(d));
        }
        return out;
    }

    /** Whether {@code key} said HELLO (and so is a Warren spoke), for status. */
    public boolean isWarren(UapiKey key) {
        return warren.containsKey(key);
    }

    /** The NAT mapping behaviour {@code key} reported in its latest HELLO. */
    public MappingBehaviour mapping(UapiKey key) {
        Warren w = warren.get(key);
        return w == null ? MappingBehaviour.UNKNOWN : w.mapping;
    }

    /** Pairs (each direction) being tracked, for tests and metrics. */
    public int trackedIntroductions() {
        return intros.size();
    }

    @Override
    public String toString() {
        return "HubCoordinator[" + warren.size() + " Warren spokes, " + intros.size() + " introductions tracked]";
    }
}
