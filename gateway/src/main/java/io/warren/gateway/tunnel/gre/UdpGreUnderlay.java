package io.warren.gateway.tunnel.gre;

import io.netty.buffer.ByteBuf;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * GRE-in-UDP (RFC 8086 §3): a UDP socket of its own ({@link UdpSocket}) bound to the tunnel's port
 * receives GRE packets from the remote endpoint on one thread, up to {@value #RECEIVE_BATCH} per
 * {@code recvmmsg(2)} into a fixed ring ({@link UdpReceiveBatch}), each burst ended with
 * {@link Receiver#burstDone()}; datagrams from any other address are counted as malformed. The
 * source is compared in place ({@link UdpSource}): nothing is allocated per datagram.
 *
 * <p>Sending (RFC 8086 §3.2.1): the destination port is the tunnel's port; the source port carries
 * flow entropy. A UDP socket has one source port, so {@value #SOURCE_PORTS} sending sockets are bound
 * to ports in the dynamic range 49152-65535 and the inner flow's hash picks one: a flow keeps its
 * port, flows spread over the underlay's ECMP paths. Sends go straight from the TUN reader with
 * {@code sendmsg(2)} ({@link UdpSendSocket}); a super-packet's run of equal-sized GRE packets is one
 * UDP GSO send ({@code UDP_SEGMENT}). The UDP checksum is the kernel's (RFC 8086 §3.3, required for
 * IPv6). If no source port can be bound, everything is sent from the tunnel's port.
 */
public final class UdpGreUnderlay implements GreUnderlay {
    static final int SOURCE_PORTS = 8;
    static final int RECEIVE_BATCH = 32;
    /** Largest datagram received in a recvmmsg batch: jumbo underlays included. */
    private static final int MAX_DATAGRAM = 9216;
    /** Free bytes before each received datagram: the TUN writer puts a virtio-net header there. */
    private static final int HEADROOM = 16;
    private static final int WAIT_MILLIS = 1000;
    private static final int BIND_ATTEMPTS = 8;
    private static final Logger LOG = Logger.getLogger(UdpGreUnderlay.class.getName());

    private final InetAddress local;
    private final InetSocketAddress remote;
    private final UdpEndpoint remoteEndpoint;
    private final int port;
    private final List<UdpSocket> sources = new ArrayList<>();
    private volatile UdpSocket socket;
    private volatile UdpSendSocket[] senders;
    private volatile boolean stopping;
    private Thread thread;

    public UdpGreUnderlay(InetAddress local, InetAddress remote, int port) {
        this.local = local;
        this.remote = new InetSocketAddress(remote, port);
        this.remoteEndpoint = UdpEndpoint.of(this.remote);
        this.port = port;
    }

    @Override
    public synchronized void start(Receiver receiver) {
        UdpSocket s;
        try {
            s = bind(port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind GRE-in-UDP port " + port + ": " + e.getMessage(), e);
        }
        socket = s;
        UdpSendSocket[] pool = openSources();
        senders = pool != null ? pool : new UdpSendSocket[] {s.sender()};
        thread = new Thread(() -> receiveLoop(s, receiver), "warren-gre-udp-" + s.localPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** A socket on {@code p}: of the local address's family when pinned, else dual-stack. */
    private UdpSocket bind(int p) throws IOException {
        return local == null ? UdpSocket.bind(p, UnderlayBuffers.RECEIVE)
                : UdpSocket.bind(new InetSocketAddress(local, p), UnderlayBuffers.RECEIVE, false);
    }

    private void receiveLoop(UdpSocket s, Receiver receiver) {
        UdpSource source = new UdpSource();
        UnderlayReceiveLoop.Handler handler = new UnderlayReceiveLoop.Handler() {
            @Override
            public void datagram(UnderlayReceiveLoop in, int slot) {
                UdpReceiveBatch batch = in.batch();
                if (batch.truncated(slot) || !batch.source(slot, source) || !source.sameAddress(remoteEndpoint)) {
                    receiver.malformed();
                    return;
                }
                receiver.received(in.view(slot));
            }

            @Override
            public void burstDone() {
                receiver.burstDone();
            }
        };
        new UnderlayReceiveLoop(RECEIVE_BATCH, MAX_DATAGRAM, HEADROOM).run(s, WAIT_MILLIS, () -> stopping, handler,
                "GRE-in-UDP port " + port);
    }

    /** The sending sockets, bound to dynamic-range ports (the kernel's choice if those are taken). */
    private UdpSendSocket[] openSources() {
        UdpSendSocket[] out = new UdpSendSocket[SOURCE_PORTS];
        for (int i = 0; i < SOURCE_PORTS; i++) {
            UdpSocket s = null;
            for (int attempt = 0; s == null && attempt <= BIND_ATTEMPTS; attempt++) {
                int p = attempt == BIND_ATTEMPTS ? 0 : FlowHash.sourcePort(ThreadLocalRandom.current().nextInt());
                try {
                    // Send-only: never read (what arrives on these ports is not GRE-in-UDP traffic).
                    s = bind(p);
                } catch (IOException e) {
                    LOG.log(Level.FINE, "GRE-in-UDP source port " + p + ": " + e.getMessage());
                }
            }
            if (s == null) {
                return null;
            }
            synchronized (sources) {
                sources.add(s);
            }
            out[i] = s.sender();
        }
        return out;
    }

    @Override
    public boolean usesFlowHash() {
        return true;
    }

    @Override
    public void send(ByteBuf gre) throws IOException {
        send(gre, 0);
    }

    @Override
    public void send(ByteBuf gre, int flowHash) throws IOException {
        UdpSendSocket[] s = senders;
        if (s == null) {
            throw new IOException("GRE-in-UDP socket is closed");
        }
        // The buffer's own reused NIO view: no object per packet.
        ByteBuffer nio = gre.internalNioBuffer(gre.readerIndex(), gre.readableBytes());
        if (!pick(s, flowHash).send(nio, remote)) {
            throw new IOException("GRE-in-UDP send refused");
        }
    }

    @Override
    public void sendRun(ByteBuf buf, int offset, int length, int stride, int flowHash) throws IOException {
        UdpSendSocket[] s = senders;
        UdpSendSocket socket = s == null ? null : pick(s, flowHash);
        if (socket == null || !socket.gsoWorks() || length <= stride) {
            GreUnderlay.super.sendRun(buf, offset, length, stride, flowHash);
            return;
        }
        int per = UdpSendSocket.segmentsPerSend(stride) * stride;
        boolean ok = true;
        for (int at = offset; at < offset + length; at += per) {
            ByteBuffer run = buf.internalNioBuffer(at, Math.min(per, offset + length - at));
            ok &= socket.sendSegmented(run, stride, remote);
        }
        if (!ok) {
            throw new IOException("GRE-in-UDP segmented send refused");
        }
    }

    /** One {@code sendmsg} from the flow's source port, now, without a copy (no epoll: via Netty). */
    @Override
    public boolean sendNow(ByteBuffer gre, int flowHash) {
        UdpSendSocket[] s = senders;
        if (s == null) {
            return GreUnderlay.super.sendNow(gre, flowHash);
        }
        return pick(s, flowHash).send(gre, remote);
    }

    /** One UDP GSO send per {@link UdpSendSocket#segmentsPerSend} packets where the kernel takes it. */
    @Override
    public int sendRunNow(ByteBuffer run, int stride, int flowHash) {
        UdpSendSocket[] s = senders;
        UdpSendSocket socket = s == null ? null : pick(s, flowHash);
        int length = run.remaining();
        if (socket == null || !socket.gsoWorks() || !run.isDirect() || length <= stride) {
            return GreUnderlay.super.sendRunNow(run, stride, flowHash);
        }
        int per = UdpSendSocket.segmentsPerSend(stride) * stride;
        int sent = 0;
        ByteBuffer part = run.duplicate();
        for (int at = run.position(); at < run.limit(); at += per) {
            int end = Math.min(run.limit(), at + per);
            part.limit(end).position(at);
            if (socket.sendSegmented(part, stride, remote)) {
                sent += (end - at + stride - 1) / stride;
            }
        }
        return sent;
    }

    /** The sending socket of a flow: multiply-shift of the hash onto the pool. */
    private static UdpSendSocket pick(UdpSendSocket[] s, int flowHash) {
        return s[(int) (((flowHash & 0xFFFFFFFFL) * s.length) >>> 32)];
    }


    /** Stops the receive thread, then closes the sockets. */
    @Override
    public void close() {
        senders = null;
        stopping = true;
        UdpSocket s = socket;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (s != null) {
            s.shutdownInput();
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<UdpSocket> all;
        synchronized (sources) {
            all = new ArrayList<>(sources);
            sources.clear();
        }
        if (s != null) {
            all.add(s);
        }
        for (UdpSocket c : all) {
            c.close();
        }
    }
}
