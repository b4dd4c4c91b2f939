package io.warren.crypto.noise;

/** The result of {@link Handshake#consumeInitiation}: the peer's handshake, or a counted drop. */
public sealed interface ConsumedInitiation permits ConsumedInitiation.Ok, ConsumedInitiation.Drop {

    /**
     * The initiation authenticated; {@code peerHandshake} is now {@code INITIATION_CONSUMED}.
     *
     * @param remoteIndex the initiator's sender index, to put in the response's receiver field
     */
    record Ok(Handshake peerHandshake, int remoteIndex) implements ConsumedInitiation {
    }

    /** The initiation was rejected; no handshake state changed. */
    record Drop(Reason reason) implements ConsumedInitiation {
    }

    /** Why an initiation was dropped. */
    enum Reason {
        /** A DH with the message's ephemeral gave the all-zero value (low-order point). */
        INVALID_EPHEMERAL,
        /** The encrypted static key or timestamp did not authenticate. */
        DECRYPT_FAILED,
        /** The decrypted static key belongs to no configured peer. */
        UNKNOWN_PEER,
        /** The static key is a configured peer's, but a low-order point: the handshake proves nothing. */
        LOW_ORDER_PEER,
        /** The TAI64N timestamp is not later than the greatest seen from this peer (§5.1). */
        REPLAYED_TIMESTAMP,
        /** Less than 1/INITIATIONS_PER_SECOND since the last initiation consumed from this peer. */
        FLOOD
    }
}
