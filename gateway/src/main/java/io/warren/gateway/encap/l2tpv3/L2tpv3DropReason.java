package io.warren.gateway.encap.l2tpv3;

/** Why a received L2TPv3 packet was discarded; each value is a counter. */
public enum L2tpv3DropReason {
    /** Shorter than the header the session configuration implies. */
    TRUNCATED,
    /** Over IP Session ID 0, or over UDP the T bit set: a control message, not handled here. */
    CONTROL_MESSAGE,
    /** Over UDP the Ver field is not 3. */
    BAD_VERSION,
    /** No session with this Session ID. */
    UNKNOWN_SESSION,
    /** The cookie does not match the session's peer cookie (RFC 3931 §4.1). */
    BAD_COOKIE,
    /** The session requires sequence numbers and the S bit is clear (Linux {@code recv_seq}). */
    MISSING_SEQUENCE
}
