package io.warren.gateway.unixsocket;

/**
 * Who is on the other end of a connection, from {@code SO_PEERCRED} (socket(7), unix(7)) at accept.
 *
 * @param user       the peer's user name (the numeric uid when it has no name), or {@code "?"} when
 *                   the kernel did not say
 * @param privileged one of the server's privileged users (root, the daemon's own user)
 */
public record Peer(String user, boolean privileged) {
}
