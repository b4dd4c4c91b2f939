package io.warren.gateway.nat;

/**
 * Every STUN wire constant and limit this gateway uses, named as in RFC 8489 (Session Traversal
 * Utilities for NAT). Only the Binding method is implemented.
 */
public final class StunWire {
    /** §5: the fixed header is 20 bytes; the message length excludes it. */
    public static final int HEADER_LENGTH = 20;
    /** §5: the magic cookie, bytes 4-7 of every message. */
    public static final int MAGIC_COOKIE = 0x2112A442;
    /** §5: the transaction id is 96 bits. */
    public static final int TRANSACTION_ID_LENGTH = 12;

    /** §5, §18.2: Binding request (class request, method 0x001). */
    public static final int BINDING_REQUEST = 0x0001;
    /** §5: Binding success response. */
    public static final int BINDING_SUCCESS_RESPONSE = 0x0101;
    /** §5: Binding error response. */
    public static final int BINDING_ERROR_RESPONSE = 0x0111;

    /** §14.1: MAPPED-ADDRESS. */
    public static final int MAPPED_ADDRESS = 0x0001;
    /** §14.2: XOR-MAPPED-ADDRESS. */
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    /** §14.5: MESSAGE-INTEGRITY (HMAC-SHA1); later attributes other than the two below are ignored. */
    public static final int MESSAGE_INTEGRITY = 0x0008;
    /** §14.6: MESSAGE-INTEGRITY-SHA256; later attributes other than FINGERPRINT are ignored. */
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    /** §14.7: FINGERPRINT. */
    public static final int FINGERPRINT = 0x8028;
    /** §14.1: address family IPv4 in (XOR-)MAPPED-ADDRESS. */
    public static final int FAMILY_IPV4 = 0x01;
    /** §14.1: address family IPv6. */
    public static final int FAMILY_IPV6 = 0x02;
    /** §14.7: the CRC-32 of the message is XOR-ed with this ("STUN"). */
    public static final int FINGERPRINT_XOR = 0x5354554e;
    /** §15: attribute types below this are comprehension-required. */
    public static final int COMPREHENSION_OPTIONAL_START = 0x8000;

    /**
     * §18.3: the comprehension-required attributes RFC 8489 defines. A response may carry ones we do
     * not use (MESSAGE-INTEGRITY for a request without credentials is ignored: we sent no USERNAME);
     * any other type below 0x8000 makes the response unusable (§6.3.3).
     */
    public static final java.util.Set<Integer> KNOWN_REQUIRED = java.util.Set.of(
            0x0001, // MAPPED-ADDRESS
            0x0006, // USERNAME
            0x0008, // MESSAGE-INTEGRITY
            0x0009, // ERROR-CODE
            0x000A, // UNKNOWN-ATTRIBUTES
            0x0014, // REALM
            0x0015, // NONCE
            0x001C, // MESSAGE-INTEGRITY-SHA256
            0x001D, // PASSWORD-ALGORITHM
            0x001E, // USERHASH
            0x0020); // XOR-MAPPED-ADDRESS

    /** §6.2.1: the initial retransmission timeout, RTO (500 ms recommended). */
    public static final long RTO_NANOS = 500_000_000L;
    /** §6.2.1: Rc, the number of requests sent in all (7). */
    public static final int RC = 7;
    /** §6.2.1: Rm, after the last request the client waits Rm times the RTO (16). */
    public static final int RM = 16;

    private StunWire() {
    }
}
