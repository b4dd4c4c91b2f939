/**
 * The control plane: the local control socket behind {@code warren status}, {@code reload} and
 * {@code client add}, and the client onboarding it performs.
 *
 * <p>Layering (sans-I/O core, thin shells):
 * <ol>
 *   <li>Core: {@link io.warren.gateway.control.ControlProtocol} turns one request's bytes into the
 *       reply's bytes ({@link io.warren.gateway.control.ControlCodec}: one JSON object each way),
 *       checks who may do what ({@link io.warren.gateway.control.Caller}: anyone who can open the
 *       socket may ask for status; reload and client-add need root or the daemon's user) and asks a
 *       {@link io.warren.gateway.control.ControlBackend}. {@link io.warren.gateway.control.StatusCollector},
 *       {@link io.warren.gateway.control.StatusText}, {@link io.warren.gateway.control.AddressAllocator},
 *       {@link io.warren.gateway.control.ClientOnboarding} and {@link io.warren.gateway.control.QrText}
 *       are pure.</li>
 *   <li>Shells: {@link io.warren.gateway.control.ControlServer} (socket file 0660 created race-free by
 *       {@link io.warren.gateway.unixsocket.UnixSocketFile}, served by the shared
 *       {@link io.warren.gateway.unixsocket.UnixSocketServer}: no thread waits on a client, connections
 *       bounded per peer user, I/O deadlines; {@link io.warren.gateway.control.ControlSession} frames
 *       one request), {@link io.warren.gateway.control.ClientFiles} (atomic config file edit) and, on the
 *       CLI side, {@link io.warren.gateway.control.SocketControlTransport}.</li>
 * </ol>
 *
 * <p>Threading: the server has one I/O thread and two small worker pools (privileged callers,
 * everybody else); the backend is called from workers and hands reloads to the daemon's control thread through its event queue. Values are
 * immutable records.
 *
 * <p>Secrets: the only key material that crosses the socket is a new client's private key, inside
 * the {@code client-add} reply to the privileged caller who asked for it; it is never logged, and
 * the reply buffer is wiped after sending.
 */
package io.warren.gateway.control;
