package io.warren.gateway.dns;

import org.xbill.DNS.Message;

/**
 * Outcome of an upstream message ({@link Forwarder#onResponse}) or of a timeout
 * ({@link Forwarder#expire}).
 *
 * @param <C> the shell's client handle
 */
public sealed interface UpstreamResult<C> {

    /** A matching answer; the pending query is finished. */
    record Answered<C>(C client, Transport clientTransport, ClientQuery query, Message response, long latencyNanos)
            implements UpstreamResult<C> {
    }

    /** The pending query moved on: truncated UDP answer retried over TCP, or next upstream after an error or timeout. */
    record Resend<C>(UpstreamSend send, boolean overTcp) implements UpstreamResult<C> {
    }

    /** Every attempt failed; the client gets SERVFAIL. */
    record GaveUp<C>(C client, Transport clientTransport, ClientQuery query, DnsDropReason reason)
            implements UpstreamResult<C> {
    }

    /** The message was discarded; the pending query (if any) keeps waiting. */
    record Dropped<C>(DnsDropReason reason) implements UpstreamResult<C> {
    }
}
