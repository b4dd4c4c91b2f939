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
}
