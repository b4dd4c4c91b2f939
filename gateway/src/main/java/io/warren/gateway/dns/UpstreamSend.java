package io.warren.gateway.dns;

import java.net.InetSocketAddress;

/**
 * An upstream query for the shell to send.
 *
 * @param slot      for UDP, the index of the pool socket (each bound to its own kernel-chosen random
 *                  port) to send from; the answer must come back on that socket. {@link Forwarder#TCP_SLOT}
 *                  for TCP: the shell opens a new connection and reports the answer with this slot
 * @param upstream  server address and port
 * @param transport UDP, or TCP after a truncated UDP answer
 * @param wire      the query message
 */
public record UpstreamSend(int slot, InetSocketAddress upstream, Transport transport, byte[] wire) {
}
