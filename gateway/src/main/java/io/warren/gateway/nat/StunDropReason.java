package io.warren.gateway.nat;

/** Why a STUN datagram received on the WireGuard port was ignored (counted, never thrown). */
public enum StunDropReason {
    /** Shorter than the 20-byte header, or the length field disagrees with the datagram (§5). */
    MALFORMED_HEADER,
    /** An attribute runs past the end of the message or has a bad value length (§14). */
    MALFORMED_ATTRIBUTE,
    /** The FINGERPRINT attribute does not match the message's CRC-32 (§14.7). */
    BAD_FINGERPRINT,
    /** Not a Binding success or error response (we only send Binding requests). */
    UNEXPECTED_TYPE,
    /** The transaction id matches no request in flight (late, duplicate or forged: §6.3.3). */
    UNKNOWN_TRANSACTION,
    /** It came from an address we did not send that transaction to. */
    WRONG_SOURCE,
    /** A Binding error response. */
    ERROR_RESPONSE,
    /** A success response without XOR-MAPPED-ADDRESS or MAPPED-ADDRESS. */
    NO_MAPPED_ADDRESS,
    /**
     * A response from our server with a comprehension-required attribute we do not know (§6.3.3,
     * §6.3.4: the response is discarded and the transaction has failed).
     */
    UNKNOWN_REQUIRED_ATTRIBUTE
}
