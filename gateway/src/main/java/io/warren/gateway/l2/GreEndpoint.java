package io.warren.gateway.l2;

import io.netty.buffer.ByteBuf;
import io.warren.gateway.tunnel.gre.GreUnderlay;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The underlay of one L2 GRE (gretap) tunnel as an {@link L2Endpoint}: the L3 GRE tunnels' own
 * {@link GreUnderlay} (a raw IP protocol 47 socket connected to the remote, or GRE-in-UDP sockets),
 * one per tunnel since GRE has one remote. Nothing is shared, so the key registered is not used to
 * demultiplex: the remote's packets are the tunnel's, and a wrong key or protocol type is a counted
 * drop of the {@link GretapEncapsulation}. Received packets come from the underlay's receive thread
 * (raw or UDP); each receive burst ends with {@link InboundBurst#end()}.
 */
final class GreEndpoint implements L2Endpoint {
    /** Outer packets too short or malformed to hold GRE, or from another address (GRE-in-UDP). */
    static final String OUTER_MALFORMED = "gre_outer_malformed";
    /** ICMP errors the underlay reported for earlier sends (remote endpoint down, unreachable). */
    static final String UNDERLAY_ERRORS = "underlay_errors";

    private final GreUnderlay underlay;
    private final InetSocketAddress remote;
    private final L2Counters counters;
    private boolean started;

    /**
     * @param underlay the tunnel's underlay (this endpoint owns and closes it)
     * @param remote   the remote endpoint as the tunnel's segment knows it (address and overlay port)
     * @param counters the tunnel's counters
     */
    GreEndpoint(GreUnderlay underlay, InetSocketAddress remote, L2Counters counters) {
        this.underlay = underlay;
        this.remote = remote;
        this.counters = counters;
    }

    @Override
    public DatagramSink sink() {
        return new DatagramSink() {
            @Override
            public boolean send(ByteBuffer datagram, InetSocketAddress to, int flowHash) {
                return underlay.sendNow(datagram, flowHash);
            }

            @Override
            public int sendSegmented(ByteBuffer run, int segmentSize, InetSocketAddress to, int flowHash) {
                return underlay.sendRunNow(run, segmentSize, flowHash);
            }
        };
    }

    /** Starts receiving into {@code r}; only once (the tunnel has one key). */
    @Override
    public synchronized boolean register(long key, SharedUdpPort.Receiver r) {
        if (started) {
            return false;
        }
        started = true;
        underlay.start(new GreUnderlay.Receiver() {
            @Override
            public void received(ByteBuf gre) {
                r.receive(gre, remote);
            }

            @Override
            public void malformed() {
                counters.drop(OUTER_MALFORMED);
            }

            @Override
            public void underlayError() {
                counters.increment(UNDERLAY_ERRORS);
            }

            @Override
            public void burstDone() {
                InboundBurst.end();
            }
        });
        return true;
    }

    /** Nothing to undo: {@link #release()} closes the underlay and its receiver. */
    @Override
    public void unregister(long key) {
    }

    @Override
    public void release() {
        underlay.close();
    }
}
