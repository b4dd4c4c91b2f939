package io.warren.gateway.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import java.util.logging.Logger;

/**
 * How the WireGuard socket receives on epoll. By default {@code recvmmsg(2)}, up to
 * {@link #PLAIN_BATCH} datagrams per call into one pooled buffer.
 *
 * <p>With {@code -Dwarren.udp-gro=true}, {@code UDP_GRO} as well: a peer's UDP GSO run (up to 64 KB
 * of equal-size datagrams) that reaches the socket unsegmented is one receive, split again before
 * the interface sees it (Netty's epoll channel does that; {@link InboundHandler} for a transport that
 * passes the run on whole). GRO needs {@code recvmsg(2)}: Netty 4.2.18's native {@code recvmmsg}
 * passes no control buffer, so the segment size would be lost and a run would look like one
 * oversized datagram. That is why it is not the default: where runs are segmented on the way (a
 * veth with TX checksum offload off drops {@code tx-udp-segmentation}, as in the lab and the bench
 * suite) every call then reads a single datagram, and TCP through the tunnel fell to about a third.
 * Where the kernel refuses {@code UDP_GRO}, the socket stays on {@code recvmmsg}.
 */
final class ReceiveOptions {
    private static final Logger LOG = Logger.getLogger(ReceiveOptions.class.getName());
    /** Opt in to UDP GRO (see above). */
    static final boolean GRO = Boolean.getBoolean("warren.udp-gro");
    /** A GRO slot: the largest run the kernel coalesces (64 KB); one per recvmsg call. */
    static final int GRO_SLOT = 65_535;
    /** A plain slot: one datagram (MTU 1420 + 32, rounded up). */
    static final int PLAIN_SLOT = 2048;
    /** Plain slots per recvmmsg call. */
    static final int PLAIN_BATCH = 32;

    private ReceiveOptions() {
    }

    /** Sets the receive options on an epoll bootstrap (Netty logs a refused option and goes on). */
    static Bootstrap apply(Bootstrap b) {
        if (!GRO) {
            return b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, PLAIN_SLOT)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(PLAIN_SLOT * PLAIN_BATCH));
        }
        return b.option(EpollChannelOption.UDP_GRO, true)
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, GRO_SLOT)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(GRO_SLOT));
    }

    /**
     * After the bind: when GRO was asked for but refused, back to one datagram per slot
     * ({@code recvmmsg}, 31 slots of the 64 KB buffer per call).
     *
     * @return whether GRO is on
     */
    static boolean settle(EpollDatagramChannel ch, String name) {
        if (ch.config().isUdpGro()) {
            return true;
        }
        if (GRO) {
            ch.config().setMaxDatagramPayloadSize(PLAIN_SLOT);
            LOG.info(name + ": UDP_GRO refused by the kernel; receiving with recvmmsg, one datagram per slot");
        }
        return false;
    }
}
