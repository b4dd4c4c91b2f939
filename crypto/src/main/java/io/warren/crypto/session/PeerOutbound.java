package io.warren.crypto.session;

import io.warren.crypto.session.Outcome.Encapsulated;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One peer's outbound half (WireGuard whitepaper §5.4.6 and §6.2; wireguard-go's {@code send.go}):
 *
 * <ol>
 *   <li>take the inner packet from the shell (already routed to this peer by its allowed IPs);</li>
 *   <li>reserve: choose the current keypair, take its next counter, pad in place, run the send
 *       timers ({@link #reserve}); without a usable session, stage the packet and start a
 *       handshake instead;</li>
 *   <li>seal in place behind the type-4 header ({@link SealBatch#sealAll}, or here in
 *       {@link #encapsulate});</li>
 *   <li>the shell sends the datagram to the peer's endpoint.</li>
 * </ol>
 *
 * <p>Staged packets and keepalives (§6.5) are sealed here once a session exists
 * ({@link #sendStaged}, {@link #sendKeepalive}).
 *
 * <p>Threading: every method runs inside the peer's serialisation (the shell's lock); only the
 * sealing of a reserved {@link SealBatch} runs outside it, on the shell's thread, with the
 * keypair reference taken here. The send counter is atomic ({@link Keypair}), the rest is plain.
 *
 * <p>Buffers: a packet with room for the header and padding is sealed in place (the datagram
 * aliases the caller's buffer), else copied once into a fresh one; staged packets live in buffers
 * this peer owns until they are sealed and handed out. The one-datagram results are objects
 * reused per peer (valid until the next call): the steady state allocates nothing per packet.
 */
final class PeerOutbound {
    private final PeerSessions sessions;
    private final PeerTimers timers;
    private final DropCounts drops;
    private final int mtu;
    private final StagedQueue staged;
    /** The reused result of a plain seal (one datagram): see {@link #encapsulate}. */
    private final SealedDatagram sealedOne = new SealedDatagram();
    private final Outcome.WriteToNetwork sealedResult = new Outcome.WriteToNetwork(sealedOne);
    /** The reused result of {@link #reserve}. */
    private final Outcome.Reserved reserved = new Outcome.Reserved();
    /** The one-entry batch of the one-call {@link #encapsulate}. */
    private final SealBatch sealHere = new SealBatch(1, 0);

    PeerOutbound(PeerSessions sessions, PeerTimers timers, DropCounts drops, int mtu) {
        this.sessions = sessions;
        this.timers = timers;
        this.drops = drops;
        this.mtu = mtu;
        this.staged = new StagedQueue(Constants.MAX_STAGED_PACKETS, mtu);
    }

    /** {@link Peer#encapsulate}: {@link #reserve} then sealing here, in one call. */
    Encapsulated encapsulate(ByteBuffer ipPacket, long now) {
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

    /** {@link Peer#reserve}. */
    Encapsulated reserve(ByteBuffer ipPacket, long now, SealBatch into, int slot, Object tag) {
        if (into.isFull()) {
            throw new IllegalArgumentException("seal batch full");
        }
        int length = ipPacket.remaining();
        if (length == 0 || length > Constants.MAX_INNER_PACKET) {
            return drops.drop(DropReason.OUTBOUND_PACKET_INVALID);
        }
        Keypair keypair = sessions.usableForSending(now);
        long counter = keypair == null ? -1 : keypair.nextSendNonce();
        if (keypair == null || Long.compareUnsigned(counter, Constants.REJECT_AFTER_MESSAGES) >= 0
                || !keypair.acquire()) {
            DropReason evicted = null;
            if (staged.stage(ipPacket)) {
                evicted = DropReason.STAGED_QUEUE_FULL;
                drops.count(evicted);
            }
            ByteBuffer initiation = sessions.createInitiation(now, false);
            return new Outcome.Queued(initiation == null ? List.of() : List.of(initiation), evicted);
        }
        ByteBuffer buf = withRoom(ipPacket);
        TransportData.pad(buf, mtu);
        into.add(buf, keypair, counter, slot, tag);
        sentHooks(true, now);
        ByteBuffer initiation = sessions.keepKeyFreshSending(now);
        return reserved.set(initiation == null ? List.of() : List.of(initiation));
    }

    private ByteBuffer withRoom(ByteBuffer ipPacket) {
        int length = ipPacket.remaining();
        int tail = TransportData.tailroom(length, mtu);
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
        TransportData.seal(keypair, counter, buf, mtu);
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

    /** Seals every staged packet with the current keypair, or starts a handshake if there is none. */
    void sendStaged(long now, List<ByteBuffer> out) {
        if (staged.isEmpty()) {
            return;
        }
        Keypair keypair = sessions.usableForSending(now);
        if (keypair == null) {
            ByteBuffer initiation = sessions.createInitiation(now, false);
            if (initiation != null) {
                out.add(initiation);
            }
            return;
        }
        for (ByteBuffer packet = staged.poll(); packet != null; packet = staged.poll()) {
            long counter = keypair.nextSendNonce();
            if (Long.compareUnsigned(counter, Constants.REJECT_AFTER_MESSAGES) >= 0) {
                drops.count(DropReason.NO_SESSION);
                continue;
            }
            out.add(seal(keypair, counter, packet, now));
        }
        ByteBuffer initiation = sessions.keepKeyFreshSending(now);
        if (initiation != null) {
            out.add(initiation);
        }
    }

    /**
     * §6.5: a keepalive is an empty data message; staged packets serve as one when present.
     * Without a session the keepalive waits in the queue and a handshake starts (as wireguard-go).
     */
    void sendKeepalive(long now, List<ByteBuffer> out) {
        if (staged.isEmpty()) {
            staged.stageKeepalive();
        }
        sendStaged(now, out);
    }

    /** Drops every staged packet (the handshake gave up); returns how many. */
    int dropStaged() {
        return staged.clear();
    }

    /** Packets waiting for a session. */
    int stagedPackets() {
        return staged.size();
    }
}
