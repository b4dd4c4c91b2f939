package io.warren.crypto.session;

import io.warren.crypto.noise.SessionKeys;
import java.nio.ByteBuffer;

/**
 * The port through which a {@link Peer} drives the Noise_IKpsk2 handshake (WireGuard whitepaper
 * §5.4.2–§5.4.5) and cookies (§5.4.7) without knowing their messages: it hands over encoded
 * datagrams and receives encoded datagrams and {@link SessionKeys}. The production
 * implementation adapts {@code io.warren.crypto.noise.Handshake}; tests use an in-memory fake.
 *
 * <p>Implementations are sans-I/O like the peer: time and randomness come in as inputs or are
 * injected at construction; called only from the peer's thread.
 */
public interface Handshaker {

    /** The result of consuming a handshake message. */
    sealed interface Outcome permits Established, CookieAccepted, Rejected {}

    /**
     * A session was derived. As responder ({@code keys.isInitiator() == false}) {@code response}
     * is the encoded handshake response to send; as initiator it is null.
     */
    record Established(SessionKeys keys, ByteBuffer response) implements Outcome {}

    /** A cookie reply was accepted; the next initiation will carry mac2. */
    record CookieAccepted() implements Outcome {}

    /** The message was dropped (bad MAC, replayed timestamp, wrong state, ...). */
    record Rejected(DropReason reason) implements Outcome {}

    /**
     * Creates an encoded handshake initiation (message type 1, macs set) with sender index
     * {@code localIndex}, TAI64N from {@code wallNanos} (Unix epoch nanos).
     */
    ByteBuffer createInitiation(int localIndex, long now, long wallNanos);

    /**
     * False when no handshake with this peer can succeed (its static key is a low-order point, so
     * the static-static DH is all zeros): the peer then never initiates, as in the kernel, whose
     * {@code wg_noise_handshake_create_initiation} fails for it.
     */
    default boolean canInitiate() {
        return true;
    }

    /**
     * Consumes a handshake message (types 1–3) in {@code datagram[position, limit)}. For an
     * initiation, a response uses sender index {@code localIndex}.
     */
    Outcome consume(ByteBuffer datagram, int localIndex, long now);

    /** Forgets all handshake state (ephemeral keys, chaining key). */
    void clear();
}
