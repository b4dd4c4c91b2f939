package io.warren.gateway.dhcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The per-interface datagram handler: decode, ask the core, send the reply. Replies of one read
 * batch are collected until {@code channelReadComplete}: those without lease changes (OFFER, NAK,
 * INFORM's ACK) are written at once; the batch's journal records and the replies that depend on
 * them (ACKs) go to the {@link JournalWriter}, which sends those replies only after its fsync, so no
 * ACK leaves before its lease is on disk.
 */
final class DhcpDatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger LOG = Logger.getLogger(DhcpDatagramHandler.class.getName());
    private static final int MAX_REPLY = 1472;

    private final DhcpServer server;
    private final DhcpIngress ingress;
    private final List<DatagramPacket> immediate = new ArrayList<>();
    private final List<DatagramPacket> durable = new ArrayList<>();
    private final List<JournalRecord> records = new ArrayList<>();

    DhcpDatagramHandler(DhcpServer server, DhcpIngress ingress) {
        this.server = server;
        this.ingress = ingress;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        DhcpCounters counters = server.counters();
        counters.received.increment();
        DhcpDecodeResult r = DhcpCodec.decode(packet.content());
        if (r instanceof DhcpDecodeResult.Dropped d) {
            counters.drop(d.reason());
            return;
        }
        DhcpMessage m = ((DhcpDecodeResult.Decoded) r).message();
        long now = System.nanoTime();
        // The sender matters only for relayed requests (trusted relays); no address conversion otherwise.
        int source = m.giaddr() != 0 && packet.sender().getAddress() instanceof Inet4Address a4 ? DhcpText.ipv4(a4) : 0;
        DhcpOutcome outcome = server.core().handle(m, ingress, source, now);
        server.toRecords(outcome.changes(), now, records);
        if (outcome instanceof DhcpOutcome.NoReply n) {
            counters.noReply(n.reason());
            return;
        }
        DhcpOutcome.Reply reply = (DhcpOutcome.Reply) outcome;
        int max = Math.min(MAX_REPLY, m.options().maxMessageSize().orElse(DhcpWire.DEFAULT_MAX_MESSAGE));
        ByteBuf out = ctx.alloc().directBuffer(Math.max(max, DhcpWire.DEFAULT_MAX_MESSAGE));
        DhcpCodec.encode(reply.message(), max, out);
        DhcpDestination dest = reply.destination();
        DatagramPacket p = new DatagramPacket(out, new InetSocketAddress(DhcpText.inet(dest.address()), dest.port()));
        (reply.changes().isEmpty() ? immediate : durable).add(p);
        counters.sent(reply.message().type());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        for (DatagramPacket p : immediate) {
            ctx.write(p).addListener(f -> {
                if (!f.isSuccess()) {
                    server.counters().sendErrors.increment();
                }
            });
        }
        if (!immediate.isEmpty()) {
            ctx.flush();
            immediate.clear();
        }
        if (!records.isEmpty() || !durable.isEmpty()) {
            server.writer().append(List.copyOf(records), ctx.channel(), List.copyOf(durable));
            records.clear();
            durable.clear();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        immediate.forEach(ReferenceCountUtil::release);
        durable.forEach(ReferenceCountUtil::release);
        immediate.clear();
        durable.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        server.counters().sendErrors.increment();
        LOG.log(Level.FINE, "DHCP socket error on " + ingress.iface(), cause);
    }
}
