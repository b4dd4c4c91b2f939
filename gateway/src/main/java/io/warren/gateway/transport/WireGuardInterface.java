package io.warren.gateway.transport;

import io.warren.crypto.noise.StaticIdentity;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.primitives.NoisePublicKey;
import io.warren.crypto.primitives.PresharedKey;
import io.warren.crypto.session.Constants;
import io.warren.crypto.session.Device;
import io.warren.crypto.session.DropReason;
import io.warren.crypto.session.Outcome;
import io.warren.crypto.session.Peer;
import io.warren.crypto.session.OpenBatch;
import io.warren.crypto.session.PeerConfig;
import io.warren.crypto.session.SealBatch;
import io.warren.gateway.libcrypto.TransportAeadChoice;
import io.warren.gateway.uapi.AllowedIp;
import io.warren.gateway.uapi.DeviceState;
import io.warren.gateway.uapi.PeerEndpoint;
import io.warren.gateway.uapi.PeerState;
import io.warren.gateway.uapi.UapiKey;
import io.warren.routing.AllowedIps;
import io.warren.routing.IpPrefix;
import io.warren.tun.TunDevice;
import io.warren.tun.TunMode;
import io.warren.tun.TunOptions;
import io.warren.tun.IfTun;
import io.warren.tun.VirtioNetHeader;
import io.warren.tun.offload.TcpCoalescer;
import io.warren.tun.udp.UdpEndpoint;
import io.warren.tun.udp.UdpSendSocket;
import io.warren.tun.udp.UdpSocket;
import io.warren.tun.udp.UdpSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WireGuard interface: a TUN device, a UDP socket and the peers behind them. See the package
 * documentation for the data path, threading and buffer ownership.
 */
public final class WireGuardInterface implements AutoCloseable {
    /** Timer resolution: the §6 timers are checked this often. */
    public static final int TICK_MILLIS = 100;
    /** Free bytes before each packet read from the TUN (WireGuard header; outer headers later). */
    static final int HEADROOM = 64;
    /** Packets read from the TUN per batch. */
    static final int BATCH = 32;
    private static final int SOCKET_BUFFER = 4 << 20;
    /**
     * Decrypted packets held for the TUN per lock hold: a receive batch of plain datagrams always
     * fits; a batch of GRO runs may release and retake the lock in between.
     */
    private static final int PENDING_TUN_WRITES = 64;
    private static final Logger LOG = Logger.getLogger(WireGuardInterface.class.getName());

    private final String name;
    /** The TUN queues: one reader thread each; inbound packets are written to the first. */
    private final List<TunDevice> queues;
    /** Closes every queue (a {@link io.warren.tun.MultiQueueTun}, or the one device). */
    private final AutoCloseable tunDevice;
    private final TunDevice tun;
    /** The TUN device puts a virtio-net header before every packet (offloads on). */
    private final boolean vnetHdr;
    /** Inbound TCP segments of one receive burst merged for one TUN write (receive thread only). */
    private final TcpCoalescer coalescer = new TcpCoalescer();
    /**
     * The decrypted packets of the current datagram, or of the whole receive batch, offered to the
     * coalescer or written to the TUN after the lock is released (receive thread only): a reply the
     * kernel generates inside any TUN write reaches the TUN reader at once, and must not find the
     * lock held.
     */
    private final DeferredTunWrites pendingTunWrites = new DeferredTunWrites(PENDING_TUN_WRITES);
    /** Made once: a method reference per batch would allocate. */
    private final DeferredTunWrites.Writer tunWriter = this::writeToTun;
    /**
     * Receive thread only: the data messages of the open batch admitted under the lock, to be
     * opened with it released ({@link #finishOpens}); with {@link #pendingTunWrites} never more
     * than {@link #PENDING_TUN_WRITES} together.
     */
    private final OpenBatch opens = new OpenBatch(PENDING_TUN_WRITES);
    /** Receive thread only: a batch is open ({@link #inboundBatchStart}), the lock is taken lazily. */
    private boolean inBatch;
    /** Receive thread only: the open batch holds the lock (taken by its first datagram). */
    private boolean batchLocked;
    private final int mtu;
    private final Transports transports;
    private final LongSupplier clock;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock lock = new ReentrantLock();
    private final AllowedIps<WgPeer> allowedIps = new AllowedIps<>();
    private final ShellCounters counters = new ShellCounters();
    private final HandshakeLoad load = new HandshakeLoad();
    /** Made once: a method reference per tick would allocate. */
    private final Device.TimerSink timerSink = this::timersFired;
    // Guarded by lock:
    private final Map<NoisePublicKey, WgPeer> peers = new LinkedHashMap<>();
    private final Map<Peer, WgPeer> byCore = new IdentityHashMap<>();
    private Device device;
    private DeviceState desired = DeviceState.EMPTY;

    /** The UDP socket (this interface's own; no Netty channel). */
    private volatile UdpSocket socket;
    /** sendmsg(2) on the socket, straight from the thread that sealed the datagram. */
    private volatile UdpSendSocket sender;
    /** The thread receiving on {@link #socket}: one at a time, replaced on a rebind. */
    private ReceiveLoop receiver;
    private volatile int listenPort;
    private volatile boolean closed;
    /** Non-WireGuard datagrams on this port (STUN), if a NAT-traversal component listens. */
    private volatile DatagramTap tap;
    /** Decrypted packets for the gateway itself (hub coordination), if a NAT-traversal component listens. */
    private volatile InnerTap innerTap;
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
        this.clock = clock;
        this.name = name;
        this.queues = List.copyOf(queues);
        this.tunDevice = device;
        this.tun = queues.get(0);
        this.vnetHdr = tun.vnetHdr();
        this.mtu = mtu;
        this.transports = transports;
    }

    public String name() {
        return name;
    }

    /** The tunnel MTU (largest inner packet). */
    int mtu() {
        return mtu;
    }

    /**
     * The TUN device options this interface runs fastest with: a virtio-net header and the TSO/USO
     * offloads, so a TCP sender's 64 KB segment is one read (split here, sent with UDP GSO).
     * Interfaces also work on a plain TUN device.
     */
    public static TunOptions tunOptions(String name) {
        return TunOptions.builder().name(name).mode(TunMode.TUN).vnetHdr(true)
                .offloads(IfTun.TUN_F_CSUM | IfTun.TUN_F_TSO4 | IfTun.TUN_F_TSO6 | IfTun.TUN_F_USO4 | IfTun.TUN_F_USO6)
                .build();
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
        ticker = transports.timers().scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
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
     * allowed IPs changed keeps its sessions; unchanged peers are not touched.
     *
     * @throws IOException when the port cannot be bound (nothing else is changed then)
     */
    public void reconcile(DeviceState want) throws IOException {
        if (socket == null || (want.listenPort() != 0 && want.listenPort() != listenPort)) {
            rebind(want.listenPort());
        }
        lock.lock();
        try {
            if (!want.privateKey().equals(desired.privateKey()) || device == null && want.privateKey().isPresent()) {
                for (WgPeer p : List.copyOf(peers.values())) {
                    removeLocked(p);
                }
                device = want.privateKey()
                        .map(k -> new Device(new StaticIdentity(NoisePrivateKey.fromBytes(k.bytes())), random,
                                WireGuardInterface::wallNanos))
                        .orElse(null);
            }
            Map<NoisePublicKey, PeerState> wanted = new LinkedHashMap<>();
            for (PeerState ps : want.peers()) {
                wanted.put(NoisePublicKey.fromBytes(ps.publicKey().bytes()), ps);
            }
            for (WgPeer p : List.copyOf(peers.values())) {
                if (!wanted.containsKey(p.publicKey)) {
                    removeLocked(p);
                }
            }
            if (device != null) {
                for (Map.Entry<NoisePublicKey, PeerState> e : wanted.entrySet()) {
                    updateLocked(e.getKey(), e.getValue());
                }
            }
            desired = new DeviceState(want.privateKey(), listenPort, want.fwmark(), want.peers());
        } finally {
            lock.unlock();
        }
    }

    private void updateLocked(NoisePublicKey key, PeerState want) {
        WgPeer existing = peers.get(key);
        if (existing != null && (!existing.settings.presharedKey().equals(want.presharedKey())
                || existing.settings.persistentKeepaliveInterval() != want.persistentKeepaliveInterval())) {
            removeLocked(existing);
            existing = null;
        }
        if (existing == null) {
            PeerConfig config = new PeerConfig(mtu, TimeUnit.SECONDS.toNanos(want.persistentKeepaliveInterval()),
                    TransportAeadChoice.forThisJvm(), queues.size());
            PresharedKey psk = want.presharedKey().isZero() ? PresharedKey.NONE
                    : PresharedKey.fromBytes(want.presharedKey().bytes());
            Peer core = device.addPeer(key, psk, config);
            WgPeer p = new WgPeer(key, core, want);
            peers.put(key, p);
            byCore.put(core, p);
            allowedIps.replace(p, prefixes(want.allowedIps()));
            return;
        }
        if (!existing.settings.endpoint().equals(want.endpoint())) {
            existing.endpoint = want.endpoint().map(e -> UdpEndpoint.of(e.toSocketAddress())).orElse(existing.endpoint);
        }
        if (!existing.settings.allowedIps().equals(want.allowedIps())) {
            allowedIps.replace(existing, prefixes(want.allowedIps()));
        }
        existing.settings = want;
    }

    private void removeLocked(WgPeer p) {
        peers.remove(p.publicKey);
        byCore.remove(p.core);
        allowedIps.removeByPeer(p);
        if (device != null) {
            device.removePeer(p.publicKey);
        }
    }

    private static List<IpPrefix> prefixes(List<AllowedIp> ips) {
        List<IpPrefix> out = new ArrayList<>(ips.size());
        for (AllowedIp ip : ips) {
            out.add(IpPrefix.fromBytes(ip.address(), ip.prefixLength()));
        }
        return out;
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
        sender = s.sender();
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
            List<PeerState> out = new ArrayList<>();
            for (PeerState ps : desired.peers()) {
                WgPeer p = peers.get(NoisePublicKey.fromBytes(ps.publicKey().bytes()));
                if (p == null) {
                    out.add(ps);
                    continue;
                }
                InetSocketAddress ep = p.endpoint();
                long wall = p.lastHandshakeWallNanos;
                out.add(new PeerState(ps.publicKey(), ps.presharedKey(),
                        ep == null ? Optional.empty() : Optional.of(PeerEndpoint.of(ep.getAddress().getAddress(), ep.getPort())),
                        wall / 1_000_000_000L, (int) (wall % 1_000_000_000L), p.txBytes(), p.rxBytes(),
                        ps.persistentKeepaliveInterval(), ps.allowedIps()));
            }
            return new DeviceState(desired.privateKey(), listenPort, desired.fwmark(), out);
        } finally {
            lock.unlock();
        }
    }

    /** The peers, for status and metrics (a copy). */
    public List<WgPeer> peers() {
        lock.lock();
        try {
            return List.copyOf(peers.values());
        } finally {
            lock.unlock();
        }
    }

    // ---- outbound: called by the TUN reader ------------------------------------------------

    /**
     * Encapsulates a batch of inner packets, each {@code [position, limit)} with headroom, on the
     * calling TUN reader's {@code seals}: under the lock only the cheap state work
     * ({@link Peer#reserve}: peer lookup, keypair, counter, padding, timers; an initiation or
     * staged packets go out there); the AEAD and the sends after it is released
     * ({@link #sealAndSend}).
     */
    void outbound(ByteBuffer[] packets, int count, SealBatch seals) {
        long now = clock.getAsLong();
        lock.lock();
        try {
            for (int i = 0; i < count; i++) {
                ByteBuffer pkt = packets[i];
                WgPeer p = lookup(pkt, pkt.position(), pkt.remaining());
                if (p != null) {
                    encapsulated(p, p.core.reserve(pkt, now, seals, i, p));
                }
            }
        } finally {
            lock.unlock();
        }
        sealAndSend(seals);
    }

    /** Acts on a reservation's outcome (under the lock): counts, sends what must go out now. */
    private void encapsulated(WgPeer p, Outcome.Encapsulated e) {
        if (e instanceof Outcome.Reserved r) {
            p.txPackets.increment();
            sendAll(p, r.datagrams());
        } else if (e instanceof Outcome.WriteToNetwork w) {
            p.txPackets.increment();
            sendAll(p, w.datagrams());
        } else if (e instanceof Outcome.Queued q) {
            sendAll(p, q.datagrams());
        } else if (e instanceof Outcome.Drop d) {
            counters.count(d.reason());
        }
    }

    /**
     * Seals the reserved packets (no lock: the entries hold their keypairs) and sends each to its
     * peer's endpoint; the batch is empty afterwards. The datagrams were given their counters
     * under the lock; a datagram another thread seals meanwhile may leave first, which the
     * receiver's sliding replay window accepts (WireGuard paper §5.4.6).
     */
    private void sealAndSend(SealBatch seals) {
        try {
            seals.sealAll();
            for (int k = 0, n = seals.size(); k < n; k++) {
                if (!seals.sealed(k)) {
                    counters.count(ShellCounters.Reason.OUTBOUND_SEAL_FAILED);
                    continue;
                }
                sendSealed((WgPeer) seals.tag(k), seals.buffer(k));
            }
        } finally {
            seals.clear();
        }
    }

    /**
     * Encapsulates the {@code count} segments of one super-packet laid out in {@code a} (one flow:
     * one destination): reserved under the lock, sealed after it, and the runs of consecutive
     * sealed segments sent with UDP GSO (several sends when a run is longer than one GSO send may
     * be). Datagrams that are not sealed in the arena (an initiation, staged packets) go out under
     * the lock, before the run.
     */
    void outboundSegments(SegmentArena a, int count, SealBatch seals) {
        long now = clock.getAsLong();
        WgPeer p;
        lock.lock();
        try {
            ByteBuffer first = a.views[0];
            p = lookup(first, first.position(), first.remaining());
            if (p == null) {
                return;
            }
            for (int i = 0; i < count; i++) {
                encapsulated(p, p.core.reserve(a.views[i], now, seals, i, p));
            }
        } finally {
            lock.unlock();
        }
        // The arena is the reader thread's own: sealing and the sendmsg calls (about as long as the
        // sealing, since the veth underlay's receive side runs inside them) keep nobody waiting for
        // the lock.
        try {
            seals.sealAll();
            for (int k = 0, n = seals.size(); k < n; k++) {
                if (!seals.sealed(k)) {
                    counters.count(ShellCounters.Reason.OUTBOUND_SEAL_FAILED);
                    continue;
                }
                int from = seals.slot(k);
                if (seals.buffer(k) != a.views[from]) {
                    sendSealed(p, seals.buffer(k));
                    continue;
                }
                while (k + 1 < n && seals.sealed(k + 1) && seals.slot(k + 1) == seals.slot(k) + 1
                        && seals.buffer(k + 1) == a.views[seals.slot(k + 1)]) {
                    k++;
                }
                sendRun(p, a, from, seals.slot(k) + 1);
            }
        } finally {
            seals.clear();
        }
    }

    /** Sends one sealed datagram to {@code p}'s endpoint. */
    private void sendSealed(WgPeer p, ByteBuffer datagram) {
        UdpEndpoint e = p.endpoint;
        if (e == null) {
            counters.count(ShellCounters.Reason.NO_ENDPOINT);
            return;
        }
        p.txBytes.add(datagram.remaining());
        send(datagram, e.address());
    }

    /** Sends the sealed datagrams of segments {@code [from, to)}, back to back in the arena. */
    private void sendRun(WgPeer p, SegmentArena a, int from, int to) {
        if (from >= to) {
            return;
        }
        UdpEndpoint e = p.endpoint;
        if (e == null) {
            counters.count(ShellCounters.Reason.NO_ENDPOINT);
            return;
        }
        InetSocketAddress dst = e.address();
        UdpSendSocket direct = sender;
        int per = direct != null && direct.gsoWorks() ? a.segmentsPerSend() : 1;
        for (int i = from; i < to; i += per) {
            int end = Math.min(to, i + per);
            ByteBuffer last = a.views[end - 1];
            ByteBuffer run = a.run;
            run.limit(last.limit()).position(a.views[i].position());
            p.txBytes.add(run.remaining());
            if (end - i == 1 || per == 1 || direct == null) {
                send(run, dst);
            } else if (!direct.sendSegmented(run, a.stride, dst)) {
                counters.count(ShellCounters.Reason.UDP_SEND_FAILED);
            }
        }
    }

    private WgPeer lookup(ByteBuffer pkt, int pos, int len) {
        int version = len > 0 ? (pkt.get(pos) & 0xff) >>> 4 : 0;
        WgPeer p;
        if (version == 4 && len >= 20) {
            p = allowedIps.lookupV4(pkt, pos + 16);
        } else if (version == 6 && len >= 40) {
            p = allowedIps.lookupV6(pkt, pos + 24);
        } else {
            counters.count(ShellCounters.Reason.OUTBOUND_NOT_IP);
            return null;
        }
        if (p == null) {
            counters.count(ShellCounters.Reason.OUTBOUND_NO_PEER);
        }
        return p;
    }

    // ---- inbound: called on the receive thread -----------------------------------------------

    /**
     * Installs (or, with null, removes) the listener that sees every received datagram first and
     * may consume the non-WireGuard ones (STUN responses on the WireGuard port).
     */
    public void setDatagramTap(DatagramTap tap) {
        this.tap = tap;
    }

    /**
     * Sends a non-WireGuard datagram (a STUN request) from this interface's UDP port, so that it
     * gets the same NAT mapping as the WireGuard traffic. Any thread; the buffer is not kept.
     */
    public void sendDatagram(ByteBuffer datagram, InetSocketAddress to) {
        send(datagram, to);
    }

    /**
     * Installs (or, with null, removes) the listener that sees every decrypted inner packet first,
     * with the authenticated peer, and may consume the ones meant for the gateway itself.
     */
    public void setInnerTap(InnerTap tap) {
        this.innerTap = tap;
    }

    /**
     * Encrypts {@code packet} (a whole inner IP packet, not kept) for the peer {@code to} and sends
     * it, starting a handshake first when there is no session: for the gateway's own messages inside
     * the tunnel (hub coordination). Any thread.
     *
     * @return false when there is no such peer
     */
    public boolean sendInner(NoisePublicKey to, ByteBuffer packet) {
        int length = packet.remaining();
        ByteBuffer b = ByteBuffer.allocateDirect(HEADROOM + length
                + io.warren.crypto.session.TransportData.tailroom(length, mtu));
        b.position(HEADROOM);
        b.put(packet.duplicate());
        b.limit(b.position()).position(HEADROOM);
        long now = clock.getAsLong();
        lock.lock();
        try {
            WgPeer p = peers.get(to);
            if (p == null) {
                return false;
            }
            Outcome.Encapsulated e = p.core.encapsulate(b, now);
            if (e instanceof Outcome.WriteToNetwork w) {
                sendAll(p, w.datagrams());
            } else if (e instanceof Outcome.Queued q) {
                sendAll(p, q.datagrams());
            } else if (e instanceof Outcome.Drop d) {
                counters.count(d.reason());
            }
        } finally {
            lock.unlock();
        }
        return true;
    }

    /**
     * One received datagram, {@code [position, limit)}, from {@code source}; neither is kept past
     * the call (the datagram may be changed). Receive thread only.
     */
    void inbound(ByteBuffer datagram, UdpSource source) {
        DatagramTap t = tap;
        if (t != null && t.offer(datagram, source)) {
            return;
        }
        int length = datagram.remaining();
        int type = length > 0 ? datagram.get(datagram.position()) & 0xff : 0;
        long now = clock.getAsLong();
        boolean batched = inBatch;
        if (batched) {
            if (pendingTunWrites.size() + opens.size() >= PENDING_TUN_WRITES) {
                // Write what the batch holds so far, then go on. The datagrams of a GRO run are one
                // buffer whose bounds the recorded entries restore and move: put this datagram's back.
                int position = datagram.position();
                int limit = datagram.limit();
                releaseBatchLock();
                datagram.limit(limit).position(position);
            }
            if (!batchLocked) {
                lock.lock();
                batchLocked = true;
            }
            if (type == Constants.MESSAGE_DATA && admit(datagram, source)) {
                return; // opened after the lock is released, accepted under it again
            }
            // Anything else is handled in arrival order: the data admitted before it first.
            int position = datagram.position();
            int limit = datagram.limit();
            finishOpens(now);
            datagram.limit(limit).position(position);
        } else {
            lock.lock();
        }
        try {
            Device d = device;
            if (d == null) {
                counters.count(ShellCounters.Reason.NO_PRIVATE_KEY);
                return;
            }
            boolean underLoad = type >= 1 && type <= 3 && load.handshakeMessage(now);
            // The core reads the source of handshake messages only: no address per data packet.
            boolean handshake = type == 1 || type == 2;
            Device.Received r = d.receive(datagram, handshake ? source.address() : null, now, underLoad);
            if (r instanceof Device.Routed routed) {
                WgPeer p = byCore.get(routed.peer());
                if (p != null) {
                    routed(p, routed.outcome(), source, type, length, now);
                }
            } else if (r instanceof Device.SendCookieReply c) {
                send(c.reply(), source.address());
            } else if (r instanceof Device.Drop drop) {
                counters.count(drop.reason());
            }
        } finally {
            if (!batched) {
                lock.unlock();
                // Also when the locked section threw: the packet recorded by deliver() lives in this
                // call's datagram and must not outlast it.
                pendingTunWrites.drain(tunWriter);
            }
        }
    }

    /**
     * Opens a receive batch (receive thread only): the {@link #inbound} calls until
     * {@link #inboundBurstDone} share one hold of the lock, taken by the first datagram that needs
     * it (released only while the admitted data messages are opened, {@link #finishOpens}), and
     * their TUN writes wait for the batch's end (or for {@link #PENDING_TUN_WRITES} to fill).
     * The datagrams must stay valid until then (a {@code recvmmsg} ring: until the next receive).
     */
    void inboundBatchStart() {
        inBatch = true;
    }

    /**
     * Under the batch's lock: records a data message from its peer's current endpoint in
     * {@link #opens} ({@link Peer#admit}: keypair found, referenced), or counts its drop; false
     * when the one-call path must handle it (no device, unknown index, a source that is not the
     * peer's endpoint: roaming is decided after authentication there).
     */
    private boolean admit(ByteBuffer datagram, UdpSource source) {
        Device d = device;
        if (d == null || opens.isFull()) {
            return false;
        }
        Peer core = d.dataPeer(datagram);
        WgPeer p = core == null ? null : byCore.get(core);
        if (p == null || !source.matches(p.endpoint)) {
            return false;
        }
        DropReason refused = core.admit(datagram, opens, p);
        if (refused != null) {
            counters.count(refused);
        }
        return true;
    }

    /**
     * Opens the admitted data messages with the lock released (the AEAD, the costly part), then,
     * under the lock again, accepts each (replay window, timers, rotation: {@link Peer#accept})
     * and records its packet for the TUN. Called and returns with the batch's lock held.
     */
    private void finishOpens(long now) {
        if (opens.isEmpty()) {
            return;
        }
        try {
            lock.unlock();
            try {
                opens.openAll(now);
            } finally {
                lock.lock();
            }
            for (int k = 0, n = opens.size(); k < n; k++) {
                WgPeer p = (WgPeer) opens.tag(k);
                routed(p, p.core.accept(opens, k, now), null, Constants.MESSAGE_DATA, opens.wireLength(k), now);
            }
        } finally {
            opens.clear();
        }
    }

    /**
     * Finishes the admitted data messages and releases the batch's lock hold, if any, then writes
     * the packets recorded so far.
     */
    private void releaseBatchLock() {
        if (batchLocked) {
            try {
                finishOpens(clock.getAsLong());
            } finally {
                batchLocked = false;
                lock.unlock();
            }
        }
        pendingTunWrites.drain(tunWriter);
    }

    /** Whether TCP segments merged from earlier receives wait in the coalescer. Receive thread only. */
    boolean inboundHeld() {
        return !coalescer.isEmpty();
    }

    private void writeToTun(ByteBuffer pkt, WgPeer p) {
        if (vnetHdr) {
            // No lock: the coalescer is the receive thread's alone.
            if (coalescer.offer(pkt)) {
                p.rxPackets.increment();
                return;
            }
            writeCoalesced();
            if (coalescer.offer(pkt)) {
                p.rxPackets.increment();
                return;
            }
            // The virtio-net header goes where the WireGuard header was (the 16 bytes before the
            // decrypted packet are free now): no segmentation, and DATA_VALID: the AEAD tag
            // authenticated the packet, so the kernel need not verify the inner checksum again
            // (as kernel WireGuard marks decrypted packets CHECKSUM_UNNECESSARY).
            int pos = pkt.position();
            if (pos < VirtioNetHeader.SIZE) {
                counters.count(ShellCounters.Reason.TUN_WRITE_FAILED);
                return;
            }
            pkt.put(pos - VirtioNetHeader.SIZE, (byte) VirtioNetHeader.F_DATA_VALID);
            for (int i = pos - VirtioNetHeader.SIZE + 1; i < pos; i++) {
                pkt.put(i, (byte) 0);
            }
            pkt.position(pos - VirtioNetHeader.SIZE);
        }
        p.rxPackets.increment(); // before the write: whoever sees the packet sees it counted
        try {
            tun.write(pkt);
        } catch (IOException e) {
            p.rxPackets.decrement();
            counters.count(ShellCounters.Reason.TUN_WRITE_FAILED);
        }
    }

    private void routed(WgPeer p, Outcome.Decapsulated o, UdpSource sender, int type, int length, long now) {
        if (o instanceof Outcome.Drop d) {
            counters.count(d.reason());
            return;
        }
        // Authenticated: the endpoint follows the sender (roaming), except for cookie replies; a
        // sender of null is the peer's endpoint already (admitted by it).
        if (type != 3 && sender != null) {
            roam(p, sender);
        }
        p.rxBytes.add(length);
        if (o instanceof Outcome.WriteToTunnel w) {
            deliver(p, w.packet());
            sendAll(p, w.datagrams());
        } else if (o instanceof Outcome.WriteToNetwork n) {
            sendAll(p, n.datagrams());
        }
        noteHandshake(p, now);
    }

    private void deliver(WgPeer p, ByteBuffer pkt) {
        InnerTap it = innerTap;
        if (it != null && it.offer(p.publicKey, pkt)) {
            return;
        }
        int pos = pkt.position();
        int version = (pkt.get(pos) & 0xff) >>> 4;
        boolean allowed = version == 4 ? allowedIps.allowsSourceV4(p, pkt, pos + 12)
                : version == 6 && allowedIps.allowsSourceV6(p, pkt, pos + 8);
        if (!allowed) {
            counters.count(ShellCounters.Reason.INBOUND_SOURCE_NOT_ALLOWED);
            return;
        }
        if (!pendingTunWrites.add(pkt, p)) {
            counters.count(ShellCounters.Reason.TUN_WRITE_FAILED); // cannot happen: inbound() drains first
        }
    }

    /** Writes the TCP segments merged so far (a GSO super-packet) to the TUN device. Receive thread only. */
    private void writeCoalesced() {
        ByteBuffer merged = coalescer.flush();
        if (merged == null) {
            return;
        }
        try {
            tun.write(merged);
        } catch (IOException e) {
            counters.count(ShellCounters.Reason.TUN_WRITE_FAILED);
        }
    }

    /**
     * The end of a receive burst (one recvmmsg call): closes the batch (the lock is released, then
     * the recorded packets are written in order) and flushes the coalescer, so nothing is held
     * past it; with {@code more} (the socket still has datagrams queued) a partly merged TCP run
     * stays in the coalescer for the next burst (it holds copies: the receive ring may be reused).
     */
    void inboundBurstDone(boolean more) {
        inBatch = false;
        releaseBatchLock();
        if (vnetHdr && !more) {
            writeCoalesced(); // no lock: the coalescer is the receive thread's alone
        }
    }

    /** {@link #inboundBurstDone(boolean)} with nothing held past it. */
    void inboundBurstDone() {
        inboundBurstDone(false);
    }

    /** Compares without allocating; builds the new endpoint only when the peer really moved. */
    private void roam(WgPeer p, UdpSource sender) {
        if (!sender.matches(p.endpoint)) {
            p.endpoint = sender.endpoint();
        }
    }

    private void noteHandshake(WgPeer p, long now) {
        long at = p.core.lastHandshake();
        if (at != -1 && at != p.lastHandshakeMonotonic) {
            p.lastHandshakeMonotonic = at;
            p.handshakes.increment();
            p.lastHandshakeWallNanos = wallNanos() - (now - at);
        }
    }

    // ---- timers -------------------------------------------------------------------------------

    /**
     * The fixed tick: O(1) unless some peer's deadline may be due ({@link Device#timersDue}), so an
     * idle interface with any number of peers neither walks them nor allocates.
     */
    private void tick() {
        long now = clock.getAsLong();
        lock.lock();
        try {
            Device d = device;
            if (d != null && d.timersDue(now)) {
                d.updateTimers(now, timerSink);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + ": timer tick failed", e);
        } finally {
            lock.unlock();
        }
    }

    /** One peer's fired timers (under the lock, from {@link #tick}). */
    private void timersFired(Peer core, List<Outcome.TimerAction> actions, long now) {
        WgPeer p = byCore.get(core);
        if (p == null) {
            return;
        }
        for (Outcome.TimerAction a : actions) {
            if (a instanceof Outcome.Send s) {
                sendAll(p, List.of(s.datagram()));
            } else if (a instanceof Outcome.GaveUp g) {
                LOG.fine(name + ": " + p + ": handshake gave up, " + g.stagedDropped() + " packets dropped");
            }
        }
        noteHandshake(p, now);
    }

    // ---- sending ------------------------------------------------------------------------------

    private void sendAll(WgPeer p, List<ByteBuffer> datagrams) {
        if (datagrams.isEmpty()) {
            return;
        }
        UdpEndpoint e = p.endpoint;
        if (e == null) {
            counters.count(ShellCounters.Reason.NO_ENDPOINT);
            return;
        }
        InetSocketAddress to = e.address();
        for (int i = 0, n = datagrams.size(); i < n; i++) { // indexed: no iterator per packet
            ByteBuffer d = datagrams.get(i);
            p.txBytes.add(d.remaining());
            send(d, to);
        }
    }

    private void send(ByteBuffer datagram, InetSocketAddress to) {
        UdpSendSocket direct = sender;
        if (direct == null) {
            return; // not bound yet
        }
        if (!direct.send(datagram, to)) {
            counters.count(ShellCounters.Reason.UDP_SEND_FAILED);
        }
    }

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
            for (WgPeer p : List.copyOf(peers.values())) {
                removeLocked(p);
            }
        } finally {
            lock.unlock();
        }
    }
}
