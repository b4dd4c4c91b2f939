package io.warren.gateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands each received datagram to the interface; flushes replies once per read burst. A UDP GRO
 * receive that arrives whole ({@link SegmentedDatagramPacket}) is split here in place
 * ({@link GroSplitter}). Netty 4.2's epoll channel splits GRO receives itself before the pipeline
 * (one retained slice per datagram of the same buffer), so there every packet is a plain one.
 */
final class InboundHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger LOG = Logger.getLogger(InboundHandler.class.getName());

    private final WireGuardInterface iface;
    /** Made once: a method reference per packet would allocate. */
    private final GroSplitter.Sink sink;

    InboundHandler(WireGuardInterface iface) {
        super(true);
        this.iface = iface;
        this.sink = iface::inbound;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf content = packet.content();
        // A view Netty keeps per buffer (no slice object per datagram); nothing holds it past the
        // call: the coalescer copies, TUN writes and taps finish before returning.
        ByteBuffer datagram = content.internalNioBuffer(content.readerIndex(), content.readableBytes());
        if (packet instanceof SegmentedDatagramPacket run) {
            if (GroSplitter.split(datagram, run.segmentSize(), packet.sender(), sink) == GroSplitter.MALFORMED) {
                iface.counters().count(ShellCounters.Reason.INBOUND_GRO_MALFORMED);
            }
            return;
        }
        iface.inbound(datagram, packet.sender());
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
