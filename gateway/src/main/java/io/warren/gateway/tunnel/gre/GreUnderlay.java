package io.warren.gateway.tunnel.gre;

import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * The outer transport of a GRE tunnel: IP protocol 47 ({@link RawGreUnderlay}) or GRE-in-UDP
 * ({@link UdpGreUnderlay}); in-memory pairs in tests.
 */
public interface GreUnderlay extends AutoCloseable {

    /** Receives GRE packets (outer headers removed) from the remote endpoint. */
    interface Receiver {
        /** Called on the underlay's receive thread; {@code gre} is only valid during the call. */
        void received(ByteBuf gre);

        /** An outer packet too short or malformed to hold GRE. */
        void malformed();

        /** The underlay reported an asynchronous error (an ICMP unreachable for an earlier send). */
        void underlayError();
    }

    /** Starts delivering received packets to {@code receiver}. */
    void start(Receiver receiver);

    /** Sends the readable bytes of {@code gre} to the remote endpoint; does not release it. */
    void send(ByteBuf gre) throws IOException;

    /** Pushes out anything batched by {@link #send} (no-op when sends are immediate). */
    default void flush() {
    }

    /** Stops receiving and releases the socket; never throws. */
    @Override
    void close();
}
