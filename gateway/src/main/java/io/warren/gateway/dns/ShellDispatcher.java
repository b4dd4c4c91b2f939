package io.warren.gateway.dns;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.collection.IntObjectHashMap;
import io.warren.tun.udp.UdpSendSocket;

/**
 * Carries out the {@link DnsAction}s of the resolver on the event loop: replies to clients, one UDP
 * socket per UDP attempt, bound to port 0 so that Linux picks a random ephemeral port for each
 * (RFC 5452 §9.2; {@code net.ipv4.ip_local_port_range}), closed when the resolver says the attempt
 * ended ({@link DnsResolver#drainClosedSockets}), and one TCP connection per TCP attempt (RFC 7766).
 * The resolver bounds the sockets open at once by its in-flight limit (max-forwards).
 * One dispatcher per event loop; every method runs on that loop, which also owns the resolver,
 * except {@link #handOff}, by which the receive threads of the listening UDP sockets
 * ({@link UdpListener}) pass on the queries the cache did not answer.
 */
final class ShellDispatcher {
    private final EventLoop loop;
    private final DnsResolver<ClientHandle> resolver;
    private final Class<? extends Channel> tcpChannelType;
    private final int tcpTimeoutMillis;
    private final DnsCounters resolverCounters;
    /** Handed-off UDP queries not yet taken by the loop. */
    private final AtomicInteger pending = new AtomicInteger();
    private final ChannelFactory<? extends Channel> udpFactory;
    /** Open upstream UDP sockets by the resolver's socket number. */
    private final IntObjectHashMap<Channel> upstreamSockets = new IntObjectHashMap<>();
    private final IntConsumer closeSocket = this::closeSocket;
    private static final FixedRecvByteBufAllocator UPSTREAM_RECEIVE =
            new FixedRecvByteBufAllocator(ShellDispatcher.MAX_UPSTREAM_DATAGRAM);
    private static final InetSocketAddress ANY_V4 = new InetSocketAddress(wildcard(4), 0);
    private static final InetSocketAddress ANY_V6 = new InetSocketAddress(wildcard(16), 0);

    /**
     * Receive buffer of an upstream socket. A datagram that fills it may have been cut by the
     * kernel (the excess is discarded and Netty does not say so).
     */
    static final int MAX_UPSTREAM_DATAGRAM = 4096;

    /** Most UDP queries waiting for the loop: a few hundred milliseconds of misses at full speed. */
    static final int MAX_PENDING = 4096;

    ShellDispatcher(EventLoop loop, DnsResolver<ClientHandle> resolver, DnsCounters counters,
            ChannelFactory<? extends Channel> udpFactory, Class<? extends Channel> tcpChannelType,
            int tcpTimeoutMillis) {
        this.loop = loop;
        this.udpFactory = udpFactory;
        this.resolverCounters = counters;
        this.resolver = resolver;
        this.tcpChannelType = tcpChannelType;
        this.tcpTimeoutMillis = tcpTimeoutMillis;
    }

    private static InetAddress wildcard(int length) {
        try {
            return InetAddress.getByAddress(new byte[length]);
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible); // only for a bad length
        }
    }

    /** @return upstream UDP sockets open now (loop thread only; for tests) */
    int openUpstreamSockets() {
        return upstreamSockets.size();
    }

    /** Performs {@code action}: a reply is sent at once, an upstream query handed to its socket. */
    void dispatch(DnsAction<ClientHandle> action) {
        if (action instanceof DnsAction.Reply<ClientHandle> r) {
            ClientHandle c = r.client();
            if (r.transport() == Transport.TCP) {
                c.channel().writeAndFlush(Unpooled.wrappedBuffer(r.wire()), c.channel().voidPromise());
            } else {
                if (!c.udp().send(ByteBuffer.wrap(r.wire()), c.sender())) {
                    resolverCounters.drop(DnsDropReason.REPLY_NOT_SENT);
                }
            }
        } else if (action instanceof DnsAction.Replies<ClientHandle> all) {
            for (DnsAction.Reply<ClientHandle> r : all.replies()) {
                dispatch(r);
            }
        } else if (action instanceof DnsAction.Send<ClientHandle> s) {
            send(s.send());
        }
        // Drop: already counted by the resolver. Joined: the answer comes with the first asker's.
    }

    /**
     * Called by a listener's receive thread: queues the {@code queries} it could not answer from
     * the cache for this loop, to be answered through {@code udp}. At most {@value #MAX_PENDING}
     * queries wait; beyond that a batch is dropped and counted ({@link DnsDropReason#QUEUE_FULL}).
     */
    void handOff(UdpSendSocket udp, List<UdpQuery> queries) {
        int n = queries.size();
        if (pending.addAndGet(n) > MAX_PENDING) {
            pending.addAndGet(-n);
            for (int i = 0; i < n; i++) {
                resolverCounters.queriesUdp.increment();
                resolverCounters.drop(DnsDropReason.QUEUE_FULL);
            }
            return;
        }
        try {
            loop.execute(() -> {
                for (UdpQuery q : queries) {
                    pending.decrementAndGet();
                    dispatch(resolver.onQuery(System.nanoTime(), ClientHandle.udp(udp, q.sender()), Transport.UDP,
                            q.packet()));
                }
            });
        } catch (RejectedExecutionException e) {
            pending.addAndGet(-n); // shutting down
        }
    }

    /** Runs the resolver's timers: closes the sockets of expired attempts, then performs what follows. */
    void tick(long now) {
        List<DnsAction<ClientHandle>> actions = resolver.onTick(now);
        resolver.drainClosedSockets(closeSocket);
        for (DnsAction<ClientHandle> a : actions) {
            dispatch(a);
        }
    }

    /** Performs the outcome of an upstream event, after closing the sockets of the attempts it ended. */
    private void dispatchUpstream(DnsAction<ClientHandle> action) {
        resolver.drainClosedSockets(closeSocket);
        dispatch(action);
    }

    private void closeSocket(int socket) {
        Channel ch = upstreamSockets.remove(socket);
        if (ch != null) {
            ch.close();
        }
    }

    /**
     * Opens a socket for UDP attempt {@code s} on a kernel-chosen random port of the upstream's family
     * and sends from it once bound; if it cannot be opened, the attempt fails at once and moves on.
     */
    private void sendUdp(UpstreamSend s) {
        Channel ch;
        try {
            ch = udpFactory.newChannel();
        } catch (ChannelException e) { // EMFILE, ENFILE
            udpFailed(s, null);
            return;
        }
        ch.config().setRecvByteBufAllocator(UPSTREAM_RECEIVE);
        ch.pipeline().addLast(new UpstreamUdpHandler(s.socket()));
        upstreamSockets.put(s.socket(), ch);
        loop.register(ch).addListener((ChannelFutureListener) r -> {
            if (!r.isSuccess()) {
                udpFailed(s, ch);
                return;
            }
            InetSocketAddress any = s.upstream().getAddress() instanceof Inet6Address ? ANY_V6 : ANY_V4;
            ch.bind(any).addListener((ChannelFutureListener) b -> {
                if (!b.isSuccess()) {
                    udpFailed(s, ch);
                } else if (upstreamSockets.get(s.socket()) == ch) { // else the attempt ended meanwhile
                    ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(s.wire()), s.upstream()),
                            ch.voidPromise());
                }
            });
        });
    }

    private void udpFailed(UpstreamSend s, Channel ch) {
        if (ch != null) {
            ch.close();
            if (upstreamSockets.get(s.socket()) != ch) {
                return; // the attempt ended already
            }
            upstreamSockets.remove(s.socket());
        }
        resolverCounters.drop(DnsDropReason.UPSTREAM_SOCKET_FAILED);
        dispatchUpstream(resolver.onSendFailed(System.nanoTime(), s));
    }

    private void send(UpstreamSend s) {
        if (s.transport() == Transport.UDP) {
            sendUdp(s);
            return;
        }
        new Bootstrap().group(loop).channel(tcpChannelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, tcpTimeoutMillis)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(tcpTimeoutMillis,
                                java.util.concurrent.TimeUnit.MILLISECONDS),
                                new LengthFieldBasedFrameDecoder(DnsWire.TCP_MAX_SIZE, 0, 2, 0, 2),
                                new LengthFieldPrepender(2), new UpstreamTcpHandler(s));
                    }
                })
                .connect(s.upstream())
                .addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        f.channel().writeAndFlush(Unpooled.wrappedBuffer(s.wire()));
                    } else {
                        dispatchUpstream(resolver.onSendFailed(System.nanoTime(), s));
                    }
                });
    }

    /** Receives the one answer of a TCP attempt, hands it to the resolver and closes. */
    private final class UpstreamTcpHandler extends SimpleChannelInboundHandler<ByteBuf> {
        private final UpstreamSend send;

        UpstreamTcpHandler(UpstreamSend send) {
            this.send = send;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            byte[] bytes = ByteBufUtil.getBytes(frame);
            InetSocketAddress from = (InetSocketAddress) ctx.channel().remoteAddress();
            dispatchUpstream(resolver.onUpstream(System.nanoTime(), Forwarder.TCP_SOCKET, from, Transport.TCP, bytes));
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Read timeout or reset: the forwarder's own deadline moves the query on.
            ctx.close();
        }
    }

    /** Receives upstream answers on the socket of one UDP attempt. */
    final class UpstreamUdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final int socket;

        UpstreamUdpHandler(int socket) {
            this.socket = socket;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            byte[] bytes = ByteBufUtil.getBytes(packet.content());
            if (bytes.length >= MAX_UPSTREAM_DATAGRAM) {
                // Possibly cut (an upstream ignoring our EDNS size, RFC 6891 §6.2.5): mark it truncated
                // so the forwarder asks again over TCP (RFC 7766 §5) instead of dropping it as malformed.
                bytes[DnsWire.FLAGS_OFFSET] |= (byte) (DnsWire.FLAG_TC >>> 8);
            }
            // Accepted, the attempt ends and this socket is closed; a forged or stray message leaves it open.
            dispatchUpstream(resolver.onUpstream(System.nanoTime(), socket, packet.sender(), Transport.UDP, bytes));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable surfaces here; the attempt times out and moves on.
        }
    }

    /** Receives length-prefixed client queries on one TCP connection (RFC 1035 §4.2.2, RFC 7766 §6.2.1). */
    final class ClientTcpHandler extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            byte[] bytes = ByteBufUtil.getBytes(frame);
            dispatch(resolver.onQuery(System.nanoTime(), ClientHandle.tcp(ctx.channel()), Transport.TCP, bytes));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof io.netty.handler.timeout.IdleStateEvent) {
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
