package io.warren.gateway.unixsocket;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Who may hold a connection, pure bookkeeping (no I/O, no clock): at most {@code connections} open
 * at once; an unprivileged user at most {@code perUser} of them, and all unprivileged users together
 * at most {@code connections - reserved}, so root and the daemon's user always find room. A newcomer
 * over a limit takes the place of the oldest <em>idle</em> connection (waiting on its client, nothing
 * in flight) of its own user, so a user who hoards connections only ever displaces itself; a
 * privileged newcomer over the total takes the oldest idle unprivileged connection first, then the
 * oldest idle one of anybody. When nobody can be displaced the newcomer is refused. Single-threaded
 * (the server's reactor thread).
 *
 * @param <C> the connection type
 */
final class Admission<C> {

    /** The outcome for a newcomer: refused, or admitted after closing {@code victim} (may be null). */
    record Decision<C>(boolean admit, C victim) {
    }

    private final int connections;
    private final int perUser;
    private final int reserved;
    /** Open connections in the order they were admitted (oldest first). */
    private final LinkedHashMap<C, Peer> open = new LinkedHashMap<>();
    private final Map<String, Integer> perUserCount = new HashMap<>();
    private int unprivileged;

    /**
     * @param connections most connections open at once
     * @param perUser     most connections of one unprivileged user
     * @param reserved    connections only privileged users may take
     */
    Admission(int connections, int perUser, int reserved) {
        check(connections, perUser, reserved);
        this.connections = connections;
        this.perUser = perUser;
        this.reserved = reserved;
    }

    /** Refuses limits that could admit nobody. */
    static void check(int connections, int perUser, int reserved) {
        if (connections < 1 || perUser < 1 || reserved < 0 || reserved >= connections) {
            throw new IllegalArgumentException("need connections >= 1, perUser >= 1, 0 <= reserved < connections");
        }
    }

    /** Whether {@code peer} may connect now, and whom it displaces; {@code idle} says who may be displaced. */
    Decision<C> decide(Peer peer, Predicate<C> idle) {
        C victim;
        if (peer.privileged()) {
            if (open.size() < connections) {
                return new Decision<>(true, null);
            }
            victim = oldest(idle, p -> !p.privileged());
            if (victim == null) {
                victim = oldest(idle, p -> true);
            }
        } else {
            if (perUserCount.getOrDefault(peer.user(), 0) < perUser && unprivileged < connections - reserved
                    && open.size() < connections) {
                return new Decision<>(true, null);
            }
            victim = oldest(idle, p -> p.user().equals(peer.user()));
        }
        return new Decision<>(victim != null, victim);
    }

    /** Records an admitted connection. */
    void add(Peer peer, C connection) {
        if (open.putIfAbsent(connection, peer) == null) {
            perUserCount.merge(peer.user(), 1, Integer::sum);
            if (!peer.privileged()) {
                unprivileged++;
            }
        }
    }

    /** Forgets a closed connection (idempotent). */
    void remove(C connection) {
        Peer peer = open.remove(connection);
        if (peer == null) {
            return;
        }
        perUserCount.computeIfPresent(peer.user(), (u, n) -> n == 1 ? null : n - 1);
        if (!peer.privileged()) {
            unprivileged--;
        }
    }

    /** Connections open now. */
    int total() {
        return open.size();
    }

    /** The open connections, oldest first (a live view: copy it before closing any). */
    java.util.Collection<C> all() {
        return open.keySet();
    }

    /** Connections of {@code user} open now. */
    int of(String user) {
        return perUserCount.getOrDefault(user, 0);
    }

    private C oldest(Predicate<C> idle, Predicate<Peer> whose) {
        for (Map.Entry<C, Peer> e : open.entrySet()) {
            if (whose.test(e.getValue()) && idle.test(e.getKey())) {
                return e.getKey();
            }
        }
        return null;
    }
}
