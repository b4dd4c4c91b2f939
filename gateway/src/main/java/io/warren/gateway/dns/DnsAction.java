package io.warren.gateway.dns;

/**
 * What the shell must do after the {@link DnsResolver} handled an event.
 *
 * @param <C> the shell's client handle
 */
public sealed interface DnsAction<C> {

    /** Send {@code wire} to the client over the transport its query came on. */
    record Reply<C>(C client, Transport transport, byte[] wire) implements DnsAction<C> {
    }

    /** Send each reply: one upstream answer for several clients that asked the same question. */
    record Replies<C>(java.util.List<Reply<C>> replies) implements DnsAction<C> {
    }

    /** Nothing to send yet: the query waits for the answer to the same question already asked upstream. */
    record Joined<C>() implements DnsAction<C> {
    }

    /** Send a query upstream. */
    record Send<C>(UpstreamSend send) implements DnsAction<C> {
    }

    /** Nothing to send (the reason has been counted); the pending query, if any, keeps waiting. */
    record Drop<C>(DnsDropReason reason) implements DnsAction<C> {
    }
}
