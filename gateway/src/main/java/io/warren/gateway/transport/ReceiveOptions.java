package io.warren.gateway.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import java.util.logging.Logger;

/**
 * How the WireGuard socket receives on epoll. With {@code UDP_GRO} a peer's UDP GSO run (up to 64 KB
 * of equal-size datagrams) arrives as one receive instead of one per datagram; it is split again
 * before the interface sees it (Netty's epoll channel does that, {@link InboundHandler} for a
 * transport that passes the run on whole). GRO needs {@code recvmsg(2)}: Netty 4.2.18's native
 * {@code recvmmsg} passes no control buffer, so the {@code UDP_GRO} segment size would be lost and
 * a run would look like one oversized datagram. So: one 64 KB slot per call with GRO; where the
 * kernel refuses {@code UDP_GRO}, {@code recvmmsg(2)} with 31 one-datagram slots per call.
 */
final class ReceiveOptions {
    private static final Logger LOG = Logger.getLogger(ReceiveOptions.class.getName());
    /** A recvmmsg slot with GRO: the largest run the kernel coalesces (64 KB). */
    static final int GRO_SLOT = 65_535;
    /** A recvmmsg slot without GRO: one datagram (MTU 1420 + 32, rounded up). */
    static final int PLAIN_SLOT = 2048;
    /** The receive buffer: one GRO slot (recvmsg), or 31 plain slots (recvmmsg) after a fallback. */
    static final int BUFFER = GRO_SLOT;

    private ReceiveOptions() {
    }

    /** Asks for one GRO-sized slot per call and {@code UDP_GRO} (Netty logs a refused option and goes on). */
    static Bootstrap apply(Bootstrap b) {
        return b.option(EpollChannelOption.UDP_GRO, true)
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, GRO_SLOT)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(BUFFER));
    }

    /**
     * After the bind: without GRO, one datagram per slot (recvmmsg, 31 slots per call).
     *
     * @return whether GRO is on
     */
    static boolean settle(EpollDatagramChannel ch, String name) {
        if (ch.config().isUdpGro()) {
            return true;
        }
        ch.config().setMaxDatagramPayloadSize(PLAIN_SLOT);
        LOG.info(name + ": UDP_GRO refused by the kernel; receiving one datagram per recvmmsg slot");
        return false;
    }
}
