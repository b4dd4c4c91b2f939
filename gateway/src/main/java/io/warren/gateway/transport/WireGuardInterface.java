package io.warren.gateway.transport;

import io.warren.crypto.primitives.NoisePublicKey;
import io.warren.crypto.session.PeerConfig;
import io.warren.gateway.uapi.DeviceState;
import io.warren.tun.TunDevice;
import io.warren.tun.udp.UdpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WireGuard interface: a TUN device, a UDP socket and the peers behind them. This class is
 * the interface's face and lifecycle: it builds the collaborators, binds and rebinds the socket,
 * starts and stops the threads, and applies configuration under the interface lock. The packets
 * move in {@link OutboundPath} (TUN readers) and {@link InboundPath} (receive thread), the
 * configured state is a {@link PeerTable}, the timers a {@link TimerTick}, and every datagram
 * leaves through the {@link DatagramSender}. See the package documentation for the data path,
 * threading and buffer ownership.
 *
 * <p>Threading: the public methods may be called from any thread; {@link #start}, the rebind and
 * {@link #close} are serialised on this object's monitor, configuration and snapshots take the
 * interface lock (the one {@link ReentrantLock} the paths and the tick share).
 */
public final class WireGuardInterface implements AutoCloseable {
    /** Timer resolution: the §6 timers are checked this often. */
    public static final int TICK_MILLIS = 100;
    /** Free bytes before each packet read from the TUN (WireGuard header; outer headers later). */
    static final int HEADROOM = 64;
    /** Packets read from the TUN per batch. */
    static final int BATCH = 32;
    private static final int SOCKET_BUFFER = 4 << 20;
    private static final Logger LOG = Logger.getLogger(WireGuardInterface.class.getName());

    private final String name;
    /** The TUN queues: one reader thread each; inbound packets are written to the first. */
    private final List<TunDevice> queues;
    /** Closes every queue (a {@link io.warren.tun.MultiQueueTun}, or the one device). */
    private final AutoCloseable tunDevice;
    private final int mtu;
    private final Transports transports;
    /** Guards {@link #table} and every call into the protocol core (see the package documentation). */
    private final ReentrantLock lock = new ReentrantLock();
    private final ShellCounters counters = new ShellCounters();
    private final PeerTable table;
    private final DatagramSender sender;
    private final OutboundPath outbound;
    private final InboundPath inbound;
    private final TimerTick tick;

    /** The UDP socket (this interface's own; no Netty channel). */
    private volatile UdpSocket socket;
    /** The thread receiving on {@link #socket}: one at a time, replaced on a rebind. */
    private ReceiveLoop receiver;
    private volatile int listenPort;
    private volatile boolean closed;
    private final List<Thread> readers = new ArrayList<>();
    private ScheduledFuture<?> ticker;

    /**
     * @param name       the interface name (for logs and the UAPI socket)
     * @param tun        the TUN device; this interface owns and closes it
     * @param mtu        the tunnel MTU (largest inner packet)
     * @param transports what runs the timers ({@link Transports#timers()})
     */
    public WireGuardInterface(String name, TunDevice tun, int mtu, Transports transports) {
        this(name, tun, mtu, transports, System::nanoTime);
    }

    /**
     * As above with the monotonic clock (nanos) that drives the protocol timers: tests pass a
     * faster one to see REKEY_AFTER_TIME and friends in seconds.
     */
    public WireGuardInterface(String name, TunDevice tun, int mtu, Transports transports, LongSupplier clock) {
        this(name, List.of(tun), tun, mtu, transports, clock);
    }

    /**
     * An interface on the queues of one {@code IFF_MULTI_QUEUE} TUN device: one TUN reader thread
     * per queue, each sealing on its own lane (its own sending cipher per keypair). The kernel
     * spreads outbound flows over the queues by flow hash, so one flow stays on one reader and
     * keeps its order. {@code device} closes them all; this interface owns it.
     */
    public WireGuardInterface(String name, List<TunDevice> queues, AutoCloseable device, int mtu,
                              Transports transports, LongSupplier clock) {
        if (queues.isEmpty() || queues.size() > PeerConfig.MAX_SEAL_LANES) {
            throw new IllegalArgumentException("1.." + PeerConfig.MAX_SEAL_LANES + " TUN queues, got " + queues.size());
        }
        this.name = name;
        this.queues = List.copyOf(queues);
        this.tunDevice = device;
        this.mtu = mtu;
        this.transports = transports;
        this.table = new PeerTable(mtu, queues.size());
        this.sender = new DatagramSender(counters);
        this.outbound = new OutboundPath(lock, table, counters, sender, clock, mtu);
        TunWriter tunWriter = new TunWriter(queues.get(0), counters); // inbound packets go to the first queue
        this.inbound = new InboundPath(lock, table, counters, sender, clock, tunWriter);
        this.tick = new TimerTick(name, lock, table, sender, clock, counters);
    }

    public String name() {
        return name;
    }

    /** The tunnel MTU (largest inner packet). */
    int mtu() {
        return mtu;
    }

    /** The outbound path, for the TUN readers. */
    OutboundPath outbound() {
        return outbound;
    }

    /** The inbound path, for the receive thread. */
    InboundPath inbound() {
        return inbound;
    }

    /** The bound UDP port (the chosen one when configured as 0), 0 before the first reconcile. */
    public int listenPort() {
        return listenPort;
    }

    /** Counters of packets the shell dropped or could not deliver, by reason. */
    public ShellCounters counters() {
        return counters;
    }

    /** Starts the TUN readers (one per queue) and the timers; call after the first {@link #reconcile}. */
    public synchronized void start() {
        if (!readers.isEmpty()) {
            return;
        }
        for (int i = 0; i < queues.size(); i++) {
            Thread reader = new Thread(new TunReader(this, queues.get(i), mtu, i),
                    "warren-" + name + "-tun" + (i == 0 ? "" : String.valueOf(i)));
            reader.setDaemon(true);
            readers.add(reader);
        }
        for (Thread reader : readers) {
            reader.start();
        }
        ticker = transports.timers().scheduleAtFixedRate(tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** How many TUN queues (and reader threads) this interface has. */
    public int queueCount() {
        return queues.size();
    }

    // ---- configuration --------------------------------------------------------------------

    /**
     * Makes the interface match {@code want}: rebinds the port when it changed, replaces the
     * identity (dropping every session) when the private key changed, and adds, removes or updates
     * peers. A peer whose preshared key or keepalive changed is recreated; one whose endpoint or
     * allowed IPs changed keeps its sessions; unchanged peers are not touched ({@link PeerTable#apply}).
     *
     * @throws IOException when the port cannot be bound (nothing else is changed then)
     */
    public void reconcile(DeviceState want) throws IOException {
        if (socket == null || (want.listenPort() != 0 && want.listenPort() != listenPort)) {
            rebind(want.listenPort());
        }
        lock.lock();
        try {
            table.apply(want, listenPort);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Binds the new socket first (a failure leaves the old one working), then stops the old
     * receive thread before starting the new one: the receive-side state (coalescer, pending TUN
     * write) belongs to one receiving thread at a time.
     */
    private synchronized void rebind(int port) throws IOException {
        UdpSocket s;
        try {
            s = UdpSocket.bind(port, SOCKET_BUFFER);
        } catch (IOException e) {
            throw new IOException("cannot bind UDP port " + port + " for " + name + ": " + e.getMessage(), e);
        }
        boolean gro = ReceiveOptions.GRO && s.enableGro();
        if (ReceiveOptions.GRO && !gro) {
            LOG.info(name + ": UDP_GRO refused by the kernel; one datagram per receive slot");
        }
        UdpSocket old = socket;
        ReceiveLoop oldReceiver = receiver;
        sender.use(s.sender());
        socket = s;
        listenPort = s.localPort();
        if (oldReceiver != null) {
            oldReceiver.stop();
        }
        if (old != null) {
            old.close();
        }
        receiver = closed ? null : ReceiveLoop.start(this, s, gro);
        LOG.info(name + ": listening on UDP port " + listenPort + (gro ? " (UDP GRO)" : ""));
    }

    /** The live state: the desired settings with endpoints, counters and handshake times. */
    public DeviceState snapshot() {
        lock.lock();
        try {
            return table.snapshot(listenPort);
        } finally {
            lock.unlock();
        }
    }

    /** The peers, for status and metrics (a copy). */
    public List<WgPeer> peers() {
        lock.lock();
        try {
            return table.peers();
        } finally {
            lock.unlock();
        }
    }

    // ---- the gateway's own traffic (NAT traversal, hub coordination) ------------------------

    /**
     * Installs (or, with null, removes) the listener that sees every received datagram first and
     * may consume the non-WireGuard ones (STUN responses on the WireGuard port).
     */
    public void setDatagramTap(DatagramTap tap) {
        inbound.setDatagramTap(tap);
    }

    /**
     * Sends a non-WireGuard datagram (a STUN request) from this interface's UDP port, so that it
     * gets the same NAT mapping as the WireGuard traffic. Any thread; the buffer is not kept.
     */
    public void sendDatagram(ByteBuffer datagram, InetSocketAddress to) {
        sender.send(datagram, to);
    }

    /**
     * Installs (or, with null, removes) the listener that sees every decrypted inner packet first,
     * with the authenticated peer, and may consume the ones meant for the gateway itself.
     */
    public void setInnerTap(InnerTap tap) {
        inbound.setInnerTap(tap);
    }

    /** Removes {@code tap} if it is still the inner tap (a newer one set since stays). */
    public void removeInnerTap(InnerTap tap) {
        inbound.removeInnerTap(tap);
    }

    /**
     * Encrypts {@code packet} (a whole inner IP packet, not kept) for the peer {@code to} and sends
     * it, starting a handshake first when there is no session: for the gateway's own messages inside
     * the tunnel (hub coordination). Any thread.
     *
     * @return false when there is no such peer
     */
    public boolean sendInner(NoisePublicKey to, ByteBuffer packet) {
        return outbound.sendInner(to, packet);
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    boolean isClosed() {
        return closed;
    }

    static long wallNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * Stops everything: the timers, the receive thread (woken by a shutdown of the socket's
     * receiving side, then joined), the TUN device and its reader; the socket is closed last, when
     * no thread of this interface can be inside a call on it.
     */
    @Override
    public void close() {
        closed = true;
        if (ticker != null) {
            ticker.cancel(false);
        }
        ReceiveLoop r;
        synchronized (this) {
            r = receiver;
            receiver = null;
        }
        if (r != null) {
            r.stop();
        }
        try {
            tunDevice.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, name + ": closing the TUN device failed", e);
        }
        List<Thread> started;
        synchronized (this) {
            started = List.copyOf(readers);
        }
        for (Thread reader : started) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        UdpSocket s = socket;
        if (s != null) {
            s.close();
        }
        lock.lock();
        try {
            table.removeAll();
        } finally {
            lock.unlock();
        }
    }
}
