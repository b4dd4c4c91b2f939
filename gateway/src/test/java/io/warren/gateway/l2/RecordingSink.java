package io.warren.gateway.l2;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A fake socket: records what a tunnel sends and hands each datagram to an optional peer at once. */
final class RecordingSink implements DatagramSink {
    /** One sent datagram, copied out. */
    record Sent(byte[] bytes, InetSocketAddress to, int flowHash) {
    }

    interface Peer {
        void deliver(Sent sent);
    }

    final List<Sent> sent = new ArrayList<>();
    /** Datagrams per {@link #sendSegmented} call (each also recorded in {@link #sent}). */
    final List<Integer> runs = new ArrayList<>();
    /** Segment size of each {@link #sendSegmented} call. */
    final List<Integer> runSegmentSizes = new ArrayList<>();
    private final Peer peer;

    RecordingSink(Peer peer) {
        this.peer = peer;
    }

    @Override
    public boolean send(ByteBuffer datagram, InetSocketAddress to, int flowHash) {
        byte[] b = new byte[datagram.remaining()];
        datagram.duplicate().get(b);
        Sent s = new Sent(b, to, flowHash);
        sent.add(s);
        if (peer != null) {
            peer.deliver(s);
        }
        return true;
    }

    @Override
    public int sendSegmented(ByteBuffer run, int segmentSize, InetSocketAddress to, int flowHash) {
        runs.add((run.remaining() + segmentSize - 1) / segmentSize);
        runSegmentSizes.add(segmentSize);
        return DatagramSink.super.sendSegmented(run, segmentSize, to, flowHash);
    }
}
