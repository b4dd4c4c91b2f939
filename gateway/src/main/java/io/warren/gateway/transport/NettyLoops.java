package io.warren.gateway.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The Netty transport: native epoll where it loads (Linux x86_64 here), else NIO with a warning. Kept
 * apart from {@link Transports} so that only a caller of {@link Transports#group()} loads Netty.
 */
final class NettyLoops {
    private static final Logger LOG = Logger.getLogger(NettyLoops.class.getName());

    private NettyLoops() {
    }

    /** An event loop group of {@code threads} threads on the best available transport. */
    static EventLoopGroup create(int threads) {
        if (Epoll.isAvailable()) {
            return new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
        }
        LOG.warning("native epoll unavailable (" + Epoll.unavailabilityCause() + "); using NIO");
        return new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    }

    /** Stops {@code group}, waiting up to 5 s. */
    static void shutdown(EventLoopGroup group) {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5_000);
    }
}
