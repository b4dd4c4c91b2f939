package io.warren.gateway.dns;

import java.net.InetSocketAddress;

import io.netty.channel.Channel;

/**
 * Where a reply goes: the listening UDP channel and the client's address, or the client's TCP
 * connection ({@code sender} null).
 */
record ClientHandle(Channel channel, InetSocketAddress sender) {
}
