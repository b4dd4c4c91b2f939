package io.warren.gateway.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Hands each received datagram to the interface; flushes replies once per read burst. */
final class InboundHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger LOG = Logger.getLogger(InboundHandler.class.getName());

    private final WireGuardInterface iface;

    InboundHandler(WireGuardInterface iface) {
        super(true);
        this.iface = iface;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        iface.inbound(packet.content(), packet.sender());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        iface.inboundBurstDone();
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // ICMP port unreachable and friends surface here on a UDP socket: not fatal.
        LOG.log(Level.FINE, iface.name() + ": socket error: " + cause.getMessage());
    }
}
