package io.warren.gateway.l2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.gateway.encap.vxlan.FlowHash;
import io.warren.gateway.tunnel.Tunnel;
import io.warren.tun.TunDevice;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shell of one L2 overlay tunnel: a TAP device, an {@link L2Switch} with its segments and their
 * {@link Encapsulation}s, and a {@link DatagramSink}. See the package documentation for the data path,
 * threading and buffer ownership.
 */
public final class L2Tunnel implements Tunnel {
    private static final Logger LOG = Logger.getLogger(L2Tunnel.class.getName());
    /** Aging timer period. */
    static final long EXPIRE_MILLIS = 1000;
    /** Bytes before a received frame that a VLAN tag may be inserted into (the overlay header is there). */
    private static final int TAG_HEADROOM = L2Switch.VLAN_TAG;

    private final String name;
    private final TunDevice tap;
    private final L2Switch sw;
    private final Map<L2Segment, Encapsulation> encaps;
    private final DatagramSink sink;
    private final FlowHash flowHash;
    private final L2Counters counters;
    private final Runnable onClose;
    private final ReentrantLock lock = new ReentrantLock();
    private final LongAdder localRxFrames;
    private final TapWriter writer;
    private final LongAdder tunnelTxPackets;
    private final LongAdder tunnelTxBytes;
    private final LongAdder tunnelRxPackets;
    private final LongAdder tunnelRxBytes;
    // TAP reader thread only:
    private Object[] targets = new Object[TapReader.BATCH];
    private int[] flowHashes = new int[TapReader.BATCH];
    private volatile boolean closed;
    private Thread reader;
    private ScheduledFuture<?> expiry;

    /**
     * @param name     the tunnel name
     * @param tap      the TAP device; the tunnel owns and closes it
     * @param sw       the switch over {@code segments}
     * @param segments each segment of {@code sw} with its encapsulation
     * @param sink     where encapsulated frames go
     * @param flowHash picks UDP source ports
     * @param counters the tunnel's counters (shared with {@code sw} and its segments)
     * @param onClose  releases what the factory set up around the tunnel (socket registration, link)
     */
    public L2Tunnel(String name, TunDevice tap, L2Switch sw, Map<L2Segment, Encapsulation> segments,
                    DatagramSink sink, FlowHash flowHash, L2Counters counters, Runnable onClose) {
        this.name = name;
        this.tap = tap;
        this.sw = sw;
        this.encaps = new IdentityHashMap<>(segments);
        this.sink = sink;
        this.flowHash = flowHash;
        this.counters = counters;
        this.onClose = onClose;
        this.localRxFrames = counters.adder(L2Counters.LOCAL_RX_FRAMES);
        this.writer = new TapWriter(tap, counters);
        this.tunnelTxPackets = counters.adder(L2Counters.TUNNEL_TX_PACKETS);
        this.tunnelTxBytes = counters.adder(L2Counters.TUNNEL_TX_BYTES);
        this.tunnelRxPackets = counters.adder(L2Counters.TUNNEL_RX_PACKETS);
        this.tunnelRxBytes = counters.adder(L2Counters.TUNNEL_RX_BYTES);
    }

    /** Starts the TAP reader thread and the aging timer on {@code timer}. */
    public synchronized void start(ScheduledExecutorService timer) {
        if (reader != null) {
            return;
        }
        reader = new Thread(new TapReader(this, tap, maxMtu()), "warren-" + name + "-tap");
        reader.setDaemon(true);
        reader.start();
        expiry = timer.scheduleAtFixedRate(() -> expire(System.nanoTime()), EXPIRE_MILLIS, EXPIRE_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public String name() {
        return name;
    }

    public L2Counters l2Counters() {
        return counters;
    }

    @Override
    public Map<String, Long> counters() {
        return counters.snapshot();
    }

    boolean isClosed() {
        return closed;
    }

    /** The largest segment MTU (Ethernet payload) of the tunnel. */
    int maxMtu() {
        return encaps.keySet().stream().mapToInt(L2Segment::mtu).max().orElse(1500);
    }

    // ---- outbound: the TAP reader --------------------------------------------------------------

    /** Free bytes the TAP reader leaves before each frame, for the overlay header. */
    public static final int HEADROOM = 64;

    /**
     * A Netty view of {@code buffer}'s whole memory (index i = buffer index i), made once per ring
     * slot so the codecs and the flow hash can work on the frame without a copy.
     */
    public static ByteBuf view(ByteBuffer buffer) {
        ByteBuffer whole = buffer.duplicate();
        whole.clear();
        return Unpooled.wrappedBuffer(whole);
    }

    /**
     * Switches and encapsulates a batch of local frames, each {@code frames[i][position, limit)} with at
     * least {@link #HEADROOM} bytes before it; {@code views[i]} is {@link #view} of {@code frames[i]}.
     * The switch and the headers are done under the lock, the sends after it (a socket call never
     * holds up the receive path).
     */
    public void outbound(ByteBuffer[] frames, ByteBuf[] views, int count) {
        long now = System.nanoTime();
        Object[] to = targets.length >= count ? targets : (targets = new Object[count]);
        int[] hashes = flowHashes.length >= count ? flowHashes : (flowHashes = new int[count]);
        lock.lock();
        try {
            for (int i = 0; i < count; i++) {
                to[i] = switchOne(frames[i], views[i], now, hashes, i);
            }
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < count; i++) {
            Object t = to[i];
            to[i] = null;
            if (t instanceof InetSocketAddress one) {
                sendOne(frames[i], one, hashes[i]);
            } else if (t instanceof List<?> many) {
                for (int j = 0; j < many.size(); j++) {
                    sendOne(frames[i], (InetSocketAddress) many.get(j), hashes[i]);
                }
            }
        }
    }

    /**
     * Decides one frame; when it is to be sent, writes the overlay header before it (the buffer then
     * holds the datagram) and returns the remote or the flood list, else null.
     */
    private Object switchOne(ByteBuffer frame, ByteBuf view, long now, int[] hashes, int i) {
        localRxFrames.increment();
        if (!(sw.fromLocal(frame, now) instanceof L2Decision.Send send)) {
            return null; // Drop, counted by the switch; Deliver cannot come from the local side.
        }
        view.setIndex(frame.position(), frame.limit());
        hashes[i] = flowHash.hashEthernet(view);
        encaps.get(send.segment()).prepend(view);
        frame.position(view.readerIndex());
        return send.target();
    }

    /**
     * A TSO/USO super-frame {@code frame[position, limit)} (after its virtio-net header) with
     * {@code view} = {@link #view} of its buffer: switched once (all its frames share the Ethernet
     * header: one segment, one learned source, one destination), cut into MTU-sized frames in
     * {@code arena} with the overlay header before each, and sent as one UDP GSO run per remote
     * (all datagrams share the remote and the flow's source port). A flood sends the same run to
     * each remote.
     */
    public void outboundSuper(ByteBuffer frame, ByteBuf view, int gsoType, int gsoSize, FrameArena arena) {
        long now = System.nanoTime();
        Object target;
        int hash;
        int count;
        lock.lock();
        try {
            int l2 = FrameArena.ethernetHeaderLength(frame);
            int headers = l2 < 0 ? -1 : FrameArena.headerLength(frame, l2, gsoType);
            if (headers < 0 || gsoSize <= 0) { // gso_size 0 cuts nothing (and divides by zero below)
                counters.drop("offload_malformed");
                return;
            }
            int payload = frame.remaining() - l2 - headers;
            localRxFrames.add(payload <= 0 ? 1 : (payload + gsoSize - 1) / gsoSize);
            if (!(sw.fromLocal(frame, headers + gsoSize, now) instanceof L2Decision.Send send)) {
                return; // Drop, counted by the switch.
            }
            target = send.target();
            view.setIndex(frame.position(), frame.limit());
            hash = flowHash.hashEthernet(view);
            Encapsulation e = encaps.get(send.segment());
            int l2After = FrameArena.ethernetHeaderLength(frame); // 4 less when the switch removed the tag
            count = arena.split(frame, l2After, gsoType, gsoSize, e.headerLength());
            if (count <= 0) {
                counters.drop(count == io.warren.tun.offload.GsoSegmenter.TOO_MANY_SEGMENTS
                        ? "offload_too_many_segments" : "offload_malformed");
                return;
            }
            ByteBuf av = arena.view;
            for (int i = 0; i < count; i++) {
                ByteBuffer f = arena.frames[i];
                av.setIndex(f.position(), f.limit());
                e.prepend(av);
            }
        } finally {
            lock.unlock();
        }
        if (target instanceof InetSocketAddress one) {
            sendRun(arena, count, one, hash);
        } else if (target instanceof List<?> many) {
            for (int j = 0; j < many.size(); j++) {
                sendRun(arena, count, (InetSocketAddress) many.get(j), hash);
            }
        }
    }

    private void sendRun(FrameArena arena, int count, InetSocketAddress to, int hash) {
        int per = arena.segmentsPerSend();
        for (int i = 0; i < count; i += per) {
            int end = Math.min(count, i + per);
            ByteBuffer run = arena.run(i, end);
            int bytes = run.remaining();
            int sent = sink.sendSegmented(run, arena.stride, to, hash);
            if (sent == end - i) {
                tunnelTxPackets.add(sent);
                tunnelTxBytes.add(bytes);
            } else {
                tunnelTxPackets.add(sent);
                counters.add("drop_send_failed", end - i - sent);
            }
        }
    }

    private void sendOne(ByteBuffer datagram, InetSocketAddress to, int hash) {
        if (sink.send(datagram, to, hash)) {
            tunnelTxPackets.increment();
            tunnelTxBytes.add(datagram.remaining());
        } else {
            counters.drop("send_failed");
        }
    }

    // ---- inbound: the socket's receive thread ---------------------------------------------------

    /**
     * A datagram for {@code segment} from {@code from}: checked, switched and written to the TAP.
     * The caller keeps ownership of {@code datagram} (and releases it).
     */
    public void receive(L2Segment segment, ByteBuf datagram, InetSocketAddress from) {
        Encapsulation e = encaps.get(segment);
        if (e == null) {
            counters.drop("unknown_segment");
            return;
        }
        long now = System.nanoTime();
        ByteBuffer frame;
        lock.lock();
        try {
            int size = datagram.readableBytes();
            Encapsulation.Result r = e.decapsulate(datagram);
            if (r instanceof Encapsulation.Rejected rej) {
                counters.drop(rej.reason());
                return;
            }
            tunnelRxPackets.increment();
            tunnelRxBytes.add(size);
            int at = datagram.readerIndex();
            int len = datagram.readableBytes();
            // Any successful decapsulation consumed at least 4 header bytes: room for a VLAN tag.
            // The buffer's own reused NIO view (no object per datagram); used only during this call.
            // Its position is an index into the buffer's memory, not 0.
            frame = datagram.internalNioBuffer(at - TAG_HEADROOM, len + TAG_HEADROOM);
            frame.position(frame.position() + TAG_HEADROOM);
            if (!(sw.fromRemote(segment, frame, from, now) instanceof L2Decision.Deliver)) {
                return;
            }
        } finally {
            lock.unlock();
        }
        writer.write(frame);
    }

    /** Ages the MAC tables and learned remotes (the timer calls it every second). */
    public void expire(long now) {
        lock.lock();
        try {
            sw.expire(now);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + ": aging failed", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (expiry != null) {
            expiry.cancel(false);
        }
        try {
            onClose.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + ": release failed", e);
        }
        tap.close();
        Thread r = reader;
        if (r != null) {
            try {
                r.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
