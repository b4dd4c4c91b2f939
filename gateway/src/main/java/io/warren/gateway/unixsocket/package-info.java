/**
 * The daemon's local servers' socket shell (the WireGuard UAPI socket for {@code wg}, the control
 * socket for {@code warren status}/{@code reload}), fair to every client.
 *
 * <p>Socket file: {@link io.warren.gateway.unixsocket.UnixSocketFile} binds in a private directory,
 * sets the mode, then renames into place, so no client ever sees the socket with the wrong
 * permissions; a leftover from a crashed run is replaced only when nothing answers on it; removal
 * only while it is still this instance's file.
 *
 * <p>Design (why): the control socket is group-accessible, so any member of the group can connect.
 * A thread per connection lets a few silent or trickling clients hold every worker until their
 * timeouts, starving root's {@code warren reload}. Here no thread ever waits on a client:
 * <ol>
 *   <li>{@link io.warren.gateway.unixsocket.Acceptor}, a thread per server, does the blocking
 *       {@code accept} and the {@code SO_PEERCRED} lookup (user names may come from a slow user
 *       database) and hands each new channel over through a short queue.</li>
 *   <li>{@link io.warren.gateway.unixsocket.Reactor}, one I/O thread per server, owns every admitted
 *       channel (non-blocking, one {@link java.nio.channels.Selector}) and all bookkeeping. It
 *       reads at most one chunk of a connection, then pauses reading it until a worker has fed that
 *       chunk to the connection's {@link io.warren.gateway.unixsocket.UnixSocketSession}
 *       (the sans-I/O protocol: {@code ControlSession}, {@code UapiSession}); it writes the replies and
 *       closes connections past their deadlines (idle, per request and per reply, lifetime).</li>
 *   <li>Workers only run sessions: busy for a request's processing time (microseconds for a partial
 *       chunk), never for a client's slowness. Privileged peers (root, the daemon's user) have their
 *       own pool, so unprivileged requests can never queue ahead of a reload.</li>
 *   <li>{@link io.warren.gateway.unixsocket.Admission} bounds connections: a total, a share per
 *       unprivileged user ({@code SO_PEERCRED}), slots reserved for privileged users. A newcomer over
 *       a limit displaces the oldest idle connection of its own user (a hoarder only hurts itself),
 *       or is closed at once.</li>
 * </ol>
 *
 * <p>Bounds: connections by {@code Limits}; per connection one read chunk in flight, the session's
 * own bounded buffer (a request over its limit is refused without being buffered) and one reply; so
 * memory is at most {@code connections x (chunk + session limit + reply)}; worker queues hold at most
 * one task per connection; file descriptors: one per connection (plus at most 64 accepted, not yet admitted) plus the
 * listener and the selector's two.
 *
 * <p>Threading and ownership: a {@code Connection} and the {@code Admission} are confined to the
 * I/O thread; the accept thread only owns a channel until it is queued; a session is touched by one worker task at a time (tasks of one connection never
 * overlap, hand-over through the executor and the completion queue gives happens-before); the reactor
 * owns and closes every channel, on every path. Reply buffers are wiped once sent or dropped (they
 * can hold keys); read chunks are wiped after use. {@link io.warren.gateway.unixsocket.UnixSocketServer}
 * owns the threads and the socket file; {@code close()} ends everything within about 2 s at worst
 * (a worker stuck in the daemon is interrupted).
 */
package io.warren.gateway.unixsocket;
