package io.warren.gateway.tunnel.gre;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.warren.gateway.transport.Transports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * GRE-in-UDP (RFC 8086 §3): a Netty UDP socket bound to the tunnel's port that exchanges GRE
 * packets with the remote endpoint's port. Datagrams from any other source are ignored (counted as
 * malformed). The source port is the bound port rather than a per-flow entropy value (RFC 8086
 * §3.2 SHOULD): one tunnel is one flow to the underlay. The UDP checksum is computed by the kernel
 * (RFC 8086 §3.3, required for IPv6). Receives run on the Netty event loop.
 */
public final class UdpGreUnderlay implements GreUnderlay {
    private static final int SOCKET_BUFFER = 4 << 20;

    private final Transports transports;
    private final InetAddress local;
    private final InetSocketAddress remote;
    private final int port;
    private volatile Channel channel;

    public UdpGreUnderlay(Transports transports, InetAddress local, InetAddress remote, int port) {
        this.transports = transports;
        this.local = local;
        this.remote = new InetSocketAddress(remote, port);
        this.port = port;
    }

    @Override
    public void start(Receiver receiver) {
        Bootstrap b = new Bootstrap().group(transports.group()).channel(transports.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        if (!p.sender().getAddress().equals(remote.getAddress())) {
                            receiver.malformed();
                            return;
                        }
                        receiver.received(p.content());
                    }
                });
        InetSocketAddress bindTo = local == null ? new InetSocketAddress(port) : new InetSocketAddress(local, port);
        channel = b.bind(bindTo).syncUninterruptibly().channel();
    }

    @Override
    public void send(ByteBuf gre) throws IOException {
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            throw new IOException("GRE-in-UDP socket is closed");
        }
        ByteBuf copy = ch.alloc().directBuffer(gre.readableBytes());
        copy.writeBytes(gre, gre.readerIndex(), gre.readableBytes());
        ch.write(new DatagramPacket(copy, remote), ch.voidPromise());
    }

    @Override
    public void flush() {
        Channel ch = channel;
        if (ch != null) {
            ch.flush();
        }
    }

    @Override
    public void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
