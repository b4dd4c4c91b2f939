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
import java.util.Set;

/**
 * A spoke's side of hole punching (sans-I/O; {@code now} is monotonic nanos). It learns other
 * spokes ONLY from introductions that its hub sent (the caller passes the sender's authenticated
 * WireGuard key; anything else is counted as forged) with increasing sequence numbers (replays are
 * counted and ignored), then per introduced spoke:
 *
 * <pre>
 *   VIA_HUB --(probe due)--> PROBING --(direct handshake completed)--> DIRECT
 *      ^                        |                                         |
 *      +----(probeTimeout)------+------(nothing received for deadAfter)---+
 *            next probe after retryAfter
 * </pre>
 *
 * While PROBING or DIRECT the spoke is a dynamic WireGuard peer (endpoint from the hub, keepalive
 * every second so that both NAT holes stay open and liveness is seen); only DIRECT gives it its
 * prefixes ({@link PathOverlay}). Not thread-safe.
 */
public final class SpokeCoordinator {
    /** Intervals in nanos. */
    public record Timing(long helloEvery, long probeTimeout, long deadAfter, long retryAfter, long forgetAfter) {
        public static final Timing STANDARD = new Timing(5_000_000_000L, 12_000_000_000L, 3_000_000_000L,
                30_000_000_000L, 60_000_000_000L);
    }

    /** What the interface reports about a dynamic peer. */
    public record Observation(boolean hasHandshake, long lastHandshake, long rxBytes) {
    }

    /** An introduced spoke and its path. */
    public record Remote(UapiKey key, InetSocketAddress endpoint, List<AllowedIp> prefixes, PeerPath path) {
    }

    private static final class State {
        InetSocketAddress endpoint;
        List<AllowedIp> prefixes;
        PeerPath path = PeerPath.VIA_HUB;
        long since;
        long nextProbe;
        long lastRx;
        long lastRxAt;
        long introducedAt;
    }

    private final UapiKey self;
    private final Set<UapiKey> hubs;
    private final Timing timing;
    private final CoordCounters counters;
    private final Map<UapiKey, Long> lastSequence = new HashMap<>();
    private final Map<UapiKey, State> remotes = new LinkedHashMap<>();
    private long sequence;
    private long nextHello;
    private boolean helloStarted;

    /**
     * @param self            our public key
     * @param hubs            the peers configured with {@code hub = true}
     * @param initialSequence first HELLO sequence number (wall clock in microseconds)
     */
    public SpokeCoordinator(UapiKey self, Set<UapiKey> hubs, long initialSequence, Timing timing,
                            CoordCounters counters) {
        this.self = self;
        this.hubs = Set.copyOf(hubs);
        this.sequence = initialSequence;
        this.timing = timing;
        this.counters = counters;
    }

    /** A message from {@code from} (its WireGuard session authenticated it). */
    public Optional<CoordDropReason> receive(UapiKey from, CoordMessage m, long now) {
        if (m instanceof CoordMessage.Hello) {
            return Optional.empty(); // another spoke's punch probe: nothing to do
        }
        CoordMessage.Introduce intro = (CoordMessage.Introduce) m;
        if (!hubs.contains(from)) {
            return drop(CoordDropReason.NOT_FROM_HUB);
        }
        Long last = lastSequence.get(from);
        if (last != null && intro.sequence() - last <= 0) {
            return drop(CoordDropReason.REPLAYED);
        }
        lastSequence.put(from, intro.sequence());
        if (intro.peer().equals(self) || hubs.contains(intro.peer())) {
            return drop(CoordDropReason.ABOUT_SELF_OR_HUB);
        }
        counters.countAccepted();
        State s = remotes.get(intro.peer());
        if (s == null) {
            s = new State();
            s.nextProbe = now;
            remotes.put(intro.peer(), s);
        } else if (!intro.endpoint().equals(s.endpoint) && s.path == PeerPath.VIA_HUB) {
            s.nextProbe = now; // its mapping moved: a new hole to punch
        }
        s.endpoint = intro.endpoint();
        s.prefixes = intro.prefixes();
        s.introducedAt = now;
        return Optional.empty();
    }

    private Optional<CoordDropReason> drop(CoordDropReason r) {
        counters.drop(r);
        return Optional.of(r);
    }

    /** A HELLO for each hub when one is due. */
    public List<CoordMessage.Hello> hello(long now) {
        if (helloStarted && now - nextHello < 0) {
            return List.of();
        }
        helloStarted = true;
        nextHello = now + timing.helloEvery();
        List<CoordMessage.Hello> out = new ArrayList<>();
        for (int i = 0; i < hubs.size(); i++) {
            out.add(new CoordMessage.Hello(++sequence));
        }
        return out;
    }

    /**
     * Advances every path. {@code observed} has the dynamic peers the interface runs now.
     *
     * @return true when a path or endpoint changed (the overlay must be applied again)
     */
    public boolean tick(long now, Map<UapiKey, Observation> observed) {
        boolean changed = false;
        var it = remotes.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            State s = e.getValue();
            if (now - s.introducedAt > timing.forgetAfter()) {
                it.remove(); // the hub stopped introducing it
                changed = true;
                continue;
            }
            Observation o = observed.get(e.getKey());
            PeerPath before = s.path;
            if (s.path == PeerPath.VIA_HUB) {
                if (now - s.nextProbe >= 0) {
                    s.path = PeerPath.PROBING;
                    s.since = now;
                }
            } else if (s.path == PeerPath.PROBING) {
                if (o != null && o.hasHandshake() && o.lastHandshake() - s.since >= 0) {
                    s.path = PeerPath.DIRECT;
                    s.lastRx = o.rxBytes();
                    s.lastRxAt = now;
                } else if (now - s.since > timing.probeTimeout()) {
                    fallBack(s, now);
                }
            } else {
                if (o == null) {
                    fallBack(s, now);
                } else {
                    if (o.rxBytes() != s.lastRx) {
                        s.lastRx = o.rxBytes();
                        s.lastRxAt = now;
                    }
                    if (now - s.lastRxAt > timing.deadAfter()) {
                        fallBack(s, now);
                    }
                }
            }
            changed |= before != s.path;
        }
        return changed;
    }

    private void fallBack(State s, long now) {
        s.path = PeerPath.VIA_HUB;
        s.nextProbe = now + timing.retryAfter();
    }

    /** The introduced spokes and their paths. */
    public List<Remote> remotes() {
        List<Remote> out = new ArrayList<>();
        remotes.forEach((k, s) -> out.add(new Remote(k, s.endpoint, s.prefixes, s.path)));
        return out;
    }
}
