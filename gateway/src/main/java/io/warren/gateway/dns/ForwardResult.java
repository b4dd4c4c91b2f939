package io.warren.gateway.dns;

/** Outcome of handing a query to the {@link Forwarder}. */
public sealed interface ForwardResult {

    /** The query is in flight; send this. */
    record Sent(UpstreamSend send) implements ForwardResult {
    }

    /**
     * The same question (name case-insensitive, type, class, DO, CD) is already in flight: the query
     * waits for that answer instead of asking again, so a forger racing the answer has one id and
     * port to hit, not one per duplicate (RFC 5452 §5, birthday attack; CVE-2020-25686).
     */
    record Joined() implements ForwardResult {
    }

    /** The query cannot be forwarded (table full, no upstream); the client gets SERVFAIL. */
    record Rejected(DnsDropReason reason) implements ForwardResult {
    }
}
