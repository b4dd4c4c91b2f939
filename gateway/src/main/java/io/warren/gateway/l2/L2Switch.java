package io.warren.gateway.l2;

import io.warren.routing.Mac;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The switch of one local port (a TAP device): maps local frames to segments by their 802.1Q VLAN
 * (IEEE 802.1Q-2018 §9.6; untagged and priority-tagged frames belong to the VLAN-0 segment) and
 * back, and lets each {@link L2Segment} decide where the frame goes.
 *
 * <p>A segment with a VLAN is one VLAN of a trunk: its tag is removed before encapsulation (RFC 7348
 * §6.1: a VTEP SHOULD NOT include an inner VLAN tag unless configured otherwise) and put back on
 * frames delivered to the local side; frames of VLANs with no segment are dropped, so VLANs stay
 * isolated end to end. Received frames that carry an inner tag of their own are delivered as they
 * are, as Linux's vxlan driver does (RFC 7348 §6.1 lets configuration allow them; an L2TPv3 Ethernet
 * pseudowire carries them in both its port and VLAN modes, RFC 4719).
 *
 * <p>Frames are the bytes {@code [position, limit)} of a buffer; tag removal and insertion happen in
 * place by moving the two MAC addresses (12 bytes), so insertion needs 4 bytes of headroom before the
 * position. Sans-I/O and not thread-safe, like {@link L2Segment}.
 */
public final class L2Switch {
    /** Ethernet header: destination, source, EtherType. */
    public static final int ETHERNET_HEADER = 14;
    /** The 802.1Q tag: TPID and TCI. */
    public static final int VLAN_TAG = 4;
    /** 802.1Q Tag Protocol Identifier (C-tag). */
    public static final int TPID_8021Q = 0x8100;
    /** 802.1ad Tag Protocol Identifier (S-tag). */
    public static final int TPID_8021AD = 0x88a8;

    private final Map<Integer, L2Segment> byVlan = new HashMap<>();
    private final L2Counters counters;

    /** A switch over {@code segments}, whose VLANs must differ. */
    public L2Switch(List<L2Segment> segments, L2Counters counters) {
        this.counters = counters;
        for (L2Segment s : segments) {
            if (byVlan.putIfAbsent(s.vlan(), s) != null) {
                throw new IllegalArgumentException("two segments on VLAN " + s.vlan());
            }
        }
    }

    /** The segment of {@code vlan} (0: untagged), or null. */
    public L2Segment segment(int vlan) {
        return byVlan.get(vlan);
    }

    /**
     * A frame read from the local side. When the decision is to send, the buffer holds the frame as
     * it must be encapsulated (tag removed for a VLAN segment).
     */
    public L2Decision fromLocal(ByteBuffer frame, long now) {
        return fromLocal(frame, -1, now);
    }

    /**
     * As {@link #fromLocal(ByteBuffer, long)} for a TSO/USO super-frame that will be cut into frames
     * of at most {@code segmentPayload} bytes of Ethernet payload each (IP and TCP/UDP headers plus
     * the segment size): the MTU check applies to those frames, and the one decision (segment,
     * learning, destination) holds for all of them, since they share their Ethernet header.
     * {@code segmentPayload} -1 means the frame is sent as it is.
     */
    public L2Decision fromLocal(ByteBuffer frame, int segmentPayload, long now) {
        int pos = frame.position();
        int len = frame.remaining();
        if (len < ETHERNET_HEADER) {
            return drop(L2Drop.RUNT);
        }
        int vid = 0;
        if ((frame.getShort(pos + 12) & 0xffff) == TPID_8021Q) {
            if (len < ETHERNET_HEADER + VLAN_TAG) {
                return drop(L2Drop.RUNT);
            }
            vid = frame.getShort(pos + 14) & 0x0fff;
        }
        L2Segment seg = byVlan.get(vid);
        if (seg == null) {
            return drop(L2Drop.VLAN_UNMAPPED);
        }
        if (seg.vlan() != 0) {
            stripTag(frame);
            pos = frame.position();
            len = frame.remaining();
        }
        if ((segmentPayload < 0 ? len - ETHERNET_HEADER : segmentPayload) > seg.mtu()) {
            return drop(L2Drop.OVERSIZED);
        }
        return seg.fromLocal(Mac.read(frame, pos), Mac.read(frame, pos + 6), now);
    }

    /**
     * A frame decapsulated for {@code segment} from {@code from}. On {@link L2Decision.Deliver} the
     * buffer holds the frame to write to the local side (tag inserted for a VLAN segment).
     */
    public L2Decision fromRemote(L2Segment segment, ByteBuffer frame, InetSocketAddress from, long now) {
        int pos = frame.position();
        int len = frame.remaining();
        if (len < ETHERNET_HEADER) {
            return drop(L2Drop.RUNT);
        }
        // A tag of the frame's own is header, not payload (IEEE 802.3 allows a Q-tagged frame 4 octets
        // more, 1522 against 1518; Linux's bridge forwards MTU + VLAN_HLEN).
        int tag = len >= ETHERNET_HEADER + VLAN_TAG && isTag(frame.getShort(pos + 12) & 0xffff) ? VLAN_TAG : 0;
        if (len - ETHERNET_HEADER - tag > segment.mtu()) {
            return drop(L2Drop.OVERSIZED);
        }
        L2Decision d = segment.fromRemote(from, Mac.read(frame, pos), Mac.read(frame, pos + 6), now);
        if (d instanceof L2Decision.Deliver && segment.vlan() != 0) {
            insertTag(frame, segment.vlan());
        }
        return d;
    }

    /** 802.1Q C-tag or 802.1ad S-tag TPID. */
    private static boolean isTag(int etherType) {
        return etherType == TPID_8021Q || etherType == TPID_8021AD;
    }

    /** Ages every segment's tables; call from a timer. */
    public void expire(long now) {
        for (L2Segment s : byVlan.values()) {
            s.expire(now);
        }
    }

    /** Removes the 802.1Q tag in place: the MACs move 4 bytes forward, the position follows. */
    static void stripTag(ByteBuffer frame) {
        int pos = frame.position();
        for (int i = 11; i >= 0; i--) {
            frame.put(pos + VLAN_TAG + i, frame.get(pos + i));
        }
        frame.position(pos + VLAN_TAG);
    }

    /** Inserts a tag for {@code vid} (priority 0) in place, using 4 bytes of headroom. */
    static void insertTag(ByteBuffer frame, int vid) {
        int pos = frame.position();
        if (pos < VLAN_TAG) {
            throw new IllegalArgumentException("need " + VLAN_TAG + " bytes of headroom, have " + pos);
        }
        int start = pos - VLAN_TAG;
        for (int i = 0; i < 12; i++) {
            frame.put(start + i, frame.get(pos + i));
        }
        frame.putShort(start + 12, (short) TPID_8021Q);
        frame.putShort(start + 14, (short) vid);
        frame.position(start);
    }

    private L2Decision drop(L2Drop reason) {
        counters.drop(reason);
        return L2Decision.Drop.of(reason);
    }
}
