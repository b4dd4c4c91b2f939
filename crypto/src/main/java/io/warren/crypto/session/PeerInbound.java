package io.warren.crypto.session;

import io.warren.crypto.session.Outcome.Decapsulated;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One peer's inbound half (WireGuard whitepaper §5.4.6 and §6; wireguard-go's {@code receive.go}):
 *
 * <ol>
 *   <li>the shell's device routed the datagram here (receiver index, or the static key of an
 *       initiation); handshake messages (types 1–3) go to {@link PeerSessions} and begin a session;</li>
 *   <li>admit a data message: receiver index -> keypair, referenced for the open ({@link #admit});</li>
 *   <li>open in place ({@link OpenBatch#openAll}, or here in {@link #decapsulate});</li>
 *   <li>accept: refuse what did not authenticate or opened on a destroyed keypair, check the
 *       replay window (after authentication), run the receive timers, confirm a waiting keypair
 *       and flush the staged packets, strip the padding by the inner IP header ({@link #accept});</li>
 *   <li>the shell checks the inner source against the peer's allowed IPs and writes it to the TUN.</li>
 * </ol>
 *
 * <p>Threading: every method runs inside the peer's serialisation (the shell's lock); only the
 * opening of an admitted {@link OpenBatch} runs outside it, on the shell's receive thread, with
 * the keypair reference taken in {@link #admit} and given back in {@link #accept}.
 *
 * <p>Buffers: data is opened in place; the delivered packet is a view of the caller's datagram,
 * in this peer's one reused {@link Outcome.WriteToTunnel} (valid until the next delivery). Lists
 * of datagrams to send are made only when something must be sent.
 */
final class PeerInbound {
    private final PeerSessions sessions;
    private final PeerOutbound outbound;
    private final PeerTimers timers;
    private final DropCounts drops;
    /** The reused result of a delivery: see {@link Peer#decapsulate}. */
    private final Outcome.WriteToTunnel opened = new Outcome.WriteToTunnel();
    /** The one-entry batch of the one-call {@link #decapsulate}. */
    private final OpenBatch openHere = new OpenBatch(1);

    PeerInbound(PeerSessions sessions, PeerOutbound outbound, PeerTimers timers, DropCounts drops) {
        this.sessions = sessions;
        this.outbound = outbound;
        this.timers = timers;
        this.drops = drops;
    }

    /** {@link Peer#decapsulate}. */
    Decapsulated decapsulate(ByteBuffer datagram, long now) {
        if (datagram.remaining() < 4) {
            return drops.drop(DropReason.MESSAGE_TRUNCATED);
        }
        int type = TransportData.messageType(datagram);
        return switch (type) {
            case Constants.MESSAGE_DATA -> receiveData(datagram, now);
            case Constants.MESSAGE_HANDSHAKE_INITIATION, Constants.MESSAGE_HANDSHAKE_RESPONSE,
                    Constants.MESSAGE_HANDSHAKE_COOKIE -> receiveHandshake(datagram, type, now);
            default -> drops.drop(DropReason.UNKNOWN_MESSAGE_TYPE);
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

    /** {@link Peer#admit}. */
    DropReason admit(ByteBuffer datagram, OpenBatch into, Object tag) {
        if (into.isFull()) {
            throw new IllegalArgumentException("open batch full");
        }
        if (datagram.remaining() < Constants.MESSAGE_DATA_MIN_LENGTH
                || TransportData.messageType(datagram) != Constants.MESSAGE_DATA) {
            return drops.refuse(DropReason.MESSAGE_TRUNCATED);
        }
        Keypair keypair = sessions.keypairs().byLocalIndex(TransportData.receiverIndex(datagram));
        if (keypair == null || !keypair.acquire()) {
            return drops.refuse(DropReason.UNKNOWN_RECEIVER_INDEX);
        }
        into.add(datagram, keypair, TransportData.counter(datagram), tag);
        return null;
    }

    /** {@link Peer#accept}. */
    Decapsulated accept(OpenBatch batch, int k, long now) {
        Keypair keypair = batch.keypair(k);
        try {
            DropReason failed = batch.result(k);
            if (failed == null && (keypair == null || keypair.isDestroyed())) {
                failed = DropReason.UNKNOWN_RECEIVER_INDEX;
            }
            if (failed != null) {
                return drops.drop(failed);
            }
            return authenticated(keypair, batch.counter(k), batch.buffer(k), now);
        } finally {
            batch.release(k);
        }
    }

    private Decapsulated authenticated(Keypair keypair, long counter, ByteBuffer datagram, long now) {
        if (!keypair.replayWindow().validate(counter)) {
            return drops.drop(DropReason.REPLAYED_COUNTER);
        }
        // Lists are made only when something is to be sent (the common data packet sends nothing).
        List<ByteBuffer> out = List.of();
        ByteBuffer initiation = sessions.keepKeyFreshReceiving(now);
        if (initiation != null) {
            out = new ArrayList<>(2);
            out.add(initiation);
        }
        timers.anyAuthenticatedPacketTraversal(now);
        timers.anyAuthenticatedPacketReceived();
        if (sessions.keypairs().received(keypair)) {
            timers.handshakeComplete(now);
            if (out.isEmpty()) {
                out = new ArrayList<>(2);
            }
            outbound.sendStaged(now, out);
        }
        ByteBuffer payload = datagram; // opened in place: now the plaintext
        if (!payload.hasRemaining()) {
            return out.isEmpty() ? Outcome.DONE : new Outcome.WriteToNetwork(out);
        }
        timers.dataReceived(now);
        DropReason malformed = InnerPacket.check(payload);
        if (malformed != null) {
            Decapsulated dropped = drops.drop(malformed);
            return out.isEmpty() ? dropped : new Outcome.WriteToNetwork(out, malformed);
        }
        payload.limit(payload.position() + InnerPacket.length(payload));
        return opened.set(payload, out); // reused: the data path allocates nothing per packet
    }

    /**
     * A handshake message: an initiation is answered with a response (we are the responder, the
     * keypair waits in {@code next}); a response completes our initiation (the keypair sends at
     * once, and a keepalive confirms it, §5.4.6); a cookie reply is stored for the retransmit.
     */
    private Decapsulated receiveHandshake(ByteBuffer datagram, int type, long now) {
        boolean initiation = type == Constants.MESSAGE_HANDSHAKE_INITIATION;
        Handshaker.Outcome outcome = sessions.consume(datagram, initiation, now);
        if (!(outcome instanceof Handshaker.Established established)) {
            if (outcome instanceof Handshaker.Rejected rejected) {
                return drops.drop(rejected.reason());
            }
            return Outcome.DONE; // cookie stored: the retransmit timer resends with mac2
        }
        Keypair keypair = sessions.derive(established, now);
        List<ByteBuffer> out = new ArrayList<>(2);
        timers.anyAuthenticatedPacketTraversal(now);
        timers.anyAuthenticatedPacketReceived();
        if (!keypair.isInitiator() && !initiation) {
            sessions.discard(keypair);
            return drops.drop(DropReason.HANDSHAKE_REJECTED);
        }
        sessions.begin(keypair, now);
        if (keypair.isInitiator()) {
            outbound.sendKeepalive(now, out); // confirms the session to the responder (§5.4.6)
        } else {
            timers.anyAuthenticatedPacketTraversal(now);
            timers.anyAuthenticatedPacketSent();
            out.add(established.response());
        }
        return new Outcome.WriteToNetwork(out);
    }
}
