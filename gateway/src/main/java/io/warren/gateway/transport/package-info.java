/**
 * A WireGuard interface: the thin shell around the sans-I/O protocol core
 * ({@link io.warren.crypto.session.Device}, {@link io.warren.crypto.session.Peer}) that moves
 * packets between a {@link io.warren.tun.TunDevice} and a UDP socket.
 *
 * <p>The data path, outbound: TUN read (batch) -> destination lookup in the allowed-IPs table
 * ({@link io.warren.routing.AllowedIps}, cryptokey routing) -> {@code Peer.encapsulate} seals in
 * place -> UDP send to the peer's endpoint. Inbound: UDP receive -> {@code Device.receive}
 * (handshake, cookie or data) -> the decrypted packet's source checked against the sending peer's
 * allowed IPs -> TUN write; the peer's endpoint follows its latest authenticated packet (roaming).
 * Timers tick every {@value io.warren.gateway.transport.WireGuardInterface#TICK_MILLIS} ms.
 *
 * <p>Threading: one TUN reader thread (outbound), the Netty event loop (inbound, timers, sends).
 * The protocol core is not thread-safe, so every call into the {@code Device} and its peers happens
 * under the interface's lock; statistics are lock-free adders.
 *
 * <p>Buffers: the reader owns its ring of direct buffers (headroom before each packet for the
 * WireGuard header, tailroom for padding and the tag); a sealed datagram is copied once into a
 * pooled Netty buffer for the asynchronous send, which Netty releases. Inbound datagrams are pooled
 * Netty buffers, decrypted in place and released after the TUN write.
 *
 * <p>Configuration is one idempotent operation, {@link
 * io.warren.gateway.transport.WireGuardInterface#reconcile}, which takes the desired
 * {@link io.warren.gateway.uapi.DeviceState}: the {@code wg} tool's {@code set} (through the UAPI)
 * and a config reload both end there, and only what differs is touched, so untouched peers keep
 * their sessions.
 */
package io.warren.gateway.transport;
