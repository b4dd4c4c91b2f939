package io.warren.gateway.dhcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.warren.gateway.config.DhcpPoolConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The DHCP server's shell: one UDP socket on port 67 per served interface (bound with
 * {@code SO_BINDTODEVICE}, {@code SO_BROADCAST} on), all on one Netty epoll thread that runs
 * {@link DhcpServerCore} and the {@link LeaseJournal}. Replies to clients without an address go to
 * 255.255.255.255:68 out of the receiving interface (the device-bound socket picks it), see
 * {@link ReplyRouting}; relays get unicast to giaddr:67. A one-second tick expires leases and
 * compacts the journal when it has grown.
 *
 * <p>Start it in the network namespace whose interfaces it serves (the sockets live where they
 * were opened). Needs CAP_NET_BIND_SERVICE and CAP_NET_RAW (port 67, SO_BINDTODEVICE).
 */
public final class DhcpServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DhcpServer.class.getName());
    /** Compact when the journal holds more than this many lines and 4 times the live leases. */
    private static final int COMPACT_MIN_RECORDS = 4096;

    private final DhcpServerCore core;
    private final JournalWriter writer;
    private final DhcpCounters counters = new DhcpCounters();
    private final EventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();
    /** Journal lines written since the last compaction (event-loop thread). */
    private long recordsSinceCompaction;

    private DhcpServer(DhcpServerCore core, LeaseJournal journal) {
        this.core = core;
        this.writer = new JournalWriter(journal, counters);
        this.group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    /** Starts with {@link DhcpSettings#defaults()}, kernel interface names and port 67. */
    public static DhcpServer start(List<DhcpPoolConfig> pools, Path leaseDir) throws IOException {
        return start(pools, leaseDir, DhcpSettings.defaults(), DhcpInterface::byKernelName, DhcpWire.SERVER_PORT);
    }

    /**
     * Loads the leases in {@code leaseDir}, then listens on every interface the pools name.
     *
     * @throws IOException if the journal cannot be read or written, an interface is missing or has no
     *                     IPv4 address, or a socket cannot be set up; nothing is left open then
     */
    public static DhcpServer start(List<DhcpPoolConfig> pools, Path leaseDir, DhcpSettings settings,
                                   DhcpInterface.Resolver resolver, int port) throws IOException {
        DhcpServerCore core = new DhcpServerCore(pools, settings,
                (code, value) -> LOG.warning("DHCP option " + code + " value \"" + value + "\" does not fit its type; not sent"));
        LeaseJournal.Loaded loaded = LeaseJournal.load(leaseDir);
        LeaseClock clock = new LeaseClock(System.nanoTime(), System.currentTimeMillis());
        int restored = 0;
        for (JournalRecord r : loaded.live()) {
            restored += core.restore(r.toLease(clock.toNanos(r.expiresMillis())), clock.nowNanos()) ? 1 : 0;
        }
        loaded.setAside().ifPresent(p -> LOG.warning("DHCP lease journal could not be read; kept as " + p
                + " and starting without leases"));
        if (loaded.damagedLines() > 0) {
            LOG.warning("DHCP lease journal: skipped " + loaded.damagedLines() + " damaged line(s) (a torn write after a crash?)");
        }
        LOG.info("DHCP: restored " + restored + " lease(s) from " + leaseDir);
        LeaseJournal journal = LeaseJournal.open(leaseDir, loaded.records() + loaded.damagedLines());
        DhcpServer server = new DhcpServer(core, journal);
        core.onIgnored(server.counters::ignored);
        server.recordsSinceCompaction = loaded.records() + loaded.damagedLines();
        try {
            if (loaded.damagedLines() > 0 || loaded.records() > 4L * restored + 4096) {
                server.compact();
            }
            Set<String> names = new LinkedHashSet<>();
            pools.forEach(p -> names.add(p.iface()));
            for (String name : names) {
                Optional<DhcpInterface> i = resolver.resolve(name);
                if (i.isEmpty()) {
                    throw new IOException("DHCP: interface " + name + " does not exist or has no IPv4 address");
                }
                server.listen(i.get(), port);
            }
            server.group.next().scheduleAtFixedRate(server::tick, 1, 1, TimeUnit.SECONDS);
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void listen(DhcpInterface i, int port) throws IOException {
        DhcpIngress ingress = new DhcpIngress(i.configName(), DhcpText.ipv4(i.address()));
        Bootstrap b = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                .option(ChannelOption.SO_BROADCAST, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DhcpWire.MAX_MESSAGE + 1).maxMessagesPerRead(64))
                .handler(new DhcpDatagramHandler(this, ingress));
        Channel ch = b.register().syncUninterruptibly().channel();
        channels.add(ch);
        BindToDevice.apply(((EpollDatagramChannel) ch).fd().intValue(), i.osName());
        try {
            ch.bind(new InetSocketAddress(port)).sync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding DHCP socket on " + i.osName(), e);
        } catch (Exception e) { // Netty rethrows the bind's IOException unchecked-style
            throw new IOException("cannot bind UDP port " + port + " on " + i.osName() + ": " + e.getMessage(), e);
        }
        LOG.info("DHCP: serving " + i.osName() + " as " + i.address().getHostAddress() + " port " + port);
    }

    DhcpServerCore core() {
        return core;
    }

    /** The counters (drops, replies, journal errors). Any thread. */
    public DhcpCounters counters() {
        return counters;
    }

    /**
     * Adds a lease listener, atomically with respect to lease changes: it is first told about every
     * current lease (including those restored at start), then about each change. Called on the
     * server's thread. Any thread may call this.
     */
    public void addListener(DhcpLeaseListener l) {
        onLoop(() -> {
            core.leases().forEach(l::leaseAdded);
            core.addListener(l);
            return null;
        });
    }

    /** The bound leases, read on the server's thread. Any thread. */
    public List<DhcpLease> leases() {
        return onLoop(core::leases);
    }

    private <T> T onLoop(Callable<T> task) {
        try {
            return group.next().submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the DHCP server's thread", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("DHCP server task failed", e.getCause());
        }
    }

    JournalWriter writer() {
        return writer;
    }

    /** Adds the journal records of {@code changes} to {@code out} (expiries are not journaled: loading drops them anyway). */
    void toRecords(List<LeaseChange> changes, long now, List<JournalRecord> out) {
        if (changes.isEmpty()) {
            return;
        }
        LeaseClock clock = new LeaseClock(now, System.currentTimeMillis());
        for (LeaseChange c : changes) {
            if (c instanceof LeaseChange.Bound b) {
                out.add(JournalRecord.bound(b.lease(), clock.toWallMillis(b.lease().expiresAt())));
                recordsSinceCompaction++;
            } else if (c instanceof LeaseChange.Removed r && r.cause() != LeaseChange.Cause.EXPIRED) {
                out.add(JournalRecord.removed(DhcpText.ipv4(r.lease().address())));
                recordsSinceCompaction++;
            }
        }
    }

    private void tick() {
        core.tick(System.nanoTime());
        int live = core.leaseCount();
        if (recordsSinceCompaction > COMPACT_MIN_RECORDS && recordsSinceCompaction > 4L * live) {
            compact();
        }
    }

    private void compact() {
        LeaseClock clock = new LeaseClock(System.nanoTime(), System.currentTimeMillis());
        List<JournalRecord> live = new ArrayList<>();
        for (DhcpLease l : core.leases()) {
            live.add(JournalRecord.bound(l, clock.toWallMillis(l.expiresAt())));
        }
        writer.compact(live);
        recordsSinceCompaction = live.size();
    }

    /** Closes the sockets, stops the thread, then writes and fsyncs pending journal records. */
    @Override
    public void close() {
        for (Channel ch : channels) {
            ch.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        writer.close();
    }
}
