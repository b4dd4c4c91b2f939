package io.warren.gateway.l2;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What to do with one frame; the shell does the I/O. Exhaustive over the four cases.
 *
 * <p>Deciding allocates nothing per frame: each {@link L2Segment} keeps its {@link Deliver}, its
 * {@link Flood} (made again only when the flood list changes) and one {@link Unicast} it fills in
 * again for every frame sent to a known remote; every {@link Drop} is a shared constant
 * ({@link Drop#of}). Act on a decision (or copy its target) before the segment decides again.
 */
public sealed interface L2Decision permits L2Decision.Deliver, L2Decision.Send, L2Decision.Drop {

    /** Encapsulate for {@link #segment()} and send: {@link Unicast} or {@link Flood}. */
    sealed interface Send extends L2Decision permits Unicast, Flood {
        L2Segment segment();

        /** Where the datagram goes, as the send path takes it: one remote, or the list to flood. */
        Object target();
    }

    /** Write the frame to the local (TAP) side. */
    record Deliver(L2Segment segment) implements L2Decision {
    }

    /**
     * Encapsulate for {@link #segment()} and send to one known remote endpoint. Reused by its segment:
     * {@link #remote()} is that of the latest frame it decided.
     */
    final class Unicast implements Send {
        private final L2Segment segment;
        private InetSocketAddress remote;

        Unicast(L2Segment segment) {
            this.segment = segment;
        }

        Unicast to(InetSocketAddress address) {
            this.remote = address;
            return this;
        }

        @Override
        public L2Segment segment() {
            return segment;
        }

        public InetSocketAddress remote() {
            return remote;
        }

        @Override
        public Object target() {
            return remote;
        }

        @Override
        public String toString() {
            return "Unicast[remote=" + remote + "]";
        }
    }

    /**
     * Head-end replication: encapsulate once, send a copy to every remote endpoint of the segment
     * (unknown unicast, broadcast, multicast). The list is shared and immutable.
     */
    record Flood(L2Segment segment, List<InetSocketAddress> remotes) implements Send {
        @Override
        public Object target() {
            return remotes;
        }
    }

    /** Discard; counted by the switch under {@code reason}. */
    record Drop(L2Drop reason) implements L2Decision {
        private static final Drop[] ALL = new Drop[L2Drop.values().length];

        static {
            for (L2Drop d : L2Drop.values()) {
                ALL[d.ordinal()] = new Drop(d);
            }
        }

        /** The shared instance for {@code reason}. */
        public static Drop of(L2Drop reason) {
            return ALL[reason.ordinal()];
        }
    }
}
