package io.warren.gateway.dns;

import java.net.InetSocketAddress;

/**
 * A UDP client query the receive thread could not answer from the cache, copied out of the
 * receive ring for the resolver's thread: the datagram and its source.
 */
record UdpQuery(byte[] packet, InetSocketAddress sender) {
}
