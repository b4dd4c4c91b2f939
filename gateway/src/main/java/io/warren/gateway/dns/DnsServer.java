package io.warren.gateway.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;
import io.warren.gateway.config.DnsConfig;
import io.warren.gateway.config.DnsRecord;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The DNS service as the daemon runs it: UDP and TCP on the configured listen addresses only
 * (never the wildcard by default: not an open resolver). Each Netty event loop (epoll when
 * available; {@link DnsServerSettings#threads()} of them) owns one {@link DnsResolver} with its cache,
 * a UDP socket per upstream attempt on a kernel-chosen random port and a 20 ms tick for upstream timeouts;
 * the first loop also serves TCP. Each resolver also has a listening UDP socket per listen address
 * (SO_REUSEPORT when there are several resolvers) with its own receive thread ({@link UdpListener}),
 * which answers cache hits itself and hands everything else to the resolver's loop. The
 * {@link LocalZone} and the {@link DnsCounters} are shared.
 *
 * <p>Start with {@link #start}; feed names through {@link #localZone()}; read {@link #counters()}
 * for metrics; {@link #close()} unbinds everything. Thread-safe.
 */
public final class DnsServer implements AutoCloseable {
    private static final long TICK_MILLIS = 20;
    private static final int UDP_RECEIVE_BUFFER = 4 << 20;

    private final EventLoopGroup group;
    private final LocalZone zone;
    private final DnsCounters counters;
    private final List<InetSocketAddress> upstreams;
    private final List<Channel> channels = new ArrayList<>();
    private final List<UdpListener> listeners = new ArrayList<>();
    private final List<InetSocketAddress> udpAddresses = new ArrayList<>();
    private final List<InetSocketAddress> tcpAddresses = new ArrayList<>();
    private final List<ScheduledFuture<?>> ticks = new ArrayList<>();

    private DnsServer(EventLoopGroup group, LocalZone zone, DnsCounters counters, List<InetSocketAddress> upstreams) {
        this.group = group;
        this.zone = zone;
        this.counters = counters;
        this.upstreams = List.copyOf(upstreams);
    }

    /** Starts with {@link DnsServerSettings#DEFAULTS}. */
    public static DnsServer start(DnsConfig config) throws IOException {
        return start(config, DnsServerSettings.DEFAULTS);
    }

    /**
     * Binds UDP and TCP on every listen address of {@code config} and starts answering. Call it on
     * the thread (network namespace) the sockets must live in.
     *
     * @throws IOException              a listen address could not be bound, or a hosts file not read
     * @throws IllegalArgumentException the configuration has no listen address or a bad domain
     */
    public static DnsServer start(DnsConfig config, DnsServerSettings settings) throws IOException {
        if (config.listen().isEmpty()) {
            throw new IllegalArgumentException("[dns] has no listen address; refusing to answer on every address");
        }
        List<InetSocketAddress> defaults = config.upstreams();
        Path resolvFile = config.resolvFile().equals(DnsConfig.DEFAULT_RESOLV_FILE) ? settings.resolvConf()
                : config.resolvFile();
        if (defaults.isEmpty() && Files.isReadable(resolvFile)) {
            defaults = ResolvConf.nameservers(Files.readString(resolvFile, StandardCharsets.UTF_8), config.listen());
        }
        settings = settings.withForwarder(new ForwarderSettings(config.maxForwards(), config.upstreamTimeout(),
                settings.forwarder().maxAttempts()));
        Map<Name, List<InetSocketAddress>> split = new LinkedHashMap<>();
        for (Map.Entry<String, List<InetSocketAddress>> e : config.domainUpstreams().entrySet()) {
            split.put(absolute(e.getKey()), e.getValue());
        }
        LocalZone zone = new LocalZone(settings.localTtlSeconds(), settings.localNegativeTtlSeconds());
        loadLocalNames(config, zone, settings.localTtlSeconds());

        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(epoll ? settings.threads() : 1,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        DnsCounters counters = new DnsCounters();
        DnsServer server = new DnsServer(group, zone, counters, defaults);
        try {
            server.bind(config, settings, new UpstreamSelector(defaults, split), epoll);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void bind(DnsConfig config, DnsServerSettings settings, UpstreamSelector selector, boolean epoll)
            throws IOException {
        int shards = epoll ? settings.threads() : 1;
        List<EventLoop> loops = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            EventLoop loop = group.next();
            // Start each loop thread from the caller's thread so it inherits the caller's network namespace.
            loop.submit(() -> { }).syncUninterruptibly();
            loops.add(loop);
        }
        Class<? extends Channel> udpType = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        for (int i = 0; i < shards; i++) {
            EventLoop loop = loops.get(i);
            DnsResolver<ClientHandle> resolver = new DnsResolver<>(zone, selector, config.cacheSize(),
                    config.maxNegativeTtl().toSeconds(), settings.forwarder(), new SecureRandom(), counters);
            int attemptMillis = (int) Math.max(1, settings.forwarder().attemptTimeout().toMillis());
            ShellDispatcher shell = new ShellDispatcher(loop, resolver, counters, new ReflectiveChannelFactory<>(udpType),
                    epoll ? EpollSocketChannel.class : NioSocketChannel.class, attemptMillis);
            for (InetSocketAddress listen : config.listen()) {
                UdpListener udp;
                try {
                    udp = UdpListener.start(listen, UDP_RECEIVE_BUFFER, shards > 1, resolver, shell, counters);
                } catch (IOException e) {
                    throw new IOException("cannot bind DNS UDP " + listen + ": " + e.getMessage(), e);
                }
                listeners.add(udp);
                if (i == 0) {
                    udpAddresses.add(udp.address());
                    Channel tcp = await(clientTcp(loop, epoll, shell, settings).bind(listen), "TCP " + listen);
                    channels.add(tcp);
                    tcpAddresses.add((InetSocketAddress) tcp.localAddress());
                }
            }
            ticks.add(loop.scheduleAtFixedRate(() -> shell.tick(System.nanoTime()),
                    TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS));
        }
    }

    private ServerBootstrap clientTcp(EventLoop loop, boolean epoll, ShellDispatcher shell,
            DnsServerSettings settings) {
        AtomicInteger tcpClients = new AtomicInteger();
        return new ServerBootstrap().group(loop, loop)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tcpClients.incrementAndGet() > settings.maxTcpClients()) {
                            tcpClients.decrementAndGet();
                            counters.drop(DnsDropReason.TCP_CONNECTION_LIMIT);
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> tcpClients.decrementAndGet());
                        ch.pipeline().addLast(
                                new IdleStateHandler(0, 0, settings.tcpIdleTimeout().toMillis(), TimeUnit.MILLISECONDS),
                                new LengthFieldBasedFrameDecoder(DnsWire.TCP_MAX_SIZE, 0, 2, 0, 2),
                                new LengthFieldPrepender(2), shell.new ClientTcpHandler());
                    }
                });
    }

    private static Channel await(ChannelFuture f, String what) throws IOException {
        f.awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new IOException("cannot bind DNS " + what + ": " + f.cause().getMessage(), f.cause());
        }
        return f.channel();
    }

    static void loadLocalNames(DnsConfig config, LocalZone zone, long localTtl) throws IOException {
        for (DnsRecord r : config.records()) {
            zone.addRecord(StaticRecordText.toRecord(r, localTtl));
        }
        NameSource absolute = zone.source(NameOrigin.STATIC, Name.root);
        NameSource local = null;
        if (config.localDomain().isPresent()) {
            local = zone.source(NameOrigin.STATIC, absolute(config.localDomain().get()));
        }
        for (Path p : config.hostsFiles()) {
            HostsFile.Parsed parsed = HostsFile.parse(Files.readString(p, StandardCharsets.UTF_8));
            for (HostsFile.Entry e : parsed.entries()) {
                // hosts(5) names are absolute; one already written with its trailing dot keeps it.
                absolute.add(e.name().endsWith(".") ? e.name() : e.name() + ".", e.address());
                if (local != null && !e.name().contains(".")) {
                    local.add(e.name(), e.address());
                }
            }
        }
    }

    private static Name absolute(String domain) {
        try {
            return Name.fromString(domain, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("bad DNS domain '" + domain + "': " + e.getMessage(), e);
        }
    }

    /** @return the local zone, to obtain {@link NameSource}s for DHCP and VPN peer names */
    public LocalZone localZone() {
        return zone;
    }

    /** @return the counters (readable from any thread) */
    public DnsCounters counters() {
        return counters;
    }

    /** @return the default upstreams in use (from the configuration or resolv.conf) */
    public List<InetSocketAddress> upstreams() {
        return upstreams;
    }

    /** @return bound UDP listen addresses (actual ports) */
    public List<InetSocketAddress> udpAddresses() {
        return List.copyOf(udpAddresses);
    }

    /** @return bound TCP listen addresses (actual ports) */
    public List<InetSocketAddress> tcpAddresses() {
        return List.copyOf(tcpAddresses);
    }

    /** Unbinds every socket and stops the event loop; waits up to 5 s. */
    @Override
    public void close() {
        for (ScheduledFuture<?> t : ticks) {
            t.cancel(false);
        }
        for (UdpListener l : listeners) {
            l.close();
        }
        for (Channel c : channels) {
            c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

}
