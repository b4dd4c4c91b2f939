package io.warren.gateway.nat;

import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.UapiKey;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hub's side of hole punching (sans-I/O): spokes that said HELLO are Warren gateways; every
 * {@code introduceEvery} the hub tells each of them about each other one, with the endpoint it
 * observes for it (the spoke's NAT mapping towards the hub, {@code WgPeer.endpoint}) and the
 * prefixes behind it. Stock WireGuard spokes never say HELLO and are never introduced: they keep
 * talking through the hub, which routes between spokes. Not thread-safe.
 */
public final class HubCoordinator {
    /** A spoke as the hub sees it now. */
    public record Spoke(UapiKey key, Optional<InetSocketAddress> endpoint, List<AllowedIp> prefixes) {
    }

    /** A message for one spoke. */
    public record Outgoing(UapiKey to, CoordMessage message) {
    }

    private final long introduceEvery;
    private final long helloExpiry;
    private final CoordCounters counters;
    private final Map<UapiKey, long[]> warren = new HashMap<>(); // key -> {last sequence, last hello at}
    private long sequence;
    private long nextIntroduction;
    private boolean started;

    /**
     * @param initialSequence the first sequence number (the wall clock in microseconds, so that
     *                        sequences keep increasing across restarts)
     * @param introduceEvery  nanos between rounds of introductions
     * @param helloExpiry     a spoke that said nothing for this long (nanos) is no longer introduced
     */
    public HubCoordinator(long initialSequence, long introduceEvery, long helloExpiry, CoordCounters counters) {
        this.sequence = initialSequence;
        this.introduceEvery = introduceEvery;
        this.helloExpiry = helloExpiry;
        this.counters = counters;
    }

    /** A message from {@code from}, authenticated by its WireGuard session. */
    public Optional<CoordDropReason> receive(UapiKey from, CoordMessage m, long now) {
        if (!(m instanceof CoordMessage.Hello)) {
            return drop(CoordDropReason.UNEXPECTED);
        }
        long[] s = warren.get(from);
        if (s != null && m.sequence() - s[0] <= 0) {
            return drop(CoordDropReason.REPLAYED);
        }
        warren.put(from, new long[] {m.sequence(), now});
        counters.countAccepted();
        return Optional.empty();
    }

    private Optional<CoordDropReason> drop(CoordDropReason r) {
        counters.drop(r);
        return Optional.of(r);
    }

    /** The introductions due at {@code now}, given the spokes as they are now. */
    public List<Outgoing> tick(long now, List<Spoke> spokes) {
        if (started && now - nextIntroduction < 0) {
            return List.of();
        }
        started = true;
        nextIntroduction = now + introduceEvery;
        List<Spoke> live = new ArrayList<>();
        for (Spoke s : spokes) {
            long[] w = warren.get(s.key());
            if (w != null && now - w[1] <= helloExpiry && s.endpoint().isPresent()) {
                live.add(s);
            }
        }
        List<Outgoing> out = new ArrayList<>();
        for (Spoke to : live) {
            for (Spoke about : live) {
                if (!to.key().equals(about.key())) {
                    out.add(new Outgoing(to.key(), new CoordMessage.Introduce(++sequence, about.key(),
                            about.endpoint().get(), about.prefixes())));
                    counters.countSent();
                }
            }
        }
        return out;
    }

    /** Whether {@code key} said HELLO (and so is a Warren spoke), for status. */
    public boolean isWarren(UapiKey key) {
        return warren.containsKey(key);
    }
}
