package io.warren.gateway.transport;

import io.warren.crypto.session.Constants;
import io.warren.crypto.session.Device;
import io.warren.crypto.session.DropReason;
import io.warren.crypto.session.OpenBatch;
import io.warren.crypto.session.Outcome;
import io.warren.crypto.session.Peer;
import io.warren.routing.AllowedIps;
import io.warren.tun.udp.UdpSource;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The interface's inbound path (wireguard-go's {@code receive.go}):
 *
 * <ol>
 *   <li>UDP receive: the {@link ReceiveLoop} hands over each datagram of a {@code recvmmsg} burst
 *       (a GRO run split in place), between {@link #batchStart} and {@link #burstDone};</li>
 *   <li>admit, under the interface lock (one hold per burst): a data message from its peer's
 *       endpoint is matched to its keypair ({@link Peer#admit}) and recorded in the
 *       {@link OpenBatch}; anything else (handshakes, cookies, data from a new source) takes the
 *       one-call path, {@link Device#receive}, in arrival order;</li>
 *   <li>open, with the lock released ({@link OpenBatch#openAll}: the AEAD);</li>
 *   <li>accept, under the lock again ({@link Peer#accept}: replay window after authentication,
 *       timers, keypair confirmation, staged sends), roaming, and the inner source checked against
 *       the peer's allowed IPs; the packet is recorded ({@link DeferredTunWrites});</li>
 *   <li>TUN write, with the lock released, in order ({@link TunWriter}).</li>
 * </ol>
 *
 * <p>Threading: the receive thread only (one at a time: a rebind stops the old one first). It
 * takes and releases the interface lock itself; its batch state, open batch and pending writes
 * are its own. The taps are volatile (set from any thread).
 *
 * <p>Buffers: the receive ring's; a datagram is opened in place in its slot, valid until the next
 * {@code recvmmsg}, which the loop only calls after {@link #burstDone}: everything recorded here
 * (opens, TUN writes) is finished by then, except what the coalescer copied. Nothing is allocated
 * per packet.
 */
final class InboundPath implements GroSplitter.Sink {
    /**
     * Decrypted packets held for the TUN per lock hold: a receive batch of plain datagrams always
     * fits; a batch of GRO runs may release and retake the lock in between.
     */
    static final int PENDING_TUN_WRITES = 64;

    private final ReentrantLock lock;
    private final PeerTable table;
    private final AllowedIps<WgPeer> allowedIps;
    private final ShellCounters counters;
    private final DatagramSender sender;
    private final LongSupplier clock;
    private final HandshakeLoad load = new HandshakeLoad();
    private final TunWriter tunWriter;
    /**
     * The decrypted packets of the current datagram, or of the whole receive batch, offered to the
     * coalescer or written to the TUN after the lock is released: a reply the kernel generates
     * inside any TUN write reaches the TUN reader at once, and must not find the lock held.
     */
    private final DeferredTunWrites pendingTunWrites = new DeferredTunWrites(PENDING_TUN_WRITES);
    /**
     * The data messages of the open batch admitted under the lock, to be opened with it released
     * ({@link #finishOpens}); with {@link #pendingTunWrites} never more than
     * {@link #PENDING_TUN_WRITES} together.
     */
    private final OpenBatch opens = new OpenBatch(PENDING_TUN_WRITES);
    /** A batch is open ({@link #batchStart}), the lock is taken lazily. */
    private boolean inBatch;
    /** The open batch holds the lock (taken by its first datagram). */
    private boolean batchLocked;
    /** Non-WireGuard datagrams on this port (STUN), if a NAT-traversal component listens. */
    private volatile DatagramTap tap;
    /** Decrypted packets for the gateway itself (hub coordination), if a NAT-traversal component listens. */
    private volatile InnerTap innerTap;

    InboundPath(ReentrantLock lock, PeerTable table, ShellCounters counters, DatagramSender sender,
                LongSupplier clock, TunWriter tunWriter) {
        this.lock = lock;
        this.table = table;
        this.allowedIps = table.allowedIps();
        this.counters = counters;
        this.sender = sender;
        this.clock = clock;
        this.tunWriter = tunWriter;
    }

    void setDatagramTap(DatagramTap tap) {
        this.tap = tap;
    }

    synchronized void setInnerTap(InnerTap tap) {
        this.innerTap = tap;
    }

    /** Clears the inner tap if it is still {@code tap} (the monitor orders it with {@link #setInnerTap}). */
    synchronized void removeInnerTap(InnerTap tap) {
        if (innerTap == tap) {
            innerTap = null;
        }
    }

    /**
     * One received datagram, {@code [position, limit)}, from {@code source}; neither is kept past
     * the call (the datagram may be changed).
     */
    @Override
    public void datagram(ByteBuffer datagram, UdpSource source) {
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
            Device d = table.device();
            if (d == null) {
                counters.count(ShellCounters.Reason.NO_PRIVATE_KEY);
                return;
            }
            boolean underLoad = type >= 1 && type <= 3 && load.handshakeMessage(now);
            // The core reads the source of handshake messages only: no address per data packet.
            boolean handshake = type == 1 || type == 2;
            Device.Received r = d.receive(datagram, handshake ? source.address() : null, now, underLoad);
            if (r instanceof Device.Routed routed) {
                WgPeer p = table.byCore(routed.peer());
                if (p != null) {
                    routed(p, routed.outcome(), source, type, length, now);
                }
            } else if (r instanceof Device.SendCookieReply c) {
                sender.send(c.reply(), source.address());
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
     * Opens a receive batch: the {@link #datagram} calls until {@link #burstDone} share one hold
     * of the lock, taken by the first datagram that needs it (released only while the admitted
     * data messages are opened, {@link #finishOpens}), and their TUN writes wait for the batch's
     * end (or for {@link #PENDING_TUN_WRITES} to fill). The datagrams must stay valid until then
     * (a {@code recvmmsg} ring: until the next receive).
     */
    void batchStart() {
        inBatch = true;
    }

    /**
     * The end of a receive burst (one recvmmsg call): closes the batch (the lock is released, then
     * the recorded packets are written in order) and flushes the coalescer, so nothing is held
     * past it; with {@code more} (the socket still has datagrams queued) a partly merged TCP run
     * stays in the coalescer for the next burst (it holds copies: the receive ring may be reused).
     */
    void burstDone(boolean more) {
        inBatch = false;
        releaseBatchLock();
        if (tunWriter.coalesces() && !more) {
            tunWriter.flush(); // no lock: the coalescer is the receive thread's alone
        }
    }

    /** Whether TCP segments merged from earlier receives wait in the coalescer. */
    boolean held() {
        return tunWriter.holds();
    }

    /**
     * Under the batch's lock: records a data message from its peer's current endpoint in
     * {@link #opens} ({@link Peer#admit}: keypair found, referenced), or counts its drop; false
     * when the one-call path must handle it (no device, unknown index, a source that is not the
     * peer's endpoint: roaming is decided after authentication there).
     */
    private boolean admit(ByteBuffer datagram, UdpSource source) {
        Device d = table.device();
        if (d == null || opens.isFull()) {
            return false;
        }
        Peer core = d.dataPeer(datagram);
        WgPeer p = core == null ? null : table.byCore(core);
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

    /** Acts on the core's outcome for a datagram of {@code p} (under the lock). */
    private void routed(WgPeer p, Outcome.Decapsulated o, UdpSource source, int type, int length, long now) {
        if (o instanceof Outcome.Drop d) {
            counters.count(d.reason());
            return;
        }
        // Authenticated: the endpoint follows the sender (roaming), except for cookie replies; a
        // source of null is the peer's endpoint already (admitted by it). Compared without
        // allocating; a new endpoint is built only when the peer really moved.
        if (type != 3 && source != null && !source.matches(p.endpoint)) {
            p.endpoint = source.endpoint();
        }
        p.rxBytes.add(length);
        if (o instanceof Outcome.WriteToTunnel w) {
            deliver(p, w.packet());
            sender.sendAll(p, w.datagrams());
        } else if (o instanceof Outcome.WriteToNetwork n) {
            if (n.dropped() != null) {
                counters.count(n.dropped()); // the datagram itself was refused, its sends still go
            }
            sender.sendAll(p, n.datagrams());
        }
        p.noteHandshake(now);
    }

    /** Records {@code pkt} for the TUN if its source is one of {@code p}'s allowed IPs (under the lock). */
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
        if (it != null) {
            it.delivered(p.publicKey, pkt);
        }
        if (!pendingTunWrites.add(pkt, p)) {
            counters.count(ShellCounters.Reason.TUN_WRITE_FAILED); // cannot happen: datagram() drains first
        }
    }
}
