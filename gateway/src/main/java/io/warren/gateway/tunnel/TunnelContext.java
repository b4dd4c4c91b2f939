package io.warren.gateway.tunnel;

import io.warren.gateway.transport.Transports;

/**
 * What every tunnel shares: the Netty transport (event loops, epoll channel classes).
 *
 * @param transports the daemon's Netty transport
 */
public record TunnelContext(Transports transports) {
}
