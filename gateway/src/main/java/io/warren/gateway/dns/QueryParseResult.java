package io.warren.gateway.dns;

/** Outcome of {@link QueryParser#parse}. */
public sealed interface QueryParseResult {

    /** A well-formed query to resolve. */
    record Parsed(ClientQuery query) implements QueryParseResult {
    }

    /** Bad input that deserves an error reply ({@code wire}: FORMERR, NOTIMP, REFUSED or BADVERS). */
    record ErrorReply(byte[] wire, DnsDropReason reason) implements QueryParseResult {
    }

    /** Bad input that gets no reply at all. */
    record Dropped(DnsDropReason reason) implements QueryParseResult {
    }
}
