package io.warren.gateway.l2;

import java.net.InetSocketAddress;
import java.util.List;

/** What to do with one frame; the shell does the I/O. Exhaustive over the four cases. */
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

    /** Encapsulate for {@code segment} and send to one known remote endpoint. */
    record Unicast(L2Segment segment, InetSocketAddress remote) implements Send {
        @Override
        public Object target() {
            return remote;
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
    }
}
