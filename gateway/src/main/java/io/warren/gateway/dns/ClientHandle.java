package io.warren.gateway.dns;

import java.net.InetSocketAddress;

import io.netty.channel.Channel;
import io.warren.tun.udp.UdpSendSocket;

/**
 * Where a reply goes: the listening UDP socket's sender and the client's address ({@code channel}
 * null), or the client's TCP connection ({@code udp} and {@code sender} null).
 */
record ClientHandle(Channel channel, UdpSendSocket udp, InetSocketAddress sender) {

    static ClientHandle tcp(Channel channel) {
        return new ClientHandle(channel, null, null);
    }

    static ClientHandle udp(UdpSendSocket udp, InetSocketAddress sender) {
        return new ClientHandle(null, udp, sender);
    }
}
