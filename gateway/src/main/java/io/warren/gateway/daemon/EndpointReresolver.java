package io.warren.gateway.daemon;

import io.warren.gateway.config.Endpoint;
import io.warren.gateway.config.PeerConfig;
import io.warren.gateway.config.WgKey;
import io.warren.gateway.nat.EndpointRefresh;
import io.warren.gateway.transport.WgPeer;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Re-resolves the endpoint host names of the running interfaces when {@link EndpointRefresh} says
 * so (every 5 min, and every 30 s while a peer has been quiet for 135 s) and applies the answers
 * through {@link RunningInterface#reresolve}, which keeps sessions. Runs on the NAT timer thread;
 * not thread-safe.
 */
final class EndpointReresolver {
    private static final Logger LOG = Logger.getLogger(EndpointReresolver.class.getName());

    private final Function<String, Optional<InetAddress>> resolver;
    private final EndpointRefresh<String> refresh;

    EndpointReresolver(Function<String, Optional<InetAddress>> resolver, NatTraversalService.Settings settings) {
        this.resolver = resolver;
        this.refresh = new EndpointRefresh<>(settings.refreshPeriodNanos(), settings.quietNanos(),
                settings.quietRetryNanos());
    }

    /** True when some peer of {@code running} has an endpoint host name (not a literal address). */
    static boolean anyHostName(Map<String, RunningInterface> running) {
        for (RunningInterface ri : running.values()) {
            for (PeerConfig pc : ri.config().peers()) {
                if (pc.endpoint().isPresent() && !pc.endpoint().get().isLiteral()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Resolves the host names that are due, at monotonic {@code now} and wall-clock {@code wallNow}. */
    void tick(Map<String, RunningInterface> running, long now, long wallNow) {
        Set<String> seen = new HashSet<>();
        for (RunningInterface ri : running.values()) {
            Map<WgKey, WgPeer> live = new HashMap<>();
            for (WgPeer p : ri.wireGuard().peers()) {
                live.put(WgKey.of(p.publicKey().bytes()), p);
            }
            Set<String> due = new LinkedHashSet<>();
            for (PeerConfig pc : ri.config().peers()) {
                Optional<Endpoint> ep = pc.endpoint().filter(e -> !e.isLiteral());
                if (ep.isEmpty()) {
                    continue;
                }
                String key = ri.name() + "/" + pc.publicKey().toBase64();
                seen.add(key);
                WgPeer p = live.get(pc.publicKey());
                long hsWall = p == null ? 0 : p.lastHandshakeWallNanos();
                if (refresh.due(key, now, hsWall != 0, now - (wallNow - hsWall))) {
                    refresh.resolved(key, now);
                    due.add(ep.get().host());
                }
            }
            if (!due.isEmpty()) {
                try {
                    ri.reresolve(due, resolver);
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, ri.name() + ": applying re-resolved endpoints: " + e.getMessage());
                }
            }
        }
        refresh.retain(seen);
    }
}
