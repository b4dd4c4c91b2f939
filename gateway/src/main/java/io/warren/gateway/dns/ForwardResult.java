package io.warren.gateway.dns;

/** Outcome of handing a query to the {@link Forwarder}. */
public sealed interface ForwardResult {

    /** The query is in flight; send this. */
    record Sent(UpstreamSend send) implements ForwardResult {
    }

    /** The query cannot be forwarded (table full, no upstream); the client gets SERVFAIL. */
    record Rejected(DnsDropReason reason) implements ForwardResult {
    }
}
