package io.warren.gateway.nat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decides when a peer's endpoint host name is resolved again (sans-I/O; {@code now} is monotonic
 * nanos). Like wireguard-tools' {@code reresolve-dns.sh}: a peer that has had no handshake for more
 * than {@link #QUIET_NANOS} (135 s: REKEY_AFTER_TIME plus the handshake's retries, WireGuard
 * whitepaper §6) is re-resolved every {@link #QUIET_RETRY_NANOS}; every other peer every
 * {@link #PERIOD_NANOS}, so a moved DNS name is followed even while the old address still answers.
 *
 * @param <K> how the caller names a peer
 */
public final class EndpointRefresh<K> {
    /** Periodic re-resolution of every host-name endpoint: 5 minutes. */
    public static final long PERIOD_NANOS = 300_000_000_000L;
    /** No handshake for this long means the peer went quiet: 135 s. */
    public static final long QUIET_NANOS = 135_000_000_000L;
    /** A quiet peer is re-resolved this often: 30 s (reresolve-dns.sh's timer). */
    public static final long QUIET_RETRY_NANOS = 30_000_000_000L;

    private final long period;
    private final long quiet;
    private final long quietRetry;
    private final Map<K, long[]> peers = new HashMap<>(); // {firstSeen, lastResolved}

    /** With the standard intervals. */
    public EndpointRefresh() {
        this(PERIOD_NANOS, QUIET_NANOS, QUIET_RETRY_NANOS);
    }

    /** With other intervals (nanos), for tests and labs. */
    public EndpointRefresh(long period, long quiet, long quietRetry) {
        this.period = period;
        this.quiet = quiet;
        this.quietRetry = quietRetry;
    }

    /**
     * Whether {@code peer}'s host name should be resolved now. A peer seen for the first time was
     * just resolved (at startup or reload) and is not due.
     *
     * @param lastHandshake monotonic time of the latest completed handshake, if {@code hasHandshake}
     */
    public boolean due(K peer, long now, boolean hasHandshake, long lastHandshake) {
        long[] s = peers.get(peer);
        if (s == null) {
            peers.put(peer, new long[] {now, now});
            return false;
        }
        long sinceResolve = now - s[1];
        if (sinceResolve >= period) {
            return true;
        }
        long quietSince = hasHandshake && lastHandshake - s[0] > 0 ? lastHandshake : s[0];
        return now - quietSince > quiet && sinceResolve >= quietRetry;
    }

    /** Records that {@code peer} was resolved at {@code now} (whatever the answer). */
    public void resolved(K peer, long now) {
        long[] s = peers.get(peer);
        if (s == null) {
            peers.put(peer, new long[] {now, now});
        } else {
            s[1] = now;
        }
    }

    /** Forgets peers not in {@code current} (removed from the config). */
    public void retain(Set<K> current) {
        peers.keySet().retainAll(current);
    }
}
