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
 * <p>Inputs: {@code now} is a monotonic time in nanos; the wall clock (for TAI64N) and the
 * randomness (for timer jitter) are injected. Not thread-safe: the shell calls one peer from
 * one thread at a time (all methods of this class; the batches' AEAD halves excepted).
 */
public final class Peer {
    private final Handshaker handshaker;
    private final IndexAllocator indices;
    private final LongSupplier wallClockNanos;
    private final PeerConfig config;
    private final Keypairs keypairs;
    private final StagedQueue staged;
    private final PeerTimers timers;
    private final long[] drops = new long[DropReason.values().length];
    /** The reused result of a plain seal (one datagram): see {@link #encapsulate}. */
    private final SealedDatagram sealedOne = new SealedDatagram();
    private final Outcome.WriteToNetwork sealedResult = new Outcome.WriteToNetwork(sealedOne);
    /** The reused result of a delivery: see {@link #decapsulate}. */
    private final Outcome.WriteToTunnel opened = new Outcome.WriteToTunnel();
    /** The reused result of {@link #reserve}. */
    private final Outcome.Reserved reserved = new Outcome.Reserved();
    /** The one-entry batches of the one-call {@link #encapsulate} and {@link #decapsulate}. */
    private final SealBatch sealHere = new SealBatch(1, 0);
    private final OpenBatch openHere = new OpenBatch(1);

    private boolean handshakePending;
    private int pendingIndex;
    private boolean sentAnyInitiation;
    private long lastSentHandshake;

    public Peer(Handshaker handshaker, IndexAllocator indices, RandomGenerator random,
                LongSupplier wallClockNanos, PeerConfig config) {
        this(handshaker, indices, random, wallClockNanos, config, new NextDeadline());
    }

    /** As above, offering every timer deadline to {@code next} (its {@link Device}'s bound). */
    Peer(Handshaker handshaker, IndexAllocator indices, RandomGenerator random,
         LongSupplier wallClockNanos, PeerConfig config, NextDeadline next) {
        this.handshaker = handshaker;
        this.indices = indices;
        this.wallClockNanos = wallClockNanos;
        this.config = config;
        this.keypairs = new Keypairs(kp -> indices.release(kp.localIndex()));
        this.staged = new StagedQueue(Constants.MAX_STAGED_PACKETS, config.mtu());
        this.timers = new PeerTimers(random, config.persistentKeepaliveNanos(), next);
    }

    // ---- outbound -------------------------------------------------------------------------

    /**
     * Encapsulates the inner IP packet {@code ipPacket[position, limit)}. When the buffer has 16
     * bytes before the position and {@link TransportData#tailroom} after the limit, it is sealed
     * in place and the returned datagram aliases it; otherwise the packet is copied. The common
     * result (one sealed datagram) is an object this peer reuses: read it before the next
     * {@code encapsulate} on the same peer. {@link #reserve} then sealing here, in one call.
     */
    public Encapsulated encapsulate(ByteBuffer ipPacket, long now) {
        Encapsulated e = reserve(ipPacket, now, sealHere, 0, null);
        if (!(e instanceof Outcome.Reserved r)) {
            return e;
        }
        ByteBuffer datagram = sealHere.buffer(0);
        try {
            sealHere.sealAll();
            if (!sealHere.sealed(0)) {
                throw new IllegalStateException("the cipher failed to seal");
            }
        } finally {
            sealHere.clear();
        }
        if (r.datagrams().isEmpty()) {
            sealedOne.set(datagram);
            return sealedResult; // reused: the data path allocates nothing per packet
        }
        return new Outcome.WriteToNetwork(List.of(datagram, r.datagrams().get(0)));
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
        if (into.isFull()) {
            throw new IllegalArgumentException("seal batch full");
        }
        int length = ipPacket.remaining();
        if (length == 0 || length > Constants.MAX_INNER_PACKET) {
            return drop(DropReason.OUTBOUND_PACKET_INVALID);
        }
        Keypair keypair = usableForSending(now);
        long counter = keypair == null ? -1 : keypair.nextSendNonce();
        if (keypair == null || Long.compareUnsigned(counter, Constants.REJECT_AFTER_MESSAGES) >= 0
                || !keypair.acquire()) {
            if (staged.stage(ipPacket)) {
                count(DropReason.STAGED_QUEUE_FULL);
            }
            ByteBuffer initiation = sendHandshakeInitiation(now, false);
            return new Outcome.Queued(initiation == null ? List.of() : List.of(initiation));
        }
        ByteBuffer buf = withRoom(ipPacket);
        TransportData.pad(buf, config.mtu());
        into.add(buf, keypair, counter, slot, tag);
        sentHooks(true, now);
        ByteBuffer initiation = keepKeyFreshSending(now);
        return reserved.set(initiation == null ? List.of() : List.of(initiation));
    }

    private ByteBuffer withRoom(ByteBuffer ipPacket) {
        int length = ipPacket.remaining();
        int tail = TransportData.tailroom(length, config.mtu());
        if (ipPacket.position() >= Constants.MESSAGE_DATA_HEADER_LENGTH
                && ipPacket.capacity() - ipPacket.limit() >= tail && !ipPacket.isReadOnly()) {
            return ipPacket;
        }
        ByteBuffer copy = ByteBuffer.allocate(Constants.MESSAGE_DATA_HEADER_LENGTH + length + tail);
        copy.position(Constants.MESSAGE_DATA_HEADER_LENGTH).put(ipPacket.duplicate());
        return copy.limit(copy.position()).position(Constants.MESSAGE_DATA_HEADER_LENGTH);
    }

    /** Seals and runs the send hooks; an empty payload is a keepalive. */
    private ByteBuffer seal(Keypair keypair, long counter, ByteBuffer buf, long now) {
        boolean isData = buf.hasRemaining();
        TransportData.seal(keypair, counter, buf, config.mtu());
        sentHooks(isData, now);
        return buf;
    }

    private void sentHooks(boolean isData, long now) {
        timers.anyAuthenticatedPacketTraversal(now);
        timers.anyAuthenticatedPacketSent();
        if (isData) {
            timers.dataSent(now);
        }
    }

    private Keypair usableForSending(long now) {
        Keypair keypair = keypairs.current();
        if (keypair == null || keypair.isExpired(now)
                || Long.compareUnsigned(keypair.sendNonce(), Constants.REJECT_AFTER_MESSAGES) >= 0) {
            return null;
        }
        return keypair;
    }

    /** §6.2: the initiator of the current session starts a new one when it grows old. */
    private ByteBuffer keepKeyFreshSending(long now) {
        Keypair keypair = keypairs.current();
        if (keypair == null || !keypair.isInitiator()) {
            return null;
        }
        if (Long.compareUnsigned(keypair.sendNonce(), Constants.REKEY_AFTER_MESSAGES) > 0
                || ProtocolTimers.olderThan(now, keypair.created(), ProtocolTimers.REKEY_AFTER_TIME)) {
            return sendHandshakeInitiation(now, false);
        }
        return null;
    }

    /** §6.2: receiving on an old keypair we initiated triggers one last-minute handshake. */
    private ByteBuffer keepKeyFreshReceiving(long now) {
        if (timers.sentLastMinuteHandshake) {
            return null;
        }
        Keypair keypair = keypairs.current();
        if (keypair != null && keypair.isInitiator()
                && ProtocolTimers.olderThan(now, keypair.created(), ProtocolTimers.REKEY_ON_RECEIVE_AGE)) {
            timers.sentLastMinuteHandshake = true;
            return sendHandshakeInitiation(now, false);
        }
        return null;
    }

    /**
     * Creates an initiation unless one was sent less than REKEY_TIMEOUT ago (§6.3); returns null
     * when rate-limited. A non-retry resets the attempt counter.
     */
    private ByteBuffer sendHandshakeInitiation(long now, boolean isRetry) {
        if (!isRetry) {
            timers.handshakeAttempts = 0;
        }
        if (sentAnyInitiation && !ProtocolTimers.olderThan(now, lastSentHandshake, ProtocolTimers.REKEY_TIMEOUT - 1)) {
            return null;
        }
        sentAnyInitiation = true;
        lastSentHandshake = now;
        releasePendingIndex();
        pendingIndex = indices.allocate();
        handshakePending = true;
        ByteBuffer initiation = handshaker.createInitiation(pendingIndex, now, wallClockNanos.getAsLong());
        timers.anyAuthenticatedPacketTraversal(now);
        timers.anyAuthenticatedPacketSent();
        timers.handshakeInitiated(now);
        return initiation;
    }

    private void releasePendingIndex() {
        if (handshakePending) {
            indices.release(pendingIndex);
            handshakePending = false;
        }
    }

    /** Seals every staged packet with the current keypair, or starts a handshake if there is none. */
    private void sendStaged(long now, List<ByteBuffer> out) {
        if (staged.isEmpty()) {
            return;
        }
        Keypair keypair = usableForSending(now);
        if (keypair == null) {
            ByteBuffer initiation = sendHandshakeInitiation(now, false);
            if (initiation != null) {
                out.add(initiation);
            }
            return;
        }
        for (ByteBuffer packet = staged.poll(); packet != null; packet = staged.poll()) {
            long counter = keypair.nextSendNonce();
            if (Long.compareUnsigned(counter, Constants.REJECT_AFTER_MESSAGES) >= 0) {
                count(DropReason.NO_SESSION);
                continue;
            }
            out.add(seal(keypair, counter, packet, now));
        }
        ByteBuffer initiation = keepKeyFreshSending(now);
        if (initiation != null) {
            out.add(initiation);
        }
    }

    /**
     * §6.5: a keepalive is an empty data message; staged packets serve as one when present.
     * Without a session the keepalive waits in the queue and a handshake starts (as wireguard-go).
     */
    private void sendKeepalive(long now, List<ByteBuffer> out) {
        if (staged.isEmpty()) {
            staged.stageKeepalive();
        }
        sendStaged(now, out);
    }

    // ---- inbound --------------------------------------------------------------------------

    /**
     * Decapsulates one datagram {@code datagram[position, limit)} received from this peer's
     * endpoint (the device has already routed it here by receiver index or handshake key). Data
     * is opened in place: {@link Outcome.WriteToTunnel#packet()} is a view of {@code datagram}. A
     * {@code WriteToTunnel} is this peer's one instance, valid until its next {@code decapsulate}.
     */
    public Decapsulated decapsulate(ByteBuffer datagram, long now) {
        if (datagram.remaining() < 4) {
            return drop(DropReason.MESSAGE_TRUNCATED);
        }
        int type = TransportData.messageType(datagram);
        return switch (type) {
            case Constants.MESSAGE_DATA -> receiveData(datagram, now);
            case Constants.MESSAGE_HANDSHAKE_INITIATION, Constants.MESSAGE_HANDSHAKE_RESPONSE,
                    Constants.MESSAGE_HANDSHAKE_COOKIE -> receiveHandshake(datagram, type, now);
            default -> drop(DropReason.UNKNOWN_MESSAGE_TYPE);
        };
    }

    private Decapsulated receiveData(ByteBuffer datagram, long now) {
        DropReason refused = admit(datagram, openHere, null);
        if (refused != null) {
            return Outcome.Drop.of(refused);
        }
        try {
            openHere.openAll(now);
            return accept(openHere, 0, now);
        } finally {
            openHere.clear();
        }
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
        if (into.isFull()) {
            throw new IllegalArgumentException("open batch full");
        }
        if (datagram.remaining() < Constants.MESSAGE_DATA_MIN_LENGTH
                || TransportData.messageType(datagram) != Constants.MESSAGE_DATA) {
            return dropReason(DropReason.MESSAGE_TRUNCATED);
        }
        Keypair keypair = keypairs.byLocalIndex(TransportData.receiverIndex(datagram));
        if (keypair == null || !keypair.acquire()) {
            return dropReason(DropReason.UNKNOWN_RECEIVER_INDEX);
        }
        into.add(datagram, keypair, TransportData.counter(datagram), tag);
        return null;
    }

    /**
     * The state half of receiving entry {@code k} of {@code batch}, after
     * {@link OpenBatch#openAll}: refuses what failed to authenticate or what a keypair destroyed
     * since {@link #admit} opened (rotated out, expired, peer removed), then checks the replay
     * window (after authentication, §5.4.6), runs the timers, confirms a waiting keypair and
     * returns what {@link #decapsulate} returns. Releases the entry's keypair reference.
     */
    public Decapsulated accept(OpenBatch batch, int k, long now) {
        Keypair keypair = batch.keypair(k);
        try {
            DropReason failed = batch.result(k);
            if (failed == null && (keypair == null || keypair.isDestroyed())) {
                failed = DropReason.UNKNOWN_RECEIVER_INDEX;
            }
            if (failed != null) {
                return drop(failed);
            }
            return authenticated(keypair, batch.counter(k), batch.buffer(k), now);
        } finally {
            batch.release(k);
        }
    }

    private Decapsulated authenticated(Keypair keypair, long counter, ByteBuffer datagram, long now) {
        if (!keypair.replayWindow().validate(counter)) {
            return drop(DropReason.REPLAYED_COUNTER);
        }
        // Lists are made only when something is to be sent (the common data packet sends nothing).
        List<ByteBuffer> out = List.of();
        ByteBuffer initiation = keepKeyFreshReceiving(now);
        if (initiation != null) {
            out = new ArrayList<>(2);
            out.add(initiation);
        }
        timers.anyAuthenticatedPacketTraversal(now);
        timers.anyAuthenticatedPacketReceived();
        if (keypairs.received(keypair)) {
            timers.handshakeComplete(now);
            if (out.isEmpty()) {
                out = new ArrayList<>(2);
            }
            sendStaged(now, out);
        }
        ByteBuffer payload = datagram; // opened in place: now the plaintext
        if (!payload.hasRemaining()) {
            return out.isEmpty() ? Outcome.DONE : new Outcome.WriteToNetwork(out);
        }
        timers.dataReceived(now);
        DropReason malformed = InnerPacket.check(payload);
        if (malformed != null) {
            Decapsulated dropped = drop(malformed);
            return out.isEmpty() ? dropped : new Outcome.WriteToNetwork(out);
        }
        payload.limit(payload.position() + InnerPacket.length(payload));
        return opened.set(payload, out); // reused: the data path allocates nothing per packet
    }

    private Decapsulated receiveHandshake(ByteBuffer datagram, int type, long now) {
        boolean initiation = type == Constants.MESSAGE_HANDSHAKE_INITIATION;
        int responseIndex = initiation ? indices.allocate() : 0;
        Handshaker.Outcome outcome = handshaker.consume(datagram, responseIndex, now);
        if (!(outcome instanceof Handshaker.Established established)) {
            if (initiation) {
                indices.release(responseIndex);
            }
            if (outcome instanceof Handshaker.Rejected rejected) {
                return drop(rejected.reason());
            }
            return Outcome.DONE; // cookie stored: the retransmit timer resends with mac2
        }
        Keypair keypair = new Keypair(established.keys(), now, config.aead(), config.sealLanes());
        List<ByteBuffer> out = new ArrayList<>(2);
        timers.anyAuthenticatedPacketTraversal(now);
        timers.anyAuthenticatedPacketReceived();
        if (keypair.isInitiator()) {
            handshakePending = false; // the pending index now belongs to the keypair
            timers.sessionDerived(now);
            timers.handshakeComplete(now);
            keypairs.install(keypair);
            sendKeepalive(now, out); // confirms the session to the responder (§5.4.6)
        } else {
            if (!initiation) {
                indices.release(keypair.localIndex());
                keypair.destroy();
                return drop(DropReason.HANDSHAKE_REJECTED);
            }
            releasePendingIndex(); // our own initiation, if any, is superseded
            keypairs.install(keypair);
            timers.sessionDerived(now);
            timers.anyAuthenticatedPacketTraversal(now);
            timers.anyAuthenticatedPacketSent();
            out.add(established.response());
        }
        return new Outcome.WriteToNetwork(out);
    }

    // ---- timers ---------------------------------------------------------------------------

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
                int dropped = staged.clear();
                drops[DropReason.HANDSHAKE_GAVE_UP.ordinal()] += dropped;
                if (!timers.zeroKeyMaterial.pending) {
                    timers.zeroKeyMaterial.mod(now + ProtocolTimers.REJECT_AFTER_TIME * 3);
                }
                actions.add(new Outcome.GaveUp(dropped));
            } else {
                timers.handshakeAttempts++;
                ByteBuffer initiation = sendHandshakeInitiation(now, true);
                if (initiation != null) {
                    actions.add(new Outcome.Send(initiation, Outcome.SendKind.INITIATION));
                }
            }
        }
        if (timers.sendKeepalive.expire(now)) {
            sendKeepalive(now, out);
            addSends(out, actions);
            if (timers.needAnotherKeepalive) {
                timers.needAnotherKeepalive = false;
                timers.sendKeepalive.mod(now + ProtocolTimers.KEEPALIVE_TIMEOUT);
            }
        }
        if (timers.newHandshake.expire(now)) {
            ByteBuffer initiation = sendHandshakeInitiation(now, false);
            if (initiation != null) {
                actions.add(new Outcome.Send(initiation, Outcome.SendKind.INITIATION));
            }
        }
        if (timers.zeroKeyMaterial.expire(now)) {
            keypairs.clear();
            handshaker.clear();
            releasePendingIndex();
            actions.add(new Outcome.KeysZeroed());
        }
        if (timers.persistentKeepalive.expire(now) && config.persistentKeepaliveNanos() > 0) {
            sendKeepalive(now, out);
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

    // ---- state for the shell and tests -----------------------------------------------------

    /** Packets dropped for {@code reason} since creation. */
    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** The keypair set (read-only use: inspection and metrics). */
    public Keypairs keypairs() {
        return keypairs;
    }

    /** Monotonic time of the last completed handshake, or -1 if none. */
    public long lastHandshake() {
        return timers.handshakeCompleted ? timers.lastHandshake : -1;
    }

    /** Packets waiting for a session. */
    public int stagedPackets() {
        return staged.size();
    }

    private Outcome.Drop drop(DropReason reason) {
        count(reason);
        return Outcome.Drop.of(reason);
    }

    private DropReason dropReason(DropReason reason) {
        count(reason);
        return reason;
    }

    private void count(DropReason reason) {
        drops[reason.ordinal()]++;
    }
}
