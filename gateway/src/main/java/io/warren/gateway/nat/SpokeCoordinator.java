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
 * prefixes ({@link PathOverlay}).
 *
 * <p>When STUN says that both this spoke's NAT and the other one's map endpoint-dependently
 * ("symmetric", RFC 4787 §4.1: the other side cannot know the port to send to), punching cannot
 * succeed: the spoke does not probe on introduction but after {@link Timing#symmetricRetry}, doubling
 * after every failed probe up to {@link Timing#symmetricMaxRetry} (the NAT may change), and at once
 * when either side's mapping is no longer endpoint-dependent. A spoke not heard of for {@link
 * Timing#forgetAfter} is forgotten, except while DIRECT (it is alive: the hub no longer relays its
 * traffic, so it no longer introduces it). Not thread-safe.
 */
public final class SpokeCoordinator {
    /** Intervals in nanos. */
    public record Timing(long helloEvery, long probeTimeout, long deadAfter, long retryAfter, long forgetAfter,
                         long symmetricRetry, long symmetricMaxRetry) {
        public static final Timing STANDARD = new Timing(5_000_000_000L, 12_000_000_000L, 3_000_000_000L,
                30_000_000_000L, 60_000_000_000L);

        /** With symmetric NATs on both sides: first probe after 10 retries' time, backing off to 120. */
        public Timing(long helloEvery, long probeTimeout, long deadAfter, long retryAfter, long forgetAfter) {
            this(helloEvery, probeTimeout, deadAfter, retryAfter, forgetAfter, 10 * retryAfter, 120 * retryAfter);
        }
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
        MappingBehaviour mapping = MappingBehaviour.UNKNOWN;
        /** The pending probe was put off because both NATs are symmetric. */
        boolean symmetricWait;
        /** Failed probes in a row while both NATs are symmetric (the back-off exponent). */
        int symmetricFailures;
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
    private MappingBehaviour selfMapping = MappingBehaviour.UNKNOWN;

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
            s.mapping = intro.mapping();
            remotes.put(intro.peer(), s);
            scheduleProbe(s, now, 0);
        } else if (!intro.endpoint().equals(s.endpoint) && s.path == PeerPath.VIA_HUB && !symmetric(s)) {
            s.nextProbe = now; // its mapping moved: a new hole to punch
        }
        s.mapping = intro.mapping();
        s.endpoint = intro.endpoint();
        s.prefixes = intro.prefixes();
        s.introducedAt = now;
        return Optional.empty();
    }

    private Optional<CoordDropReason> drop(CoordDropReason r) {
        counters.drop(r);
        return Optional.of(r);
    }

    /** Our NAT's mapping behaviour as STUN judges it now (sent in HELLO; decides symmetric back-off). */
    public void selfMapping(MappingBehaviour mapping) {
        selfMapping = mapping;
    }

    private boolean symmetric(State s) {
        return selfMapping == MappingBehaviour.ENDPOINT_DEPENDENT && s.mapping == MappingBehaviour.ENDPOINT_DEPENDENT;
    }

    /** Next probe {@code delay} from now, or later with both NATs symmetric (counted). */
    private void scheduleProbe(State s, long now, long delay) {
        if (symmetric(s)) {
            long backOff = timing.symmetricRetry() << Math.min(s.symmetricFailures, 20);
            s.nextProbe = now + Math.min(backOff < 0 ? Long.MAX_VALUE : backOff, timing.symmetricMaxRetry());
            s.symmetricWait = true;
            counters.countProbeDeferred();
        } else {
            s.nextProbe = now + delay;
            s.symmetricWait = false;
        }
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
            out.add(new CoordMessage.Hello(++sequence, selfMapping));
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
            if (s.path != PeerPath.DIRECT && now - s.introducedAt > timing.forgetAfter()) {
                it.remove(); // the hub stopped introducing it
                changed = true;
                continue;
            }
            Observation o = observed.get(e.getKey());
            PeerPath before = s.path;
            if (s.path == PeerPath.VIA_HUB) {
                if (s.symmetricWait && !symmetric(s)) {
                    s.symmetricWait = false; // a NAT changed: punching may work now
                    s.symmetricFailures = 0;
                    s.nextProbe = now;
                }
                if (now - s.nextProbe >= 0) {
                    s.path = PeerPath.PROBING;
                    s.since = now;
                }
            } else if (s.path == PeerPath.PROBING) {
                if (o != null && o.hasHandshake() && o.lastHandshake() - s.since >= 0) {
                    s.path = PeerPath.DIRECT;
                    s.symmetricFailures = 0;
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
        s.introducedAt = Math.max(s.introducedAt, now); // kept for forgetAfter while the hub re-introduces it
        if (symmetric(s)) {
            s.symmetricFailures++;
        }
        scheduleProbe(s, now, timing.retryAfter());
    }

    /** The introduced spokes and their paths. */
    public List<Remote> remotes() {
        List<Remote> out = new ArrayList<>();
        remotes.forEach((k, s) -> out.add(new Remote(k, s.endpoint, s.prefixes, s.path)));
        return out;
    }
}
