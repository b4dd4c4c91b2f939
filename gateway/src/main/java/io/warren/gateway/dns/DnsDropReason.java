package io.warren.gateway.dns;

/**
 * Why a client query or upstream message was not answered normally; each value is a counter.
 * Client-side reasons say in their Javadoc whether the client got an error reply or nothing.
 */
public enum DnsDropReason {
    /** Client: fewer than 12 bytes, no header to answer (silent drop). */
    SHORT_HEADER,
    /** Client: too many UDP queries waiting for the resolver's thread; bounded queue (silent drop). */
    QUEUE_FULL,
    /** Client: QR=1, a response sent to us; never answered, so no reflection loops (silent drop). */
    QR_SET,
    /** Client: opcode other than QUERY, e.g. IQUERY, STATUS, NOTIFY, UPDATE (NOTIMP, RFC 1035 §4.1.1). */
    NOT_IMPLEMENTED,
    /** Client: QDCOUNT 0 or more than 1 (FORMERR, RFC 9619). */
    BAD_QDCOUNT,
    /**
     * Client: body unparseable: truncated, bad label, compression pointer loop (FORMERR, RFC 1035 §4.1.1);
     * or an OPT RR outside the additional section or not owned by the root (FORMERR, RFC 6891 §6.1.1, §6.1.2).
     */
    MALFORMED,
    /** Client: more than one OPT RR (FORMERR, RFC 6891 §6.1.1). */
    MULTIPLE_OPT,
    /** Client: EDNS version other than 0 (BADVERS, RFC 6891 §6.1.3). */
    BAD_EDNS_VERSION,
    /** Client: question type that makes no sense to a forwarder: AXFR, IXFR, MAILA, MAILB, OPT (REFUSED). */
    REFUSED_QTYPE,
    /** Client: question class other than IN (REFUSED). */
    REFUSED_QCLASS,
    /** Client: in-flight table full; the query is not forwarded (SERVFAIL). */
    IN_FLIGHT_FULL,
    /** Client: no upstream configured for this name (SERVFAIL). */
    NO_UPSTREAM,
    /** Client: every upstream attempt timed out (SERVFAIL). */
    UPSTREAM_TIMEOUT,
    /**
     * Upstream: shorter than a header or unparseable; or, once accepted, holding a record that cannot be
     * written back (the client then gets SERVFAIL).
     */
    UPSTREAM_MALFORMED,
    /** Upstream: QR=0. */
    UPSTREAM_NOT_RESPONSE,
    /** Upstream: no query in flight on this socket (or over TCP) with this id (late, duplicate or forged). */
    UPSTREAM_UNKNOWN_ID,
    /** Upstream: id matches but the source address or port is not the upstream asked (forged). */
    UPSTREAM_WRONG_SOURCE,
    /** Upstream: id and source match but question name, type or class differ (forged or broken). */
    UPSTREAM_QUESTION_MISMATCH,
    /**
     * Shell: no UDP socket could be opened or bound for an upstream attempt (file descriptors or
     * ephemeral ports exhausted); the query moves on to its next attempt or gets SERVFAIL.
     */
    UPSTREAM_SOCKET_FAILED,
    /** Shell: a TCP client connection beyond the limit was closed. */
    TCP_CONNECTION_LIMIT,
    /**
     * Shell: a UDP reply (answer or error) was made but not sent: the kernel refused it (no route to
     * the client, for example) or the socket's send buffer stayed full. The client retries or times out.
     */
    REPLY_NOT_SENT
}
