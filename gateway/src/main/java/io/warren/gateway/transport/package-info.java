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
 * under the interface's lock; statistics are lock-free adders. Datagrams are sent with
 * {@code sendmsg(2)} straight from the thread that sealed them ({@link io.warren.tun.udp.UdpSendSocket});
 * the epoll socket receives with {@code recvmmsg(2)} (up to 32 datagrams per call), or, opted in,
 * with {@code UDP_GRO} and one GSO run per {@code recvmsg(2)}, split back into its datagrams in
 * place before the per-datagram path (by Netty, or {@link io.warren.gateway.transport.GroSplitter});
 * {@link io.warren.gateway.transport.ReceiveOptions} says why GRO is not the default.
 *
 * <p>Offloads: on a TUN device opened with a virtio-net header and TSO/USO
 * ({@link io.warren.gateway.transport.WireGuardInterface#tunOptions}) a TCP sender's 64 KB segment
 * is one read: the reader splits it into MTU-sized packets laid out back to back in its
 * {@code SegmentArena}, each is sealed in place, and the run leaves in one UDP GSO send
 * ({@code UDP_SEGMENT}). Inbound, the in-order TCP segments of one receive burst are merged
 * ({@link io.warren.tun.offload.TcpCoalescer}) into one GSO write to the TUN device. A plain TUN
 * device works too (one packet per read and write).
 *
 * <p>Buffers: the reader owns its ring of direct buffers (headroom before each packet for the
 * WireGuard header, tailroom for padding and the tag) and its segment arena; datagrams are sealed
 * in place and handed to the kernel from there (no copy). Inbound datagrams are pooled Netty
 * buffers, decrypted in place and released after the TUN write (or after being copied into the
 * coalescer, which only the event loop touches). A single decrypted packet is written to the TUN
 * after the interface's lock is released: the kernel may answer inside that write (a ping reply),
 * and the TUN reader would otherwise block on the lock before sealing the answer.
 *
 * <p>Configuration is one idempotent operation, {@link
 * io.warren.gateway.transport.WireGuardInterface#reconcile}, which takes the desired
 * {@link io.warren.gateway.uapi.DeviceState}: the {@code wg} tool's {@code set} (through the UAPI)
 * and a config reload both end there, and only what differs is touched, so untouched peers keep
 * their sessions.
 */
package io.warren.gateway.transport;
