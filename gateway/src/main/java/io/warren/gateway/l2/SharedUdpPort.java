package io.warren.gateway.l2;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.warren.gateway.encap.l2tpv3.L2tpv3Encap;
import io.warren.gateway.encap.vxlan.FlowHash;
import io.warren.gateway.transport.Transports;
import io.warren.tun.udp.UdpSendSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One UDP port shared by every L2 tunnel of one kind that listens on it (several VNIs on 4789,
 * several L2TPv3 sessions on 1701): a Netty channel whose receive handler demultiplexes datagrams by
 * VNI or Session ID to the registered tunnel. For VXLAN it also binds a small pool of sockets in the
 * dynamic range 49152-65535 to send from, picked by the inner flow hash, so the outer source port
 * follows the flow (RFC 7348 §5); L2TPv3 sends from the listening port, as Linux does.
 *
 * <p>Threading: receive handlers run on the channels' event loops; {@link Sender} sends from the
 * caller's thread.
 */
final class SharedUdpPort implements SharedPort {
    private static final Logger LOG = Logger.getLogger(SharedUdpPort.class.getName());
    private static final int SOCKET_BUFFER = 4 << 20;
    /** Sockets in the VXLAN source-port pool. */
    static final int SOURCE_PORTS = 8;
    private static final int MAX_DATAGRAM = 2048;
    private static final int RECV_BATCH = 16;

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
    private final Channel listener;
    private final List<Channel> sendPool;
    private final ReceiverTable receivers = new ReceiverTable();
    private final LongAdder unknownKey = new LongAdder();
    private int references;

    private SharedUdpPort(Kind kind, Channel listener, List<Channel> sendPool) {
        this.kind = kind;
        this.listener = listener;
        this.sendPool = sendPool;
    }

    /** Binds {@code bind}; for VXLAN also the source-port pool on the same address. */
    static SharedUdpPort open(Kind kind, InetSocketAddress bind, Transports transports) throws IOException {
        SharedUdpPort[] self = new SharedUdpPort[1];
        ChannelHandler handler = new Demux(() -> self[0]);
        Channel listener = bind(transports, bind, handler);
        List<Channel> pool = new ArrayList<>();
        try {
            if (kind == Kind.VXLAN) {
                int base = ThreadLocalRandom.current().nextInt(FlowHash.PORT_MIN, FlowHash.PORT_MAX - 256);
                for (int i = 0; pool.size() < SOURCE_PORTS && i < 64; i++) {
                    try {
                        pool.add(bind(transports, new InetSocketAddress(bind.getAddress(), base + i), handler));
                    } catch (IOException e) {
                        LOG.fine("source port " + (base + i) + " taken: " + e.getMessage());
                    }
                }
            }
        } catch (RuntimeException e) {
            listener.close();
            pool.forEach(Channel::close);
            throw e;
        }
        if (pool.isEmpty()) {
            pool.add(listener);
        }
        self[0] = new SharedUdpPort(kind, listener, List.copyOf(pool));
        return self[0];
    }

    private static Channel bind(Transports transports, InetSocketAddress at, ChannelHandler handler) throws IOException {
        Bootstrap b = new Bootstrap().group(transports.group()).channel(transports.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .handler(handler);
        if (transports.datagramChannel() == EpollDatagramChannel.class) {
            // recvmmsg: several datagrams per system call (shared/java-stack.md).
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * RECV_BATCH));
        }
        try {
            return b.bind(at).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding UDP " + at, e);
        } catch (Exception e) {
            throw new IOException("cannot bind UDP " + at + ": " + e.getMessage(), e);
        }
    }

    Kind kind() {
        return kind;
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** The bound source ports of the pool (the listening port for L2TPv3). */
    List<Integer> sourcePorts() {
        List<Integer> out = new ArrayList<>();
        for (Channel c : sendPool) {
            out.add(((InetSocketAddress) c.localAddress()).getPort());
        }
        return out;
    }

    /** Datagrams whose key no tunnel registered. */
    long unknownKey() {
        return unknownKey.sum();
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

    @Override
    public void close() {
        listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        for (Channel c : sendPool) {
            c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    /**
     * Sends straight from the calling thread (the TAP reader) with {@code sendmsg} on the sockets'
     * descriptors ({@link UdpSendSocket}): no hop to the event loop, no copy. Without native epoll it
     * falls back to a copy written through the channel.
     */
    final class Sender implements DatagramSink {
        private final UdpSendSocket[] direct = new UdpSendSocket[sendPool.size()];

        Sender() {
            for (int i = 0; i < direct.length; i++) {
                Channel ch = sendPool.get(i);
                if (ch instanceof EpollDatagramChannel e) {
                    // Netty opens AF_INET6 (dual-stack) datagram sockets whenever IPv6 is preferred.
                    direct[i] = new UdpSendSocket(e.fd().intValue(), io.netty.channel.unix.Socket.isIPv6Preferred());
                }
            }
        }

        @Override
        public boolean send(ByteBuffer datagram, InetSocketAddress to, int flowHash) {
            int i = Math.floorMod(flowHash, direct.length);
            UdpSendSocket d = direct[i];
            if (d != null) {
                return d.send(datagram, to);
            }
            Channel ch = sendPool.get(i);
            ByteBuf copy = ch.alloc().directBuffer(datagram.remaining());
            copy.writeBytes(datagram.duplicate());
            ch.writeAndFlush(new DatagramPacket(copy, to), ch.voidPromise());
            return true;
        }

        /** One {@code sendmsg} with {@code UDP_SEGMENT} when the socket can; else one send each. */
        @Override
        public int sendSegmented(ByteBuffer run, int segmentSize, InetSocketAddress to, int flowHash) {
            UdpSendSocket d = direct[Math.floorMod(flowHash, direct.length)];
            int len = run.remaining();
            int count = (len + segmentSize - 1) / segmentSize;
            if (d != null && d.gsoWorks() && run.isDirect() && count > 1
                    && count <= UdpSendSocket.MAX_GSO_SEGMENTS && len <= UdpSendSocket.MAX_GSO_BYTES) {
                return d.sendSegmented(run, segmentSize, to) ? count : 0;
            }
            return DatagramSink.super.sendSegmented(run, segmentSize, to, flowHash);
        }
    }

    /** Hands each datagram to the receiver registered for its key. */
    private static final class Demux extends SimpleChannelInboundHandler<DatagramPacket> {
        private final java.util.function.Supplier<SharedUdpPort> port;

        Demux(java.util.function.Supplier<SharedUdpPort> port) {
            super(true);
            this.port = port;
        }

        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            SharedUdpPort p = port.get();
            if (p == null) {
                return;
            }
            ByteBuf content = packet.content();
            Receiver r = p.receivers.get(p.kind.key(content));
            if (r == null) {
                p.unknownKey.increment();
                return;
            }
            r.receive(content, packet.sender());
        }

        /** The socket has nothing more to read now: merged TCP segments go to their TAPs. */
        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            InboundBurst.end();
            ctx.fireChannelReadComplete();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP errors surface here on a UDP socket: not fatal.
            LOG.log(Level.FINE, "L2 overlay socket error: " + cause.getMessage());
        }
    }

    /** Registry key: kind and bound address. */
    record Key(Kind kind, InetAddress address, int port) {
    }
}
