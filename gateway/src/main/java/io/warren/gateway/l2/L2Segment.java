package io.warren.gateway.l2;

import io.warren.routing.Mac;
import io.warren.routing.MacLearn;
import io.warren.routing.MacLookup;
import io.warren.routing.MacTable;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One overlay segment (a VXLAN VNI, an L2TPv3 session): a learning switch between the local side and
 * the segment's remote endpoints, deciding per frame by MAC address (IEEE 802.1Q-2018 §8.7 learning,
 * §8.8 filtering database, in a {@link MacTable} with aging and a bound).
 *
 * <ul>
 *   <li>From the local side: the source is learned on {@link L2Port#LOCAL}; a destination known
 *       behind a remote is sent there; unknown unicast, broadcast and multicast are flooded to every
 *       remote endpoint (head-end replication, RFC 7348 §4.2 without an underlay multicast group).
 *   <li>From a remote: the source is learned behind that remote (RFC 7348 §4.1, VTEP learning) and
 *       the remote itself joins the flood list when {@code learnRemotes} is on (bounded, aged like
 *       MAC entries). The frame goes only to the local side: split horizon, never to another remote
 *       nor back to the sender, so a full mesh of endpoints cannot loop.
 * </ul>
 *
 * <p>Sans-I/O: callers pass {@code now} (monotonic nanoseconds) and do the I/O. Not thread-safe;
 * the shell serialises calls. A frame between known hosts allocates nothing: the decisions are
 * reused ({@link L2Decision}) and each remote has one port object for the MAC table.
 */
public final class L2Segment {
    /** Default bound on learned MAC addresses per segment. */
    public static final int DEFAULT_MAX_MACS = 4096;
    /** Default bound on learned remote endpoints per segment. */
    public static final int DEFAULT_MAX_REMOTES = 64;
    /** Bound on the ports kept for senders beyond the learned-remote bound. */
    static final int MAX_OVERFLOW_PORTS = 256;

    private final int key;
    private final int vlan;
    private final int mtu;
    private final MacTable<L2Port> macs;
    private final List<InetSocketAddress> staticRemotes;
    /** Each static remote's port, made once (a port per received frame would allocate). */
    private final Map<InetSocketAddress, L2Port.Remote> staticPorts = new HashMap<>();
    private final boolean learnRemotes;
    private final int maxLearnedRemotes;
    private final long agingNanos;
    private final L2Counters counters;
    private final Map<InetSocketAddress, Learned> learnedRemotes = new LinkedHashMap<>();
    /** Ports of senders beyond the learned-remote bound (not flooded to); bounded, cleared when full. */
    private final Map<InetSocketAddress, L2Port.Remote> overflowPorts = new HashMap<>();
    private List<InetSocketAddress> floodList;
    /** Reused decisions (see {@link L2Decision}): deciding allocates nothing per frame. */
    private final L2Decision.Deliver deliver = new L2Decision.Deliver(this);
    private final L2Decision.Unicast unicast = new L2Decision.Unicast(this);
    private L2Decision.Flood flood;

    /** A learned remote: its port in the MAC table and when it last sent a valid frame. */
    private static final class Learned {
        final L2Port.Remote port;
        long seen;

        Learned(InetSocketAddress address, long now) {
            this.port = new L2Port.Remote(address);
            this.seen = now;
        }
    }

    /**
     * @param key           the overlay key: VNI or our L2TPv3 Session ID (for logs and demultiplexing)
     * @param vlan          802.1Q VLAN of this segment on a local trunk, 1..4094, or 0 for untagged
     * @param mtu           largest Ethernet payload (no Ethernet header, no tag) carried
     * @param staticRemotes configured remote endpoints (always flooded to, never aged)
     * @param learnRemotes  whether a remote that sends a valid frame joins the flood list
     * @param maxMacs       bound on learned MAC addresses
     * @param maxRemotes    bound on learned remote endpoints
     * @param agingNanos    aging time of learned MACs and remotes
     * @param counters      where drops are counted
     */
    public L2Segment(int key, int vlan, int mtu, List<InetSocketAddress> staticRemotes, boolean learnRemotes,
                     int maxMacs, int maxRemotes, long agingNanos, L2Counters counters) {
        if (vlan < 0 || vlan > 4094) {
            throw new IllegalArgumentException("vlan must be 0 (untagged) or 1..4094, got " + vlan);
        }
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("mtu out of range: " + mtu);
        }
        this.key = key;
        this.vlan = vlan;
        this.mtu = mtu;
        this.macs = new MacTable<>(maxMacs, agingNanos);
        this.staticRemotes = List.copyOf(new LinkedHashSet<>(staticRemotes));
        for (InetSocketAddress r : this.staticRemotes) {
            staticPorts.put(r, new L2Port.Remote(r));
        }
        this.learnRemotes = learnRemotes;
        this.maxLearnedRemotes = maxRemotes;
        this.agingNanos = agingNanos;
        this.counters = Objects.requireNonNull(counters, "counters");
        this.floodList = this.staticRemotes;
        this.flood = new L2Decision.Flood(this, floodList);
    }

    /** A segment with default bounds and the IEEE default aging time. */
    public static L2Segment of(int key, int vlan, int mtu, List<InetSocketAddress> remotes, boolean learnRemotes,
                               L2Counters counters) {
        return new L2Segment(key, vlan, mtu, remotes, learnRemotes, DEFAULT_MAX_MACS, DEFAULT_MAX_REMOTES,
                MacTable.DEFAULT_AGING_NANOS, counters);
    }

    public int key() {
        return key;
    }

    public int vlan() {
        return vlan;
    }

    public int mtu() {
        return mtu;
    }

    /** The segment's MAC table (static entries are added here). */
    public MacTable<L2Port> macTable() {
        return macs;
    }

    /** The current flood list: static remotes, then learned ones. Immutable. */
    public List<InetSocketAddress> remotes() {
        return floodList;
    }

    /** A frame from the local side with destination {@code dst} and source {@code src}. */
    public L2Decision fromLocal(long dst, long src, long now) {
        if (invalidSource(src) || macs.learn(src, L2Port.LOCAL, now) == MacLearn.INVALID_SOURCE) {
            return drop(L2Drop.INVALID_SOURCE);
        }
        MacLookup<L2Port> where = macs.lookup(dst, now);
        if (where instanceof MacLookup.Forward<L2Port> f) {
            if (f.port() instanceof L2Port.Remote r) {
                return unicast.to(r.address());
            }
            return drop(L2Drop.HAIRPIN);
        }
        List<InetSocketAddress> all = floodList;
        if (all.isEmpty()) {
            return drop(L2Drop.NO_REMOTE);
        }
        counters.increment(L2Counters.FLOODED);
        return flood;
    }

    /**
     * A decapsulated frame from remote endpoint {@code from}. A sender that is neither configured nor
     * learned while the learned-remote table is full is not flooded to, but its frame is delivered
     * and its source learned behind it (so unicast replies reach it), through a port kept in a
     * bounded overflow map: no port object per frame.
     */
    public L2Decision fromRemote(InetSocketAddress from, long dst, long src, long now) {
        if (invalidSource(src)) {
            return drop(L2Drop.INVALID_SOURCE);
        }
        L2Port.Remote port = staticPorts.get(from);
        if (port == null) {
            if (!learnRemotes) {
                return drop(L2Drop.UNKNOWN_REMOTE);
            }
            port = touchRemote(from, now);
        }
        if (macs.learn(src, port, now) == MacLearn.INVALID_SOURCE) {
            return drop(L2Drop.INVALID_SOURCE);
        }
        MacLookup<L2Port> where = macs.lookup(dst, now);
        if (where instanceof MacLookup.Forward<L2Port> f && f.port() instanceof L2Port.Remote r) {
            return drop(r.address().equals(from) ? L2Drop.HAIRPIN : L2Drop.SPLIT_HORIZON);
        }
        return deliver;
    }

    /**
     * Refreshes (or learns) remote {@code from}; returns its port. When the table is full the port
     * comes from the overflow map (cleared when it reaches {@link #MAX_OVERFLOW_PORTS}), so a
     * steady sender beyond the bound costs no allocation per frame.
     */
    private L2Port.Remote touchRemote(InetSocketAddress from, long now) {
        Learned known = learnedRemotes.get(from);
        if (known != null) {
            known.seen = now;
            return known.port;
        }
        if (learnedRemotes.size() >= maxLearnedRemotes) {
            counters.increment("remote_table_full");
            L2Port.Remote o = overflowPorts.get(from);
            if (o == null) {
                if (overflowPorts.size() >= MAX_OVERFLOW_PORTS) {
                    overflowPorts.clear();
                }
                o = new L2Port.Remote(from);
                overflowPorts.put(from, o);
            }
            return o;
        }
        Learned l = new Learned(from, now);
        learnedRemotes.put(from, l);
        counters.increment("remote_learned");
        rebuildFloodList();
        return l.port;
    }

    /**
     * A source address no station can have: a group address (IEEE 802-2014 §8.2, the I/G bit) or
     * 00:00:00:00:00:00 (Linux's bridge and vxlan drop both, {@code !is_valid_ether_addr}). Such a
     * frame is never learned, never makes its sender a remote, and is dropped.
     */
    private static boolean invalidSource(long src) {
        return src == 0 || Mac.isGroup(src);
    }

    /** Ages out MAC entries and learned remotes; call from a timer. Returns MAC entries removed. */
    public int expire(long now) {
        int before = learnedRemotes.size();
        learnedRemotes.values().removeIf(r -> now - r.seen >= agingNanos);
        if (learnedRemotes.size() != before) {
            rebuildFloodList();
            overflowPorts.clear(); // room freed: senders beyond the bound may be learned again
        }
        return macs.expire(now);
    }

    private void rebuildFloodList() {
        List<InetSocketAddress> all = new ArrayList<>(staticRemotes);
        all.addAll(learnedRemotes.keySet());
        floodList = List.copyOf(all);
        flood = new L2Decision.Flood(this, floodList);
    }

    private L2Decision drop(L2Drop reason) {
        counters.drop(reason);
        return L2Decision.Drop.of(reason);
    }

    @Override
    public String toString() {
        return "L2Segment[key=" + Integer.toUnsignedString(key) + ", vlan=" + vlan + ", mtu=" + mtu
                + ", remotes=" + floodList.size() + "]";
    }
}
