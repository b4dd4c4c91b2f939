package io.warren.gateway.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.warren.tun.udp.UdpReceiveBatch;
import io.warren.tun.udp.UdpSendBatch;
import io.warren.tun.udp.UdpSocket;
import io.warren.tun.udp.UdpSource;

/**
 * One listening UDP socket of the DNS server (bound to one configured address, of that address's
 * family) and its receive thread. Each {@code recvmmsg} batch (one blocking call: the first
 * datagram waited for, the rest taken as queued, like the benchmark's C null server) ({@link UdpReceiveBatch}) is read in
 * place: a query the cache answers ({@link DnsResolver#answerFromCache}) is replied to on this
 * thread, straight from the receive ring into one {@code sendmmsg} batch ({@link UdpSendBatch})
 * addressed with the raw source {@code sockaddr}, allocating nothing. Every other query (miss,
 * local name, refusal, FORMERR, any unusual shape) is copied out with its source address and
 * handed, one task per batch, to the resolver's event loop ({@link ShellDispatcher#handOff}),
 * which treats it exactly as before and replies with {@code sendmsg}.
 *
 * <p>A datagram longer than {@value #MAX_QUERY} bytes (cut short by the kernel) is counted as a
 * query and dropped as {@link DnsDropReason#MALFORMED}.
 *
 * <p>{@link #close()}: shuts the socket's input, joins the thread, then closes the descriptor.
 */
final class UdpListener implements AutoCloseable {
    /** Datagrams per receive and per reply batch. */
    static final int BATCH = 16;
    /** Largest query taken: more than any Ethernet datagram. */
    static final int MAX_QUERY = 2048;
    private static final int POLL_MILLIS = 250;

    private final UdpSocket socket;
    private final InetSocketAddress address;
    private final DnsResolver<ClientHandle> resolver;
    private final ShellDispatcher shell;
    private final DnsCounters counters;
    private final Thread thread;
    private volatile boolean running = true;

    // Receive thread only: allocated once.
    private final UdpReceiveBatch received = new UdpReceiveBatch(BATCH, MAX_QUERY, 0);
    private final UdpSendBatch replies = new UdpSendBatch(BATCH, DnsWire.EDNS_UDP_SIZE);
    private final UdpSource source = new UdpSource();
    private final FastQuery query = new FastQuery();
    private final CacheKey probe = CacheKey.probe();
    private final byte[] packet = new byte[MAX_QUERY];
    private final byte[] reply = new byte[DnsWire.EDNS_UDP_SIZE];

    private UdpListener(UdpSocket socket, InetSocketAddress address, DnsResolver<ClientHandle> resolver,
            ShellDispatcher shell, DnsCounters counters) {
        this.socket = socket;
        this.address = address;
        this.resolver = resolver;
        this.shell = shell;
        this.counters = counters;
        this.thread = new Thread(this::run, "dns-udp " + address);
        thread.setDaemon(true);
    }

    /**
     * Binds {@code listen} (with {@code SO_REUSEPORT} when several shards share it) and starts the
     * receive thread.
     */
    static UdpListener start(InetSocketAddress listen, int bufferBytes, boolean reusePort,
            DnsResolver<ClientHandle> resolver, ShellDispatcher shell, DnsCounters counters) throws IOException {
        UdpSocket socket = UdpSocket.bind(listen, bufferBytes, reusePort);
        // The receive thread blocks in recvmmsg; the timeout only bounds how long close() may wait.
        socket.receiveTimeout(POLL_MILLIS);
        UdpListener l = new UdpListener(socket, new InetSocketAddress(listen.getAddress(), socket.localPort()),
                resolver, shell, counters);
        l.thread.start();
        return l;
    }

    /** @return the bound address (the actual port) */
    InetSocketAddress address() {
        return address;
    }

    private void run() {
        while (running) {
            int n = received.receiveWaiting(socket);
            if (!running) {
                break; // woken by close(): the slots may hold nothing real
            }
            if (n <= 0) {
                if (n < 0 && running) {
                    pause(); // an error of the socket itself: do not spin on it
                }
                continue;
            }
            long now = System.nanoTime();
            List<UdpQuery> slow = null;
            for (int i = 0; i < n; i++) {
                slow = handle(i, now, slow);
            }
            int queued = replies.size();
            if (queued > 0) {
                int sent = replies.flush(socket);
                if (sent < queued) {
                    counters.drop(DnsDropReason.REPLY_NOT_SENT, queued - sent);
                }
            }
            if (slow != null) {
                shell.handOff(socket.sender(), slow);
            }
        }
    }

    /** Answers slot {@code i} from the cache, or adds it to {@code slow} (made when first needed). */
    private List<UdpQuery> handle(int i, long now, List<UdpQuery> slow) {
        if (received.truncated(i)) {
            counters.queriesUdp.increment();
            counters.drop(DnsDropReason.MALFORMED);
            return slow;
        }
        ByteBuffer d = received.datagram(i);
        int length = d.remaining();
        d.get(d.position(), packet, 0, length);
        int r = resolver.answerFromCache(now, packet, length, query, probe, reply);
        if (r > 0) {
            replies.add(received, i, reply, 0, r); // false only for a non-IP source, which cannot reach us
            return slow;
        }
        if (!received.source(i, source)) {
            return slow;
        }
        List<UdpQuery> out = slow != null ? slow : new ArrayList<>(BATCH);
        out.add(new UdpQuery(Arrays.copyOf(packet, length), source.address()));
        return out;
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        socket.shutdownInput();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            socket.close();
        }
    }
}
