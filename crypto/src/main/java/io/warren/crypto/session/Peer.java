package io.warren.crypto.session;

import io.warren.crypto.session.Outcome.Decapsulated;
import io.warren.crypto.session.Outcome.Encapsulated;
import io.warren.crypto.session.Outcome.TimerAction;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * One WireGuard peer's data path as a sans-I/O state machine (WireGuard whitepaper §5.4.6 and §6;
 * the shape of boringtun's {@code Tunn}, the rules of wireguard-go's {@code send.go},
 * {@code receive.go} and {@code timers.go}).
 *
 * <ol>
 *   <li>{@link #encapsulate}: inner packet from the TUN -> current keypair -> pad, seal in place
 *       -> datagram; without a usable keypair, stage the packet and start a handshake.</li>
 *   <li>{@link #decapsulate}: datagram -> handshake port (types 1–3) or receiver index -> keypair
 *       -> open -> replay check -> timers -> inner packet and its source for the shell's
 *       allowed-IPs check.</li>
 *   <li>{@link #updateTimers}: fire the §6 timers that expired by {@code now}.</li>
 * </ol>
 *
 * <p>For a shell that seals and opens on several threads, each direction also comes in two
 * halves: {@link #reserve} (state, serialised) then {@link SealBatch#sealAll} (AEAD, any thread);
 * {@link #admit} (state) then {@link OpenBatch#openAll} (AEAD, any thread) then {@link #accept}
 * (state: replay window, timers, rotation). The AEAD halves hold a reference to their keypair,
 * so a keypair destroyed meanwhile keeps its ciphers until they finish ({@link Keypair}).
 *
 * <p>This class is the peer's face and its timer expiry; the work is done by one collaborator per
 * concern: {@link PeerOutbound} (reserve, seal, staged packets, keepalives), {@link PeerInbound}
 * (admit, accept, handshake messages), {@link PeerSessions} (keypairs and the handshake state),
 * {@link PeerTimers} (the §6 deadlines and their hooks), {@link DropCounts}.
 *
 * <p>Inputs: {@code now} is a monotonic time in nanos; the wall clock (for TAI64N) and the
 * randomness (for timer jitter) are injected. Not thread-safe: the shell calls one peer from
 * one thread at a time (all methods of this class; the batches' AEAD halves excepted).
 */
public final class Peer {
    private final PeerConfig config;
    private final PeerTimers timers;
    private final DropCounts drops = new DropCounts();
    private final PeerSessions sessions;
    private final PeerOutbound outbound;
    private final PeerInbound inbound;

    public Peer(Handshaker handshaker, IndexAllocator indices, RandomGenerator random,
                LongSupplier wallClockNanos, PeerConfig config) {
        this(handshaker, indices, random, wallClockNanos, config, new NextDeadline());
    }

    /** As above, offering every timer deadline to {@code next} (its {@link Device}'s bound). */
    Peer(Handshaker handshaker, IndexAllocator indices, RandomGenerator random,
         LongSupplier wallClockNanos, PeerConfig config, NextDeadline next) {
        this.config = config;
        this.timers = new PeerTimers(random, config.persistentKeepaliveNanos(), next);
        this.sessions = new PeerSessions(handshaker, indices, wallClockNanos, config, timers);
        this.outbound = new PeerOutbound(sessions, timers, drops, config.mtu());
        this.inbound = new PeerInbound(sessions, outbound, timers, drops);
    }

    // ---- outbound: PeerOutbound -------------------------------------------------------------

    /**
     * Encapsulates the inner IP packet {@code ipPacket[position, limit)}. When the buffer has 16
     * bytes before the position and {@link TransportData#tailroom} after the limit, it is sealed
     * in place and the returned datagram aliases it; otherwise the packet is copied. The common
     * result (one sealed datagram) is an object this peer reuses: read it before the next
     * {@code encapsulate} on the same peer. {@link #reserve} then sealing here, in one call.
     */
    public Encapsulated encapsulate(ByteBuffer ipPacket, long now) {
        return outbound.encapsulate(ipPacket, now);
    }

    /**
     * The state half of {@link #encapsulate}, for a shell that seals outside its lock: chooses the
     * current keypair, reserves the counter, writes the padding and runs the send timers, then
     * records the packet in {@code into} (with a reference to the keypair) under the caller's
     * {@code slot} and {@code tag}; the caller seals the batch ({@link SealBatch#sealAll}) and
     * sends each datagram. Returns {@link Outcome.Reserved} (this peer's one instance: read it
     * before the next call) with any datagram to send as well (an initiation, §6.2), or, without
     * a usable session, {@link Outcome.Queued} or a drop as {@code encapsulate}.
     *
     * @throws IllegalArgumentException when {@code into} is full (nothing changed)
     */
    public Encapsulated reserve(ByteBuffer ipPacket, long now, SealBatch into, int slot, Object tag) {
        return outbound.reserve(ipPacket, now, into, slot, tag);
    }

    // ---- inbound: PeerInbound ---------------------------------------------------------------

    /**
     * Decapsulates one datagram {@code datagram[position, limit)} received from this peer's
     * endpoint (the device has already routed it here by receiver index or handshake key). Data
     * is opened in place: {@link Outcome.WriteToTunnel#packet()} is a view of {@code datagram}. A
     * {@code WriteToTunnel} is this peer's one instance, valid until its next {@code decapsulate}.
     */
    public Decapsulated decapsulate(ByteBuffer datagram, long now) {
        return inbound.decapsulate(datagram, now);
    }

    /**
     * The lookup half of receiving a data message, for a shell that opens outside its lock:
     * finds the keypair by receiver index and records the datagram in {@code into} with a
     * reference to it and the caller's {@code tag}. Returns null when recorded, else the reason
     * (counted). The caller then opens the batch ({@link OpenBatch#openAll}) and calls
     * {@link #accept} for each entry.
     *
     * @throws IllegalArgumentException when {@code into} is full (nothing changed)
     */
    public DropReason admit(ByteBuffer datagram, OpenBatch into, Object tag) {
        return inbound.admit(datagram, into, tag);
    }

    /**
     * The state half of receiving entry {@code k} of {@code batch}, after
     * {@link OpenBatch#openAll}: refuses what failed to authenticate or what a keypair destroyed
     * since {@link #admit} opened (rotated out, expired, peer removed), then checks the replay
     * window (after authentication, §5.4.6), runs the timers, confirms a waiting keypair and
     * returns what {@link #decapsulate} returns. Releases the entry's keypair reference.
     */
    public Decapsulated accept(OpenBatch batch, int k, long now) {
        return inbound.accept(batch, k, now);
    }

    // ---- timers -----------------------------------------------------------------------------

    /**
     * Fires every §6 timer that expired by {@code now}, in the kernel's order, and offers the
     * deadlines still armed to the device's bound ({@link NextDeadline}).
     */
    public List<TimerAction> updateTimers(long now) {
        if (!timers.anyDue(now)) {
            // Nothing can fire: no lists are allocated.
            timers.reofferArmed();
            return List.of();
        }
        List<TimerAction> actions = fireTimers(now);
        timers.reofferArmed();
        return actions;
    }

    private List<TimerAction> fireTimers(long now) {
        List<TimerAction> actions = new ArrayList<>(0);
        List<ByteBuffer> out = new ArrayList<>(0);
        if (timers.retransmitHandshake.expire(now)) {
            if (timers.handshakeAttempts > ProtocolTimers.MAX_TIMER_HANDSHAKES) {
                timers.sendKeepalive.del();
                int dropped = outbound.dropStaged();
                drops.add(DropReason.HANDSHAKE_GAVE_UP, dropped);
                if (!timers.zeroKeyMaterial.pending) {
                    timers.zeroKeyMaterial.mod(now + ProtocolTimers.REJECT_AFTER_TIME * 3);
                }
                actions.add(new Outcome.GaveUp(dropped));
            } else {
                timers.handshakeAttempts++;
                ByteBuffer initiation = sessions.createInitiation(now, true);
                if (initiation != null) {
                    actions.add(new Outcome.Send(initiation, Outcome.SendKind.INITIATION));
                }
            }
        }
        if (timers.sendKeepalive.expire(now)) {
            outbound.sendKeepalive(now, out);
            addSends(out, actions);
            if (timers.needAnotherKeepalive) {
                timers.needAnotherKeepalive = false;
                timers.sendKeepalive.mod(now + ProtocolTimers.KEEPALIVE_TIMEOUT);
            }
        }
        if (timers.newHandshake.expire(now)) {
            ByteBuffer initiation = sessions.createInitiation(now, false);
            if (initiation != null) {
                actions.add(new Outcome.Send(initiation, Outcome.SendKind.INITIATION));
            }
        }
        if (timers.zeroKeyMaterial.expire(now)) {
            sessions.zero();
            actions.add(new Outcome.KeysZeroed());
        }
        if (timers.persistentKeepalive.expire(now) && config.persistentKeepaliveNanos() > 0) {
            outbound.sendKeepalive(now, out);
            addSends(out, actions);
        }
        return actions;
    }

    private static void addSends(List<ByteBuffer> out, List<TimerAction> actions) {
        for (ByteBuffer datagram : out) {
            int type = TransportData.messageType(datagram);
            boolean isKeepalive = type == Constants.MESSAGE_DATA
                    && datagram.remaining() == Constants.MESSAGE_DATA_MIN_LENGTH;
            Outcome.SendKind kind = type != Constants.MESSAGE_DATA ? Outcome.SendKind.INITIATION
                    : isKeepalive ? Outcome.SendKind.KEEPALIVE : Outcome.SendKind.DATA;
            actions.add(new Outcome.Send(datagram, kind));
        }
        out.clear();
    }

    /**
     * The peer is removed: destroys its keypairs and handshake and gives back every index it
     * holds, the one of an initiation in flight included (§6.1 zeroing, for good).
     */
    void close() {
        sessions.zero();
    }

    // ---- state for the shell and tests -------------------------------------------------------

    /** Packets dropped for {@code reason} since creation. */
    public long drops(DropReason reason) {
        return drops.get(reason);
    }

    /** The keypair set (read-only use: inspection and metrics). */
    public Keypairs keypairs() {
        return sessions.keypairs();
    }

    /** Monotonic time of the last completed handshake, or -1 if none. */
    public long lastHandshake() {
        return timers.handshakeCompleted ? timers.lastHandshake : -1;
    }

    /** Packets waiting for a session. */
    public int stagedPackets() {
        return outbound.stagedPackets();
    }
}
