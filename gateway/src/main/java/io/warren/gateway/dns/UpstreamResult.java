package io.warren.gateway.dns;

import java.util.List;

import org.xbill.DNS.Message;

/**
 * Outcome of an upstream message ({@link Forwarder#onResponse}) or of a timeout
 * ({@link Forwarder#expire}).
 *
 * @param <C> the shell's client handle
 */
public sealed interface UpstreamResult<C> {

    /**
     * A client query waiting for an upstream answer: the first asked the question, the others asked
     * the same question while it was in flight and joined it (RFC 5452 §5).
     */
    record Waiter<C>(C client, Transport clientTransport, ClientQuery query) {
    }

    /** A matching answer; the pending query is finished and every waiter gets it. */
    record Answered<C>(List<Waiter<C>> waiters, Message response, long latencyNanos) implements UpstreamResult<C> {
        /** The client that asked first. */
        public C client() {
            return waiters.get(0).client();
        }
    }

    /** The pending query moved on: truncated UDP answer retried over TCP, or next upstream after an error or timeout. */
    record Resend<C>(UpstreamSend send, boolean overTcp) implements UpstreamResult<C> {
    }

    /** Every attempt failed; every waiter gets SERVFAIL. */
    record GaveUp<C>(List<Waiter<C>> waiters, DnsDropReason reason) implements UpstreamResult<C> {
        /** The client that asked first. */
        public C client() {
            return waiters.get(0).client();
        }
    }

    /** The message was discarded; the pending query (if any) keeps waiting. */
    record Dropped<C>(DnsDropReason reason) implements UpstreamResult<C> {
    }
}
