package io.warren.crypto.session;

import io.warren.crypto.noise.SessionKeys;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One transport session (WireGuard whitepaper §5.4.5–§5.4.6): the two transport keys (as
 * {@link TransportAead} instances), the indices, the send counter, the receive replay window,
 * the creation time and the role. Built from the handshake's {@link SessionKeys}, which it
 * wipes when it no longer needs them.
 *
 * <p>Threading: the send counter is atomic (several sender threads may reserve counters); the
 * replay window and the keypair's place in its {@link Keypairs} belong to whoever serialises the
 * owning {@link Peer} (the shell's lock). Sealing and opening may run on other threads, outside
 * that serialisation, on the cipher slots ({@link AeadSlots}: one thread per slot at a time).
 *
 * <p>Lifetime: a reference count. The keypair's set holds one reference from construction to
 * {@link #destroy}; a thread that will seal or open outside the peer's serialisation takes one
 * with {@link #acquire} (inside it, so never after the destroy) and gives it back with
 * {@link #release} when its packet is done. The ciphers are destroyed (native contexts freed,
 * keys wiped) by whoever drops the last reference: never while a packet is being sealed or
 * opened with them. A destroyed keypair seals what was already reserved on it, and what it
 * opens is refused by {@link Peer#accept}: nothing is delivered with a destroyed key.
 */
public final class Keypair {
    private final AeadSlots send;
    private final AeadSlots receive;
    private final ReplayWindow replayWindow = new ReplayWindow();
    private final AtomicLong sendNonce = new AtomicLong();
    /** The set's reference plus one per packet in flight outside the peer's serialisation. */
    private final AtomicInteger references = new AtomicInteger(1);
    private final int localIndex;
    private final int remoteIndex;
    private final boolean initiator;
    private final long created;
    private volatile boolean destroyed;

    /** Takes the keys of {@code keys} (then wipes {@code keys}) at monotonic time {@code now}. */
    public Keypair(SessionKeys keys, long now, TransportAeadFactory aead) {
        this(keys, now, aead, 1);
    }

    /**
     * As above with {@code sealLanes} cipher instances for sending, so that as many threads can
     * seal with this keypair at once (one instance for receiving: one receive thread opens).
     */
    public Keypair(SessionKeys keys, long now, TransportAeadFactory aead, int sealLanes) {
        this.send = new AeadSlots(aead, keys.sendKey(), sealLanes);
        AeadSlots r;
        try {
            r = new AeadSlots(aead, keys.receiveKey(), 1);
        } catch (RuntimeException e) {
            send.destroyAll();
            throw e;
        }
        this.receive = r;
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

    /** Seals {@code buf} with {@code counter} on a sending slot claimed from {@code lane}. */
    void seal(long counter, ByteBuffer buf, int lane) { send.seal(counter, buf, lane); }

    /** Opens {@code buf} in place with {@code counter}; false when it does not authenticate. */
    boolean open(long counter, ByteBuffer buf) { return receive.open(counter, buf, 0); }

    /** How many threads can seal with this keypair at once. */
    public int sealLanes() { return send.size(); }

    ReplayWindow replayWindow() { return replayWindow; }

    /**
     * Takes a reference for a packet sealed or opened outside the peer's serialisation; false
     * (nothing taken) once destroyed. Call only inside that serialisation, where {@link #destroy}
     * runs too: a reference is never taken after the last one was dropped.
     */
    boolean acquire() {
        if (destroyed) {
            return false;
        }
        references.incrementAndGet();
        return true;
    }

    /** Gives back a reference of {@link #acquire}; the last one destroys the ciphers. Any thread. */
    void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            send.destroyAll();
            receive.destroyAll();
        } else if (left < 0) {
            throw new IllegalStateException("keypair released more often than acquired");
        }
    }

    /** References held (the set's and those of packets in flight): for tests. */
    int referencesForTest() { return references.get(); }

    /** True once older than REJECT_AFTER_TIME at {@code now} (§6.1). */
    public boolean isExpired(long now) {
        return destroyed || ProtocolTimers.olderThan(now, created, ProtocolTimers.REJECT_AFTER_TIME);
    }

    /**
     * Makes the keypair unusable and drops the set's reference: the ciphers are wiped now, or by
     * the last packet in flight on them ({@link #release}). Once only; inside the peer's
     * serialisation.
     */
    void destroy() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        release();
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
