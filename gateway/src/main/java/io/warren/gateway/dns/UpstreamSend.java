package io.warren.gateway.dns;

import java.net.InetSocketAddress;

/**
 * An upstream query for the shell to send.
 *
 * @param socket    for UDP, the number of the socket to open for this attempt alone (on a random port,
 *                  RFC 5452 §9.2) and send from; only an answer on that socket is accepted, and the
 *                  shell closes it when {@link Forwarder#drainClosed} says so. {@link Forwarder#TCP_SOCKET}
 *                  for TCP: the shell opens a new connection and reports the answer with this value
 * @param upstream  server address and port
 * @param transport UDP, or TCP after a truncated UDP answer
 * @param wire      the query message
 */
public record UpstreamSend(int socket, InetSocketAddress upstream, Transport transport, byte[] wire) {
}
