package io.warren.gateway.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.util.logging.Logger;

/**
 * The Netty transport: native epoll where it loads (Linux x86_64 here), else NIO with a warning.
 */
public record Transports(EventLoopGroup group, Class<? extends DatagramChannel> datagramChannel) implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Transports.class.getName());

    /** An event loop group of {@code threads} threads on the best available transport. */
    public static Transports create(int threads) {
        if (Epoll.isAvailable()) {
            return new Transports(new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory()),
                    EpollDatagramChannel.class);
        }
        LOG.warning("native epoll unavailable (" + Epoll.unavailabilityCause() + "); using NIO");
        return new Transports(new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory()), NioDatagramChannel.class);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly(5_000);
    }
}
