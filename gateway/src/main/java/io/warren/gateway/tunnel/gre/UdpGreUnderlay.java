package io.warren.gateway.tunnel.gre;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.warren.gateway.encap.vxlan.FlowHash;
import io.warren.gateway.transport.Transports;
import io.warren.tun.udp.UdpSendSocket;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * GRE-in-UDP (RFC 8086 §3): a Netty UDP socket bound to the tunnel's port receives GRE packets
 * from the remote endpoint (datagrams from any other address are counted as malformed), up to
 * {@value #RECEIVE_BATCH} per {@code recvmmsg(2)} on epoll, each burst ended with
 * {@link Receiver#burstDone()}.
 *
 * <p>Sending (RFC 8086 §3.2.1): the destination port is the tunnel's port; the source port carries
 * flow entropy. A UDP socket has one source port, so {@value #SOURCE_PORTS} sending sockets are bound
 * to ports in the dynamic range 49152-65535 and the inner flow's hash picks one: a flow keeps its
 * port, flows spread over the underlay's ECMP paths. Sends go straight from the TUN reader with
 * {@code sendmsg(2)} ({@link UdpSendSocket}); a super-packet's run of equal-sized GRE packets is one
 * UDP GSO send ({@code UDP_SEGMENT}). The UDP checksum is the kernel's (RFC 8086 §3.3, required for
 * IPv6). Without epoll (or when GSO is refused) packets go one by one through Netty.
 */
public final class UdpGreUnderlay implements GreUnderlay {
    static final int SOURCE_PORTS = 8;
    static final int RECEIVE_BATCH = 32;
    /** Largest datagram received in a recvmmsg batch: jumbo underlays included. */
    private static final int MAX_DATAGRAM = 9216;
    private static final int SOCKET_BUFFER = 4 << 20;
    private static final int BIND_ATTEMPTS = 8;
    private static final Logger LOG = Logger.getLogger(UdpGreUnderlay.class.getName());

    private final Transports transports;
    private final InetAddress local;
    private final InetSocketAddress remote;
    private final int port;
    private volatile Channel channel;
    private final List<Channel> sources = new ArrayList<>();
    private volatile UdpSendSocket[] senders;

    public UdpGreUnderlay(Transports transports, InetAddress local, InetAddress remote, int port) {
        this.transports = transports;
        this.local = local;
        this.remote = new InetSocketAddress(remote, port);
        this.port = port;
    }

    @Override
    public void start(Receiver receiver) {
        boolean epoll = EpollDatagramChannel.class.isAssignableFrom(transports.datagramChannel());
        Bootstrap b = bootstrap().handler(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                if (!p.sender().getAddress().equals(remote.getAddress())) {
                    receiver.malformed();
                    return;
                }
                receiver.received(p.content());
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                receiver.burstDone();
                ctx.fireChannelReadComplete();
            }
        });
        if (epoll) {
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * RECEIVE_BATCH));
        }
        InetSocketAddress bindTo = local == null ? new InetSocketAddress(port) : new InetSocketAddress(local, port);
        channel = b.bind(bindTo).syncUninterruptibly().channel();
        if (epoll) {
            senders = openSources();
        }
    }

    private Bootstrap bootstrap() {
        return new Bootstrap().group(transports.group()).channel(transports.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER);
    }

    /** The sending sockets, bound to dynamic-range ports (the kernel's choice if those are taken). */
    private UdpSendSocket[] openSources() {
        UdpSendSocket[] out = new UdpSendSocket[SOURCE_PORTS];
        for (int i = 0; i < SOURCE_PORTS; i++) {
            Channel ch = null;
            for (int attempt = 0; ch == null && attempt <= BIND_ATTEMPTS; attempt++) {
                int p = attempt == BIND_ATTEMPTS ? 0 : FlowHash.sourcePort(ThreadLocalRandom.current().nextInt());
                try {
                    // Send-only: never read (what arrives on these ports is not GRE-in-UDP traffic).
                    ch = bootstrap().option(ChannelOption.AUTO_READ, false).handler(new ChannelInboundHandlerAdapter())
                            .bind(local == null ? new InetSocketAddress(p) : new InetSocketAddress(local, p))
                            .syncUninterruptibly().channel();
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "GRE-in-UDP source port " + p + ": " + e.getMessage());
                }
            }
            if (ch == null) {
                return null;
            }
            synchronized (sources) {
                sources.add(ch);
            }
            out[i] = new UdpSendSocket(((EpollDatagramChannel) ch).fd().intValue(),
                    ((InetSocketAddress) ch.localAddress()).getAddress() instanceof Inet6Address);
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
        if (s != null) {
            // The buffer's own reused NIO view: no object per packet.
            ByteBuffer nio = gre.internalNioBuffer(gre.readerIndex(), gre.readableBytes());
            if (!pick(s, flowHash).send(nio, remote)) {
                throw new IOException("GRE-in-UDP send refused");
            }
            return;
        }
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            throw new IOException("GRE-in-UDP socket is closed");
        }
        ByteBuf copy = ch.alloc().directBuffer(gre.readableBytes());
        copy.writeBytes(gre, gre.readerIndex(), gre.readableBytes());
        ch.write(new DatagramPacket(copy, remote), ch.voidPromise());
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

    @Override
    public int flush() {
        Channel ch = channel;
        if (ch != null && senders == null) {
            ch.flush();
        }
        return 0;
    }

    @Override
    public void close() {
        senders = null;
        List<Channel> all = new ArrayList<>();
        synchronized (sources) {
            all.addAll(sources);
            sources.clear();
        }
        Channel ch = channel;
        if (ch != null) {
            all.add(ch);
        }
        for (Channel c : all) {
            c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
