package io.warren.routing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Cryptokey routing (WireGuard whitepaper §2, "Cryptokey Routing"; the AllowedIPs table of §4):
 * each prefix belongs to exactly one peer. Outbound, the destination address selects the peer
 * ({@link #lookupV4(int)}); inbound, a decrypted packet is accepted only if its source address routes
 * back to the peer that sent it ({@link #allowsSourceV4}).
 *
 * <p>Inserting a prefix that another peer holds moves it (as wg(8) does). Peers are compared with
 * {@code equals}; use one object per peer.
 *
 * <p><b>Concurrency.</b> Lookups are lock-free reads of the {@link PrefixTable} snapshot. Changes
 * and {@link #prefixes} synchronize on this object; {@link #replace} and {@link #removeByPeer} are
 * published to readers in one step.
 *
 * @param <P> peer type
 */
public final class AllowedIps<P> {

    private final PrefixTable<P> table = new PrefixTable<>();
    private final Map<P, Set<IpPrefix>> byPeer = new HashMap<>();

    /** Gives {@code prefix} to {@code peer}, taking it from its previous owner if any. */
    public synchronized void insert(IpPrefix prefix, P peer) {
        table.update(e -> insert(e, prefix, peer));
    }

    /** Removes {@code prefix} from whichever peer holds it; returns that peer or null. */
    public synchronized P remove(IpPrefix prefix) {
        P old = table.remove(prefix);
        if (old != null) {
            forget(old, prefix);
        }
        return old;
    }

    /** Removes every prefix of {@code peer} (peer removed from the configuration). */
    public synchronized void removeByPeer(P peer) {
        Set<IpPrefix> mine = byPeer.remove(peer);
        if (mine != null) {
            table.update(e -> mine.forEach(e::remove));
        }
    }

    /** Sets the prefixes of {@code peer} to exactly {@code prefixes}, atomically for readers. */
    public synchronized void replace(P peer, Collection<IpPrefix> prefixes) {
        Set<IpPrefix> old = byPeer.remove(peer);
        table.update(e -> {
            if (old != null) {
                old.forEach(e::remove);
            }
            for (IpPrefix p : prefixes) {
                insert(e, p, peer);
            }
        });
    }

    private void insert(PrefixTable.Editor<P> e, IpPrefix prefix, P peer) {
        P old = e.put(prefix, peer);
        if (old != null && !old.equals(peer)) {
            forget(old, prefix);
        }
        byPeer.computeIfAbsent(peer, k -> new TreeSet<>()).add(prefix);
    }

    private void forget(P peer, IpPrefix prefix) {
        Set<IpPrefix> set = byPeer.get(peer);
        if (set != null && set.remove(prefix) && set.isEmpty()) {
            byPeer.remove(peer);
        }
    }

    /** The prefixes held by {@code peer}, sorted (IPv4 first). */
    public synchronized List<IpPrefix> prefixes(P peer) {
        Set<IpPrefix> set = byPeer.get(peer);
        return set == null ? List.of() : List.copyOf(set);
    }

    /** Peers that hold at least one prefix. */
    public synchronized List<P> peers() {
        return new ArrayList<>(byPeer.keySet());
    }

    public int size() {
        return table.size();
    }

    /** The peer for an outbound IPv4 destination, or null (no peer: drop, ICMP unreachable). */
    public P lookupV4(int dst) {
        return table.lookupV4(dst);
    }

    /** The peer for an outbound IPv6 destination, or null. */
    public P lookupV6(long dstHi, long dstLo) {
        return table.lookupV6(dstHi, dstLo);
    }

    /** The peer for the IPv4 address at {@code offset} of {@code buf}, or null (also if out of range). */
    public P lookupV4(ByteBuffer buf, int offset) {
        return table.lookupV4(buf, offset);
    }

    /** The peer for the IPv6 address at {@code offset} of {@code buf}, or null (also if out of range). */
    public P lookupV6(ByteBuffer buf, int offset) {
        return table.lookupV6(buf, offset);
    }

    /** Whether a packet decrypted from {@code peer} may carry IPv4 source {@code src}. */
    public boolean allowsSourceV4(P peer, int src) {
        return same(peer, table.lookupV4(src));
    }

    /** Whether a packet decrypted from {@code peer} may carry IPv6 source (hi, lo). */
    public boolean allowsSourceV6(P peer, long srcHi, long srcLo) {
        return same(peer, table.lookupV6(srcHi, srcLo));
    }

    /** {@link #allowsSourceV4(Object, int)} on the address at {@code offset}; false if out of range. */
    public boolean allowsSourceV4(P peer, ByteBuffer buf, int offset) {
        return same(peer, table.lookupV4(buf, offset));
    }

    /** {@link #allowsSourceV6(Object, long, long)} on the address at {@code offset}; false if out of range. */
    public boolean allowsSourceV6(P peer, ByteBuffer buf, int offset) {
        return same(peer, table.lookupV6(buf, offset));
    }

    private static boolean same(Object peer, Object found) {
        return found != null && (found == peer || found.equals(peer));
    }
}
