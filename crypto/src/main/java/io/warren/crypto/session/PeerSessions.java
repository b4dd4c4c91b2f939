package io.warren.crypto.session;

import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * One peer's sessions: its keypairs ({@link Keypairs}: previous, current, next) and the handshake
 * that derives the next one (WireGuard whitepaper §5.4.2–§5.4.6 and §6.2–§6.3; the handshake half
 * of wireguard-go's {@code peer.go} and {@code noise-protocol.go}). It decides which keypair may
 * send and when a session is old enough to rekey, creates initiations (at most one per
 * REKEY_TIMEOUT, §6.3), consumes handshake messages through the {@link Handshaker} port, begins
 * the session a handshake derived, and zeroes everything (§6.1). It owns the local index of the
 * handshake in flight until the derived keypair takes it over.
 *
 * <p>Threading: called inside the peer's serialisation only (the shell's lock), by
 * {@link PeerOutbound}, {@link PeerInbound} and {@link Peer#updateTimers}. The keypairs it hands
 * out are reference-counted ({@link Keypair#acquire}) by the callers that seal or open outside it.
 *
 * <p>Buffers: initiations and responses are fresh buffers made by the handshaker, handed to the
 * caller; a consumed handshake message is read, not kept.
 */
final class PeerSessions {
    private final Handshaker handshaker;
    private final IndexAllocator indices;
    private final LongSupplier wallClockNanos;
    private final PeerConfig config;
    private final PeerTimers timers;
    private final Keypairs keypairs;

    private boolean handshakePending;
    private int pendingIndex;
    private boolean sentAnyInitiation;
    private long lastSentHandshake;

    PeerSessions(Handshaker handshaker, IndexAllocator indices, LongSupplier wallClockNanos,
                 PeerConfig config, PeerTimers timers) {
        this.handshaker = handshaker;
        this.indices = indices;
        this.wallClockNanos = wallClockNanos;
        this.config = config;
        this.timers = timers;
        this.keypairs = new Keypairs(kp -> indices.release(kp.localIndex()));
    }

    Keypairs keypairs() {
        return keypairs;
    }

    /** The current keypair when it may still send at {@code now} (§6.1 limits), else null. */
    Keypair usableForSending(long now) {
        Keypair keypair = keypairs.current();
        if (keypair == null || keypair.isExpired(now)
                || Long.compareUnsigned(keypair.sendNonce(), Constants.REJECT_AFTER_MESSAGES) >= 0) {
            return null;
        }
        return keypair;
    }

    /** §6.2: the initiator of the current session starts a new one when it grows old. */
    ByteBuffer keepKeyFreshSending(long now) {
        Keypair keypair = keypairs.current();
        if (keypair == null || !keypair.isInitiator()) {
            return null;
        }
        if (Long.compareUnsigned(keypair.sendNonce(), Constants.REKEY_AFTER_MESSAGES) > 0
                || ProtocolTimers.olderThan(now, keypair.created(), ProtocolTimers.REKEY_AFTER_TIME)) {
            return createInitiation(now, false);
        }
        return null;
    }

    /** §6.2: receiving on an old keypair we initiated triggers one last-minute handshake. */
    ByteBuffer keepKeyFreshReceiving(long now) {
        if (timers.sentLastMinuteHandshake) {
            return null;
        }
        Keypair keypair = keypairs.current();
        if (keypair != null && keypair.isInitiator()
                && ProtocolTimers.olderThan(now, keypair.created(), ProtocolTimers.REKEY_ON_RECEIVE_AGE)) {
            timers.sentLastMinuteHandshake = true;
            return createInitiation(now, false);
        }
        return null;
    }

    /**
     * Creates an initiation unless one was sent less than REKEY_TIMEOUT ago (§6.3); returns null
     * when rate-limited or when no handshake can succeed ({@link Handshaker#canInitiate()}). A
     * non-retry resets the attempt counter.
     */
    ByteBuffer createInitiation(long now, boolean isRetry) {
        if (!handshaker.canInitiate()) {
            return null;
        }
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

    /**
     * Consumes a handshake message (types 1–3); an {@code initiation} gets a fresh local index for
     * its response, given back unless the handshake established a session.
     */
    Handshaker.Outcome consume(ByteBuffer datagram, boolean initiation, long now) {
        int responseIndex = initiation ? indices.allocate() : 0;
        Handshaker.Outcome outcome = handshaker.consume(datagram, responseIndex, now);
        if (initiation && !(outcome instanceof Handshaker.Established)) {
            indices.release(responseIndex);
        }
        return outcome;
    }

    /** The keypair of an established handshake (its keys taken, the handshake's copy wiped). */
    Keypair derive(Handshaker.Established established, long now) {
        return new Keypair(established.keys(), now, config.aead(), config.sealLanes());
    }

    /**
     * Begins the session of {@code keypair} (wireguard-go's {@code BeginSymmetricSession}). As
     * initiator (a response arrived) the handshake is complete and the keypair sends at once; as
     * responder it waits in {@code next} for the initiator's first data message, and an initiation
     * of our own in flight is superseded.
     */
    void begin(Keypair keypair, long now) {
        if (keypair.isInitiator()) {
            handshakePending = false; // the pending index now belongs to the keypair
            timers.sessionDerived(now);
            timers.handshakeComplete(now);
            keypairs.install(keypair);
        } else {
            releasePendingIndex();
            keypairs.install(keypair);
            timers.sessionDerived(now);
        }
    }

    /** Throws away a derived keypair that is not to be used (its index given back). */
    void discard(Keypair keypair) {
        indices.release(keypair.localIndex());
        keypair.destroy();
    }

    /** §6.1: destroys every keypair and the handshake state (REJECT_AFTER_TIME * 3 without a session). */
    void zero() {
        keypairs.clear();
        handshaker.clear();
        releasePendingIndex();
    }

    private void releasePendingIndex() {
        if (handshakePending) {
            indices.release(pendingIndex);
            handshakePending = false;
        }
    }
}
