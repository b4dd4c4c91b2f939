package io.warren.gateway.tunnel.gre;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The outer transport of a GRE tunnel: IP protocol 47 ({@link RawGreUnderlay}) or GRE-in-UDP
 * ({@link UdpGreUnderlay}); in-memory pairs in tests.
 *
 * <p>Sends happen on the tunnel's TUN reader thread. An underlay may queue what {@link #send} and
 * {@link #sendRun} are given and hand it to the kernel in one call at {@link #flush()} (sendmmsg):
 * the caller keeps the bytes unchanged, and does not release them, until it has called flush.
 */
public interface GreUnderlay extends AutoCloseable {

    /** Receives GRE packets (outer headers removed) from the remote endpoint. */
    interface Receiver {
        /**
         * Called on the underlay's receive thread; {@code gre} is only valid during the call. The
         * bytes before its readerIndex (down to index 0) are the outer headers and may be overwritten.
         */
        void received(ByteBuf gre);

        /** An outer packet too short or malformed to hold GRE. */
        void malformed();

        /** The underlay reported an asynchronous error (an ICMP unreachable for an earlier send). */
        void underlayError();

        /** The end of a receive burst: nothing may be held back past it (coalesced TCP segments). */
        default void burstDone() {
        }
    }

    /** Starts delivering received packets to {@code receiver}. */
    void start(Receiver receiver);

    /** Sends (or queues until {@link #flush()}) the readable bytes of {@code gre}; does not release it. */
    void send(ByteBuf gre) throws IOException;

    /**
     * As {@link #send(ByteBuf)}; {@code flowHash} identifies the inner flow, for underlays that
     * spread flows (GRE-in-UDP source ports, RFC 8086 §3.2.1).
     */
    default void send(ByteBuf gre, int flowHash) throws IOException {
        send(gre);
    }

    /** True when {@link #send(ByteBuf, int)} uses the flow hash (else callers may pass 0). */
    default boolean usesFlowHash() {
        return false;
    }

    /**
     * Sends the GRE packets laid back to back in {@code buf[offset, offset + length)}: every one
     * {@code stride} bytes except a shorter last one, all of one inner flow. One UDP GSO send
     * where the underlay can (UDP_SEGMENT), else one packet each.
     */
    default void sendRun(ByteBuf buf, int offset, int length, int stride, int flowHash) throws IOException {
        for (int at = offset; at < offset + length; at += stride) {
            send(buf.slice(at, Math.min(stride, offset + length - at)), flowHash);
        }
    }

    /**
     * Sends {@code gre[position, limit)} at once, queueing nothing, and leaves the position where it
     * was: the way an L2 (gretap) tunnel sends, whose TAP reader reuses the buffer on return. This
     * default wraps the buffer and flushes; the real underlays send without allocating.
     *
     * @return false when the kernel refused it
     */
    default boolean sendNow(ByteBuffer gre, int flowHash) {
        try {
            send(io.netty.buffer.Unpooled.wrappedBuffer(gre.duplicate()), flowHash);
            return flush() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sends the packets laid back to back in {@code run[position, limit)}, every one {@code stride}
     * bytes except a shorter last one, all of one inner flow, at once (one UDP GSO send where the
     * underlay can, one {@code sendmmsg} on a raw socket); the position is not moved.
     *
     * @return how many of the packets the kernel took
     */
    default int sendRunNow(ByteBuffer run, int stride, int flowHash) {
        ByteBuffer one = run.duplicate();
        int sent = 0;
        for (int at = run.position(); at < run.limit(); at += stride) {
            one.limit(Math.min(run.limit(), at + stride)).position(at);
            if (sendNow(one, flowHash)) {
                sent++;
            }
        }
        return sent;
    }

    /**
     * Hands anything queued by the sends to the kernel; afterwards the caller may reuse the buffers.
     *
     * @return how many queued packets the kernel refused (counted by the caller)
     */
    default int flush() {
        return 0;
    }

    /** Stops receiving and releases the socket; never throws. */
    @Override
    void close();
}
