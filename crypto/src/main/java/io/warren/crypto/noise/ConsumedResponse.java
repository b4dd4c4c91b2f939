package io.warren.crypto.noise;

/** The result of {@link Handshake#consumeResponse}: success, or a counted drop. */
public sealed interface ConsumedResponse permits ConsumedResponse.Ok, ConsumedResponse.Drop {

    /** The response authenticated; the handshake is now {@code RESPONSE_CONSUMED}. */
    record Ok(int remoteIndex) implements ConsumedResponse {
    }

    /** The response was rejected; no handshake state changed. */
    record Drop(Reason reason) implements ConsumedResponse {
    }

    /** Why a response was dropped. */
    enum Reason {
        /** This handshake has no initiation outstanding. */
        WRONG_STATE,
        /** The receiver index is not the index of our outstanding initiation. */
        WRONG_RECEIVER,
        /** A DH with the message's ephemeral gave the all-zero value (low-order point). */
        INVALID_EPHEMERAL,
        /** The empty payload did not authenticate (wrong keys, wrong PSK or forged). */
        DECRYPT_FAILED
    }
}
