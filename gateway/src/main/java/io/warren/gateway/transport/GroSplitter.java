package io.warren.gateway.transport;

import io.warren.tun.udp.UdpSource;
import java.nio.ByteBuffer;

/**
 * Splits one UDP GRO receive (a run of datagrams of one flow, coalesced by the kernel into one
 * buffer, {@code UDP_GRO} cmsg: every datagram {@code segmentSize} bytes except a shorter last one)
 * back into its datagrams, without copying: each is the same buffer with its position and limit
 * moved, handed to a {@link Sink} in order. Sans-I/O and allocation-free; the caller counts a run it
 * cannot split, and the sink judges each datagram on its own (a forged one in the middle of a run is
 * dropped there, the rest of the run still goes through).
 */
final class GroSplitter {
    /** The run cannot be split (segment size not positive): nothing was handed on. */
    static final int MALFORMED = -1;

    /** Takes one datagram, {@code [position, limit)} of a buffer only valid during the call. */
    @FunctionalInterface
    interface Sink {
        void datagram(ByteBuffer datagram, UdpSource sender);
    }

    private GroSplitter() {
    }

    /**
     * The number of datagrams in a run of {@code length} bytes, or {@link #MALFORMED}. A segment size
     * at least as large as the run means one datagram (the kernel's "last may be shorter").
     */
    static int segments(int length, int segmentSize) {
        if (segmentSize <= 0 || length < 0) {
            return MALFORMED;
        }
        if (length == 0) {
            return 0;
        }
        return (length - 1) / segmentSize + 1;
    }

    /**
     * Hands each datagram of {@code run[position, limit)} to {@code sink}; the sink may move the
     * buffer's position and limit (and write inside its datagram). Afterwards the buffer's position
     * and limit are as they were.
     *
     * @return the number of datagrams handed on, or {@link #MALFORMED}
     */
    static int split(ByteBuffer run, int segmentSize, UdpSource sender, Sink sink) {
        int start = run.position();
        int end = run.limit();
        int n = segments(end - start, segmentSize);
        for (int i = 0, at = start; i < n; i++, at += segmentSize) {
            // limit first: the previous datagram's handling may have left position past this limit
            run.limit(Math.min(end, at + segmentSize)).position(at);
            sink.datagram(run, sender);
        }
        run.limit(end).position(start);
        return n;
    }
}
