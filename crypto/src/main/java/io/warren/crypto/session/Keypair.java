package io.warren.crypto.session;

import io.warren.crypto.noise.SessionKeys;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One transport session (WireGuard whitepaper §5.4.5–§5.4.6): the two transport keys (as
 * {@link TransportAead} instances), the indices, the send counter, the receive replay window,
 * the creation time and the role. Built from the handshake's {@link SessionKeys}, which it
 * wipes when it no longer needs them.
 *
 * <p>Threading: the send counter is atomic (several sender threads may reserve counters); the
 * ciphers and replay window belong to the owning {@link Peer}'s thread.
 */
public final class Keypair {
    private final TransportAead send;
    private final TransportAead receive;
    private final ReplayWindow replayWindow = new ReplayWindow();
    private final AtomicLong sendNonce = new AtomicLong();
    private final int localIndex;
    private final int remoteIndex;
    private final boolean initiator;
    private final long created;
    private boolean destroyed;

    /** Takes the keys of {@code keys} (then wipes {@code keys}) at monotonic time {@code now}. */
    public Keypair(SessionKeys keys, long now, TransportAeadFactory aead) {
        this.send = aead.create(keys.sendKey());
        this.receive = aead.create(keys.receiveKey());
        this.localIndex = keys.localIndex();
        this.remoteIndex = keys.remoteIndex();
        this.initiator = keys.isInitiator();
        this.created = now;
        keys.destroy();
    }

    /** The index the peer puts in the receiver field of messages to us. */
    public int localIndex() { return localIndex; }

    /** The index we put in the receiver field of messages to the peer. */
    public int remoteIndex() { return remoteIndex; }

    /** True when this side sent the initiation that created this keypair. */
    public boolean isInitiator() { return initiator; }

    /** Monotonic creation time in nanos. */
    public long created() { return created; }

    /** Reserves the next send counter (atomic); the caller checks it against the limits. */
    long nextSendNonce() { return sendNonce.getAndIncrement(); }

    /** Counters sent so far (the next counter to use), unsigned. */
    public long sendNonce() { return sendNonce.get(); }

    TransportAead sender() { return send; }

    TransportAead receiver() { return receive; }

    ReplayWindow replayWindow() { return replayWindow; }

    /** True once older than REJECT_AFTER_TIME at {@code now} (§6.1). */
    public boolean isExpired(long now) {
        return destroyed || ProtocolTimers.olderThan(now, created, ProtocolTimers.REJECT_AFTER_TIME);
    }

    /** Wipes what key material the ciphers allow and makes the keypair unusable. */
    void destroy() {
        destroyed = true;
        send.destroy();
        receive.destroy();
    }

    boolean isDestroyed() { return destroyed; }

    /** Test hook: jump the send counter (to exercise REKEY/REJECT_AFTER_MESSAGES). */
    void setSendNonceForTest(long value) { sendNonce.set(value); }

    @Override
    public String toString() {
        return "Keypair[local=" + Integer.toUnsignedString(localIndex) + ", remote="
                + Integer.toUnsignedString(remoteIndex) + ", initiator=" + initiator + "]";
    }
}
