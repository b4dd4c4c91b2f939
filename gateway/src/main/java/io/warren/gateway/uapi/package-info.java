/**
 * The WireGuard cross-platform userspace API (UAPI, wireguard.com/xplatform): what lets the stock
 * {@code wg} tool (wireguard-tools) show and configure Warren through
 * {@code /var/run/wireguard/<iface>.sock}.
 *
 * <p>Role and layering (sans-I/O core, thin shell):
 * <ol>
 *   <li>{@link io.warren.gateway.uapi.UapiSession}: the protocol core, one per connection. It is fed the
 *       bytes a client sent and returns the bytes to answer plus whether to close; it reads no socket
 *       and starts no thread. Inside it, {@link io.warren.gateway.uapi.UapiLineBuffer} splits bounded
 *       lines, {@link io.warren.gateway.uapi.SetRequestParser} turns a {@code set=1} request into one
 *       {@link io.warren.gateway.uapi.DeviceChange} transaction and {@link
 *       io.warren.gateway.uapi.GetResponseWriter} renders a {@link io.warren.gateway.uapi.DeviceState}
 *       byte for byte as wireguard-go does.</li>
 *   <li>{@link io.warren.gateway.uapi.UapiDevice}: what the gateway implements. A snapshot is an
 *       immutable {@link io.warren.gateway.uapi.DeviceState}; a change is applied all or nothing, so a
 *       bad {@code set} changes nothing. {@link io.warren.gateway.uapi.DeviceChangeApplier} is the pure
 *       reference semantics of a change (peer replacement, allowed-IP moves, key clamping).</li>
 *   <li>{@link io.warren.gateway.uapi.UapiServer}: the shell, on the shared
 *       {@link io.warren.gateway.unixsocket.UnixSocketServer} (one I/O thread that never waits on a
 *       client, a small worker pool that only runs sessions, bounded connections, idle and total
 *       deadlines per connection); {@link io.warren.gateway.uapi.UapiSocketSession} plugs the session
 *       in.</li>
 * </ol>
 *
 * <p>Differences from wireguard-go, on purpose: a {@code set} is a transaction (wireguard-go applies
 * line by line and keeps what came before an error); a {@code set} cut off by end of input applies
 * nothing and answers {@code errno=-71} (wireguard-go applies it); after an error the rest of the
 * request is read and dropped up to its blank line, so the connection stays usable (wireguard-go stops
 * reading, and the leftover lines then close the connection); over-long lines and requests answer
 * {@code errno=-90} and close. Endpoints with an IPv6 zone ({@code %eth0}) and IPv6 text with an
 * embedded IPv4 other than {@code ::ffff:a.b.c.d} are refused with {@code errno=-22}.
 *
 * <p>Threading: a {@code UapiSession} is fed by one worker task at a time. The value types
 * ({@code DeviceState}, {@code PeerState}, {@code DeviceChange}, {@code PeerChange}, {@code UapiKey},
 * {@code AllowedIp}, {@code PeerEndpoint}) are immutable and shareable. A {@code UapiDevice} is called
 * from several workers at once and must be thread-safe. {@code UapiServer} owns its threads.
 *
 * <p>Buffers: the session copies what it keeps out of the caller's {@link java.nio.ByteBuffer} and
 * never retains it; the answer is a fresh array owned by the caller. Keys are held as 32-byte arrays
 * inside {@link io.warren.gateway.uapi.UapiKey}, copied in and out, never logged, never put in an
 * exception or a {@code toString()}.
 */
package io.warren.gateway.uapi;
