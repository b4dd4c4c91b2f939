package io.warren.gateway.transport;

import io.warren.tun.udp.UdpEndpoint;
import io.warren.tun.udp.UdpSendSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Every datagram the interface sends leaves here: {@code sendmsg(2)} on the interface's own UDP
 * socket ({@link UdpSendSocket}), straight from the thread that has the datagram, and the runs of
 * a sealed super-packet as UDP GSO sends ({@code UDP_SEGMENT}). Counts each peer's bytes sent, a
 * peer without an endpoint and a send the kernel refused ({@link ShellCounters}).
 *
 * <p>Threading: any thread, no lock of its own. The TUN readers send sealed data with the
 * interface lock released; handshake messages, keepalives and staged packets are sent by whoever
 * holds the lock when the protocol core returns them (TUN reader, receive thread, timer thread);
 * STUN requests come from any thread. The socket is swapped on a rebind ({@link #use}): a volatile
 * read per send, nothing sent before the first bind.
 *
 * <p>Buffers: the caller's, sent from {@code [position, limit)} and not kept; the kernel copies.
 */
final class DatagramSender {
    private final ShellCounters counters;
    /** sendmsg(2) on the interface's socket; null before the first bind. */
    private volatile UdpSendSocket socket;

    DatagramSender(ShellCounters counters) {
        this.counters = counters;
    }

    /** Sends through {@code s} from now on (the newly bound socket). */
    void use(UdpSendSocket s) {
        socket = s;
    }

    /** Sends {@code datagrams} to {@code p}'s endpoint, in order. */
    void sendAll(WgPeer p, List<ByteBuffer> datagrams) {
        if (datagrams.isEmpty()) {
            return;
        }
        InetSocketAddress to = endpoint(p);
        if (to == null) {
            return;
        }
        for (int i = 0, n = datagrams.size(); i < n; i++) { // indexed: no iterator per packet
            ByteBuffer d = datagrams.get(i);
            p.txBytes.add(d.remaining());
            send(d, to);
        }
    }

    /** Sends one datagram (sealed data, or a handshake message a timer fired) to {@code p}'s endpoint. */
    void sendOne(WgPeer p, ByteBuffer datagram) {
        InetSocketAddress to = endpoint(p);
        if (to == null) {
            return;
        }
        p.txBytes.add(datagram.remaining());
        send(datagram, to);
    }

    /**
     * Sends the sealed datagrams of segments {@code [from, to)}, back to back in the arena: as many
     * per UDP GSO send as one may carry, one by one when the socket has no GSO.
     */
    void sendRun(WgPeer p, SegmentArena a, int from, int to) {
        if (from >= to) {
            return;
        }
        InetSocketAddress dst = endpoint(p);
        if (dst == null) {
            return;
        }
        UdpSendSocket direct = socket;
        int per = direct != null && direct.gsoWorks() ? a.segmentsPerSend() : 1;
        for (int i = from; i < to; i += per) {
            int end = Math.min(to, i + per);
            ByteBuffer last = a.views[end - 1];
            ByteBuffer run = a.run;
            run.limit(last.limit()).position(a.views[i].position());
            p.txBytes.add(run.remaining());
            if (end - i == 1 || per == 1 || direct == null) {
                send(run, dst);
            } else if (!direct.sendSegmented(run, a.stride, dst)) {
                counters.count(ShellCounters.Reason.UDP_SEND_FAILED);
            }
        }
    }

    /** {@code p}'s current endpoint, or null (counted: the peer has none yet). */
    private InetSocketAddress endpoint(WgPeer p) {
        UdpEndpoint e = p.endpoint;
        if (e == null) {
            counters.count(ShellCounters.Reason.NO_ENDPOINT);
            return null;
        }
        return e.address();
    }

    /** Sends one datagram to {@code to}; nothing before the first bind. */
    void send(ByteBuffer datagram, InetSocketAddress to) {
        UdpSendSocket direct = socket;
        if (direct == null) {
            return; // not bound yet
        }
        if (!direct.send(datagram, to)) {
            counters.count(ShellCounters.Reason.UDP_SEND_FAILED);
        }
    }
}
