package io.warren.gateway.l2;

import io.netty.buffer.ByteBuf;
import io.warren.gateway.encap.l2tpv3.L2tpv3Encap;
import io.warren.gateway.encap.vxlan.FlowHash;
import io.warren.gateway.tunnel.UnderlayBuffers;
import io.warren.gateway.tunnel.UnderlayReceiveLoop;
import io.warren.tun.udp.UdpEndpoint;
import io.warren.tun.udp.UdpReceiveBatch;
import io.warren.tun.udp.UdpSendSocket;
import io.warren.tun.udp.UdpSocket;
import io.warren.tun.udp.UdpSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * One UDP port shared by every L2 tunnel of one kind that listens on it (several VNIs on 4789,
 * several L2TPv3 sessions on 1701): a socket of its own ({@link UdpSocket}) and one receive thread
 * that takes up to {@value #RECV_BATCH} datagrams per {@code recvmmsg(2)} into a fixed ring
 * ({@link UdpReceiveBatch}) and demultiplexes them by VNI or Session ID to the registered tunnel;
 * each burst ends with {@link InboundBurst#end()}. The source is read in place ({@link UdpSource}):
 * no packet or address object per datagram, as on the WireGuard socket. For VXLAN it also binds a
 * small pool of sockets in the dynamic range 49152-65535 to send from, picked by the inner flow hash,
 * so the outer source port follows the flow (RFC 7348 §5); L2TPv3 sends from the listening port, as
 * Linux does.
 *
 * <p>Threading: receivers run on the port's receive thread; {@link Sender} sends from the caller's
 * thread. Buffers: a received datagram is the ring slot's, valid during the receiver's call.
 */
final class SharedUdpPort implements SharedPort {
    private static final Logger LOG = Logger.getLogger(SharedUdpPort.class.getName());
    /** Sockets in the VXLAN source-port pool. */
    static final int SOURCE_PORTS = 8;
    /**
     * Room per received datagram: any UDP payload (65507 bytes over IPv4, 65527 over IPv6 less the
     * outer headers), so that no frame the TAP MTU admits is cut. The TAP MTU follows the underlay
     * (8950 on a 9000-byte underlay), VXLAN must not fragment (RFC 7348 §4.3), and a cut datagram is
     * only counted as {@link #truncated()}. 32 slots: about 2 MB of direct memory per shared port.
     */
    private static final int MAX_DATAGRAM = 65_535;
    private static final int RECV_BATCH = 32;
    /** Free bytes before each received datagram (a VLAN tag is inserted into the overlay header). */
    private static final int HEADROOM = 16;
    private static final int WAIT_MILLIS = 1000;

    /** The kinds of overlay that can share a port, and how each names its demultiplexing key. */
    enum Kind {
        VXLAN,
        L2TPV3_UDP;

        long key(ByteBuf datagram) {
            return this == VXLAN ? VxlanEncapsulation.peekVni(datagram)
                    : L2tpv3Encapsulation.peekSessionId(datagram, L2tpv3Encap.UDP);
        }
    }

    /** A receiver of datagrams for one key. */
    interface Receiver {
        void receive(ByteBuf datagram, InetSocketAddress from);
    }

    private final Kind kind;
    private final UdpSocket listener;
    private final List<UdpSocket> sendPool;
    private final ReceiverTable receivers = new ReceiverTable();
    private final LongAdder unknownKey = new LongAdder();
    private final LongAdder truncated = new LongAdder();
    private final Thread thread;
    private volatile boolean stopping;
    /** Receive thread only: the latest VXLAN sender, and its address with the VXLAN port. */
    private UdpEndpoint lastSender;
    private InetSocketAddress lastFrom;
    private int references;

    private SharedUdpPort(Kind kind, UdpSocket listener, List<UdpSocket> sendPool) {
        this.kind = kind;
        this.listener = listener;
        this.sendPool = sendPool;
        this.thread = new Thread(this::receiveLoop, "warren-" + kind.name().toLowerCase(java.util.Locale.ROOT)
                + "-" + listener.localPort());
        this.thread.setDaemon(true);
    }

    /** Binds {@code bind}, for VXLAN also the source-port pool on the same address, and starts receiving. */
    static SharedUdpPort open(Kind kind, InetSocketAddress bind) throws IOException {
        UdpSocket listener = bind(bind);
        List<UdpSocket> pool = new ArrayList<>();
        try {
            if (kind == Kind.VXLAN) {
                int base = ThreadLocalRandom.current().nextInt(FlowHash.PORT_MIN, FlowHash.PORT_MAX - 256);
                for (int i = 0; pool.size() < SOURCE_PORTS && i < 64; i++) {
                    try {
                        pool.add(bind(new InetSocketAddress(bind.getAddress(), base + i)));
                    } catch (IOException e) {
                        LOG.fine("source port " + (base + i) + " taken: " + e.getMessage());
                    }
                }
            }
        } catch (RuntimeException e) {
            listener.close();
            pool.forEach(UdpSocket::close);
            throw e;
        }
        if (pool.isEmpty()) {
            pool.add(listener);
        }
        SharedUdpPort p = new SharedUdpPort(kind, listener, List.copyOf(pool));
        p.thread.start();
        return p;
    }

    /** A socket on {@code at}: dual-stack on the wildcard address, else of the address's own family. */
    private static UdpSocket bind(InetSocketAddress at) throws IOException {
        InetAddress a = at.getAddress();
        return a == null || a.isAnyLocalAddress() ? UdpSocket.bind(at.getPort(), UnderlayBuffers.RECEIVE)
                : UdpSocket.bind(at, UnderlayBuffers.RECEIVE, false);
    }

    Kind kind() {
        return kind;
    }

    int port() {
        return listener.localPort();
    }

    /** The bound source ports of the pool (the listening port for L2TPv3). */
    List<Integer> sourcePorts() {
        List<Integer> out = new ArrayList<>();
        for (UdpSocket s : sendPool) {
            out.add(s.localPort());
        }
        return out;
    }

    /** Datagrams whose key no tunnel registered. */
    long unknownKey() {
        return unknownKey.sum();
    }

    /** Datagrams longer than a receive slot (cut by the kernel), dropped. */
    long truncated() {
        return truncated.sum();
    }

    synchronized void retain() {
        references++;
    }

    /** Drops one reference; returns true when it was the last (the caller then closes). */
    @Override
    public synchronized boolean release() {
        return --references <= 0;
    }

    /** Routes datagrams carrying {@code key} to {@code r}; false if the key is taken. */
    @Override
    public boolean register(long key, Receiver r) {
        return receivers.putIfAbsent(key, r);
    }

    @Override
    public void unregister(long key) {
        receivers.remove(key);
    }

    /** A sender for one tunnel (one TAP reader thread). */
    @Override
    public Sender sender() {
        return new Sender();
    }

    /** Stops the receive thread, then closes the sockets. */
    @Override
    public void close() {
        stopping = true;
        listener.shutdownInput();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        listener.close();
        for (UdpSocket s : sendPool) {
            s.close();
        }
    }

    /**
     * The receive thread: {@code recvmmsg} bursts, each datagram handed to the receiver of its key
     * with its source (the address object is made only when the source changes), then
     * {@link InboundBurst#end()}. Bad input never stops it.
     */
    private void receiveLoop() {
        UdpSource source = new UdpSource();
        UnderlayReceiveLoop.Handler handler = new UnderlayReceiveLoop.Handler() {
            @Override
            public void datagram(UnderlayReceiveLoop in, int slot) {
                handle(in, slot, source);
            }

            @Override
            public void burstDone() {
                InboundBurst.end();
            }
        };
        new UnderlayReceiveLoop(RECV_BATCH, MAX_DATAGRAM, HEADROOM).run(listener, WAIT_MILLIS, () -> stopping, handler,
                "L2 overlay port " + port());
    }

    private void handle(UnderlayReceiveLoop in, int i, UdpSource source) {
        UdpReceiveBatch batch = in.batch();
        if (batch.truncated(i)) {
            truncated.increment();
            return;
        }
        ByteBuf view = in.view(i);
        Receiver r = receivers.get(kind.key(view));
        if (r == null || !batch.source(i, source)) {
            unknownKey.increment();
            return;
        }
        r.receive(view, kind == Kind.VXLAN ? vxlanSender(source) : source.address());
    }

    /**
     * A VXLAN sender as ADDRESS:port-of-this-socket: its UDP source port is only flow entropy
     * (RFC 7348 §5), so datagrams of many flows from one VTEP make one address, built once.
     */
    private InetSocketAddress vxlanSender(UdpSource source) {
        if (!source.sameAddress(lastSender)) {
            lastSender = source.endpoint();
            lastFrom = new InetSocketAddress(lastSender.address().getAddress(), listener.localPort());
        }
        return lastFrom;
    }

    /**
     * Sends straight from the calling thread (the TAP reader) with {@code sendmsg} on the sockets'
     * descriptors ({@link UdpSendSocket}): no hop to another thread, no copy.
     */
    final class Sender implements DatagramSink {
        private final UdpSendSocket[] direct = new UdpSendSocket[sendPool.size()];

        Sender() {
            for (int i = 0; i < direct.length; i++) {
                direct[i] = sendPool.get(i).sender();
            }
        }

        @Override
        public boolean send(ByteBuffer datagram, InetSocketAddress to, int flowHash) {
            return direct[Math.floorMod(flowHash, direct.length)].send(datagram, to);
        }

        /** One {@code sendmsg} with {@code UDP_SEGMENT} when the socket can; else one send each. */
        @Override
        public int sendSegmented(ByteBuffer run, int segmentSize, InetSocketAddress to, int flowHash) {
            UdpSendSocket d = direct[Math.floorMod(flowHash, direct.length)];
            int len = run.remaining();
            int count = (len + segmentSize - 1) / segmentSize;
            if (d.gsoWorks() && run.isDirect() && count > 1
                    && count <= UdpSendSocket.MAX_GSO_SEGMENTS && len <= UdpSendSocket.MAX_GSO_BYTES) {
                return d.sendSegmented(run, segmentSize, to) ? count : 0;
            }
            return DatagramSink.super.sendSegmented(run, segmentSize, to, flowHash);
        }
    }

    /** Registry key: kind and bound address. */
    record Key(Kind kind, InetAddress address, int port) {
    }
}
