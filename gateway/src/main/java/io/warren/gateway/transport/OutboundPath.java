package io.warren.gateway.transport;

import io.warren.crypto.primitives.NoisePublicKey;
import io.warren.crypto.session.Outcome;
import io.warren.crypto.session.Peer;
import io.warren.crypto.session.SealBatch;
import io.warren.crypto.session.TransportData;
import io.warren.routing.AllowedIps;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The interface's outbound path (wireguard-go's {@code send.go}):
 *
 * <ol>
 *   <li>TUN read: a {@link TunReader} reads a batch (or one TSO/USO super-packet, split into its
 *       {@link SegmentArena}) with headroom before each packet and tailroom after it;</li>
 *   <li>route: the destination address picks the peer in the allowed-IPs table (cryptokey
 *       routing); no peer, or not IP: counted and dropped;</li>
 *   <li>reserve, under the interface lock: {@link Peer#reserve} takes the keypair reference and
 *       the counter, pads and runs the timers; an initiation or staged packets the core returns are
 *       sent right there;</li>
 *   <li>seal, with the lock released: {@link SealBatch#sealAll} on the reader's own lane (its own
 *       sending cipher per keypair);</li>
 *   <li>UDP send to the peer's endpoint ({@link DatagramSender}); a super-packet's consecutive
 *       sealed datagrams leave as UDP GSO runs.</li>
 * </ol>
 *
 * <p>Threading: called by the TUN reader threads, one per TUN queue, concurrently; each passes
 * its own {@link SealBatch} (the batch is empty again on return). The lock is held for step 3 only,
 * never while sealing or for the sends of sealed data. {@link #sendInner} is the same path for one
 * packet from any thread, sealed under the lock (rare: the gateway's own messages).
 *
 * <p>Buffers: the reader's ring and arena, sealed in place and handed to the kernel from there
 * (no copy); the datagrams of one batch were given their counters under the lock, so one another
 * thread seals meanwhile may leave first, which the receiver's sliding replay window accepts
 * (WireGuard paper §5.4.6). Nothing is allocated per packet.
 */
final class OutboundPath {
    private final ReentrantLock lock;
    private final PeerTable table;
    private final AllowedIps<WgPeer> allowedIps;
    private final ShellCounters counters;
    private final DatagramSender sender;
    private final LongSupplier clock;
    private final int mtu;

    OutboundPath(ReentrantLock lock, PeerTable table, ShellCounters counters, DatagramSender sender,
                 LongSupplier clock, int mtu) {
        this.lock = lock;
        this.table = table;
        this.allowedIps = table.allowedIps();
        this.counters = counters;
        this.sender = sender;
        this.clock = clock;
        this.mtu = mtu;
    }

    /**
     * Encapsulates a batch of inner packets, each {@code [position, limit)} with headroom, on the
     * calling TUN reader's {@code seals}: under the lock only the cheap state work
     * ({@link Peer#reserve}: peer lookup, keypair, counter, padding, timers; an initiation or
     * staged packets go out there); the AEAD and the sends after it is released.
     */
    void packets(ByteBuffer[] packets, int count, SealBatch seals) {
        long now = clock.getAsLong();
        lock.lock();
        try {
            for (int i = 0; i < count; i++) {
                ByteBuffer pkt = packets[i];
                WgPeer p = route(pkt, pkt.position(), pkt.remaining());
                if (p != null) {
                    onOutcome(p, p.core.reserve(pkt, now, seals, i, p));
                }
            }
        } finally {
            lock.unlock();
        }
        sealAndSend(seals, null);
    }

    /**
     * Encapsulates the {@code count} segments of one super-packet laid out in {@code a} (one flow:
     * one destination): reserved under the lock, sealed after it, and the runs of consecutive
     * sealed segments sent with UDP GSO (several sends when a run is longer than one GSO send may
     * be). Datagrams that are not sealed in the arena (an initiation, staged packets) go out under
     * the lock, before the run.
     */
    void segments(SegmentArena a, int count, SealBatch seals) {
        long now = clock.getAsLong();
        lock.lock();
        try {
            ByteBuffer first = a.views[0];
            WgPeer p = route(first, first.position(), first.remaining());
            if (p == null) {
                return;
            }
            for (int i = 0; i < count; i++) {
                onOutcome(p, p.core.reserve(a.views[i], now, seals, i, p));
            }
        } finally {
            lock.unlock();
        }
        // The arena is the reader thread's own: sealing and the sendmsg calls (about as long as the
        // sealing, since the veth underlay's receive side runs inside them) keep nobody waiting for
        // the lock.
        sealAndSend(seals, a);
    }

    /**
     * Encrypts {@code packet} (a whole inner IP packet, not kept) for the peer {@code to} and sends
     * it, starting a handshake first when there is no session; sealed under the lock, in one call.
     *
     * @return false when there is no such peer
     */
    boolean sendInner(NoisePublicKey to, ByteBuffer packet) {
        int length = packet.remaining();
        ByteBuffer b = ByteBuffer.allocateDirect(WireGuardInterface.HEADROOM + length
                + TransportData.tailroom(length, mtu));
        b.position(WireGuardInterface.HEADROOM);
        b.put(packet.duplicate());
        b.limit(b.position()).position(WireGuardInterface.HEADROOM);
        long now = clock.getAsLong();
        lock.lock();
        try {
            WgPeer p = table.get(to);
            if (p == null) {
                return false;
            }
            onOutcome(p, p.core.encapsulate(b, now));
        } finally {
            lock.unlock();
        }
        return true;
    }

    /**
     * Acts on the outcome of {@link Peer#reserve} or {@link Peer#encapsulate} (under the lock): counts,
     * sends what must go out now. A reservation counts as a sent packet; a whole encapsulation
     * ({@link #sendInner}: the gateway's own messages) does not, as before.
     */
    private void onOutcome(WgPeer p, Outcome.Encapsulated e) {
        if (e instanceof Outcome.Reserved r) {
            p.txPackets.increment();
            sender.sendAll(p, r.datagrams());
        } else if (e instanceof Outcome.WriteToNetwork w) {
            sender.sendAll(p, w.datagrams());
        } else if (e instanceof Outcome.Queued q) {
            if (q.dropped() != null) {
                counters.count(q.dropped()); // a full staged queue let its oldest packet go
            }
            sender.sendAll(p, q.datagrams());
        } else if (e instanceof Outcome.Drop d) {
            counters.count(d.reason());
        }
    }

    /**
     * Seals the reserved packets (no lock: the entries hold their keypairs) and sends each to its
     * peer's endpoint; with an {@code arena}, each run of consecutive sealed segments laid out in it
     * leaves as one {@link DatagramSender#sendRun}. The batch is empty afterwards.
     */
    private void sealAndSend(SealBatch seals, SegmentArena arena) {
        try {
            seals.sealAll();
            for (int k = 0, n = seals.size(); k < n; k++) {
                if (!seals.sealed(k)) {
                    counters.count(ShellCounters.Reason.OUTBOUND_SEAL_FAILED);
                    continue;
                }
                WgPeer p = (WgPeer) seals.tag(k);
                int from = seals.slot(k);
                if (arena == null || seals.buffer(k) != arena.views[from]) {
                    sender.sendOne(p, seals.buffer(k));
                    continue;
                }
                while (k + 1 < n && seals.sealed(k + 1) && seals.slot(k + 1) == seals.slot(k) + 1
                        && seals.buffer(k + 1) == arena.views[seals.slot(k + 1)]) {
                    k++;
                }
                sender.sendRun(p, arena, from, seals.slot(k) + 1);
            }
        } finally {
            seals.clear();
        }
    }

    /** Cryptokey routing: the peer whose allowed IPs hold the destination, or null (counted). */
    private WgPeer route(ByteBuffer pkt, int pos, int len) {
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
}
