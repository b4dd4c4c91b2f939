package io.warren.gateway.dns;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.warren.tun.udp.UdpSendSocket;

/**
 * Carries out the {@link DnsAction}s of the resolver on the event loop: replies to clients, UDP
 * queries from the pool of source sockets, and one TCP connection per TCP attempt (RFC 7766).
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
    private List<Channel> poolV4 = List.of();
    private List<Channel> poolV6 = List.of();

    /**
     * Receive buffer of an upstream pool socket. A datagram that fills it may have been cut by the
     * kernel (the excess is discarded and Netty does not say so).
     */
    static final int MAX_UPSTREAM_DATAGRAM = 4096;

    /** Most UDP queries waiting for the loop: a few hundred milliseconds of misses at full speed. */
    static final int MAX_PENDING = 4096;

    ShellDispatcher(EventLoop loop, DnsResolver<ClientHandle> resolver, DnsCounters counters,
            Class<? extends Channel> tcpChannelType, int tcpTimeoutMillis) {
        this.loop = loop;
        this.resolverCounters = counters;
        this.resolver = resolver;
        this.tcpChannelType = tcpChannelType;
        this.tcpTimeoutMillis = tcpTimeoutMillis;
    }

    void pools(List<Channel> v4, List<Channel> v6) {
        this.poolV4 = List.copyOf(v4);
        this.poolV6 = List.copyOf(v6);
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

    void dispatchAll(List<DnsAction<ClientHandle>> actions) {
        for (DnsAction<ClientHandle> a : actions) {
            dispatch(a);
        }
    }

    private void send(UpstreamSend s) {
        if (s.transport() == Transport.UDP) {
            List<Channel> pool = s.upstream().getAddress() instanceof Inet6Address ? poolV6 : poolV4;
            if (s.slot() >= pool.size()) {
                return; // no socket of that family: the attempt times out and moves on
            }
            pool.get(s.slot()).writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(s.wire()), s.upstream()),
                    pool.get(s.slot()).voidPromise());
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
                        dispatch(resolver.onTcpFailed(System.nanoTime(), s));
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
            dispatch(resolver.onUpstream(System.nanoTime(), Forwarder.TCP_SLOT, from, Transport.TCP, bytes));
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Read timeout or reset: the forwarder's own deadline moves the query on.
            ctx.close();
        }
    }

    /** Receives upstream answers on one pool socket. */
    final class UpstreamUdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final int slot;

        UpstreamUdpHandler(int slot) {
            this.slot = slot;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            byte[] bytes = ByteBufUtil.getBytes(packet.content());
            if (bytes.length >= MAX_UPSTREAM_DATAGRAM) {
                // Possibly cut (an upstream ignoring our EDNS size, RFC 6891 §6.2.5): mark it truncated
                // so the forwarder asks again over TCP (RFC 7766 §5) instead of dropping it as malformed.
                bytes[DnsWire.FLAGS_OFFSET] |= (byte) (DnsWire.FLAG_TC >>> 8);
            }
            dispatch(resolver.onUpstream(System.nanoTime(), slot, packet.sender(), Transport.UDP, bytes));
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
