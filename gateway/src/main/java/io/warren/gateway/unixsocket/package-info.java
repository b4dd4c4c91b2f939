/**
 * Unix-domain socket files for the daemon's local servers (the WireGuard UAPI socket for {@code wg},
 * the control socket for {@code warren status}): bound in a private directory, given their mode,
 * then renamed into place, so no client ever sees the socket with the wrong permissions; a leftover
 * from a crashed run is replaced only when nothing answers on it; removal only while it is still this
 * instance's file. {@link io.warren.gateway.unixsocket.UnixSocketServer} is the accept loop and
 * bounded worker pool both servers run on.
 *
 * <p>Threading: a {@link io.warren.gateway.unixsocket.UnixSocketFile} is used by the one thread that
 * starts and stops its server; a server has one accept thread and a fixed number of worker threads,
 * each serving one connection at a time (its handler's task owns and closes the channel).
 */
package io.warren.gateway.unixsocket;
