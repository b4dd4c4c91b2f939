/**
 * A WireGuard interface: the thin shell around the sans-I/O protocol core
 * ({@link io.warren.crypto.session.Device}, {@link io.warren.crypto.session.Peer}) that moves
 * packets between a {@link io.warren.tun.TunDevice} and a UDP socket.
 *
 * <p>The data path, outbound: TUN read (batch) -> destination lookup in the allowed-IPs table
 * ({@link io.warren.routing.AllowedIps}, cryptokey routing) -> {@code Peer.reserve} -> seal in
 * place -> UDP send to the peer's endpoint. Inbound: UDP receive -> {@code Peer.admit} (data) or
 * {@code Device.receive} (handshake, cookie, data from a new source) -> open -> {@code Peer.accept}
 * -> the decrypted packet's source checked against the sending peer's allowed IPs -> TUN write;
 * the peer's endpoint follows its latest authenticated packet (roaming).
 * Timers tick every {@value io.warren.gateway.transport.WireGuardInterface#TICK_MILLIS} ms; a tick
 * walks the peers only when the device's earliest deadline is due ({@code Device.timersDue}), so
 * an idle interface costs O(1) per tick whatever the size of its peer table.
 *
 * <p>Files, one concern each: {@link io.warren.gateway.transport.WireGuardInterface} is the face
 * and lifecycle (collaborators, socket bind and rebind, threads, configuration under the lock);
 * {@link io.warren.gateway.transport.TunReader} and {@link io.warren.gateway.transport.OutboundPath}
 * the outbound path, {@link io.warren.gateway.transport.ReceiveLoop},
 * {@link io.warren.gateway.transport.InboundPath} and {@link io.warren.gateway.transport.TunWriter}
 * the inbound path; {@link io.warren.gateway.transport.PeerTable} the configured state (device,
 * peers, allowed IPs; reconcile and snapshot), {@link io.warren.gateway.transport.TimerTick} the
 * timers, {@link io.warren.gateway.transport.DatagramSender} every UDP send.
 *
 * <p>Threading: one TUN reader thread per TUN queue (outbound; with {@code IFF_MULTI_QUEUE} the
 * kernel spreads flows over the queues by flow hash, so each flow stays on one reader and keeps its
 * order, and each reader seals on its own lane: its own sending cipher per keypair), one receive
 * thread (inbound, {@link io.warren.gateway.transport.ReceiveLoop}, {@code warren-NAME-udp}), the
 * {@code warren-timers} thread ({@link io.warren.gateway.transport.Transports#timers()}). The
 * protocol core is not thread-safe, so every call into the {@code Device} and its peers happens
 * under the interface's lock; statistics are lock-free adders. The AEAD does not: the
 * lock covers the state work only (outbound: peer lookup, keypair, counter, timers, staging and
 * initiations, {@code Peer.reserve}; inbound: receiver index to keypair, {@code Peer.admit}); the
 * sealing ({@code SealBatch}, the TUN reader's own) and the opening ({@code OpenBatch}, the receive
 * thread's own) run with it released, and the inbound batch takes it again once to accept what
 * opened ({@code Peer.accept}: replay window after authentication, timers, keypair confirmation,
 * staged sends, the TUN write decision). The batches hold references to their keypairs, so a
 * rekey, expiry or peer removal meanwhile cannot free a cipher in use. The UDP socket is the
 * interface's own ({@link io.warren.tun.udp.UdpSocket}, dual-stack {@code [::]:port}); datagrams
 * are sent with {@code sendmsg(2)} straight from the thread that sealed them
 * ({@link io.warren.tun.udp.UdpSendSocket}) and received with {@code recvmmsg(2)}, up to 32 per
 * call, into a fixed ring ({@link io.warren.tun.udp.UdpReceiveBatch}), the source read in place and
 * compared with the peer's endpoint without building an address
 * ({@link io.warren.tun.udp.UdpSource}); with {@code UDP_GRO} a slot may hold a run of datagrams,
 * split in place by {@link io.warren.gateway.transport.GroSplitter}
 * ({@link io.warren.gateway.transport.ReceiveOptions} says when GRO is on). A rebind stops the old
 * receive thread before the new one starts: one receiving thread at a time. Close wakes the receive
 * thread (shutdown of the socket's receiving side) and joins it before the socket is closed.
 *
 * <p>Offloads: on a TUN device opened with a virtio-net header and TSO/USO
 * ({@link io.warren.tun.OffloadedTun#FULL}) a TCP sender's 64 KB segment
 * is one read: the reader splits it into MTU-sized packets laid out back to back in its
 * {@code SegmentArena}, each is sealed in place, and the run leaves in one UDP GSO send
 * ({@code UDP_SEGMENT}). Inbound, the in-order TCP segments of one receive burst are merged
 * ({@link io.warren.tun.offload.TcpCoalescer}) into one GSO write to the TUN device. A plain TUN
 * device works too (one packet per read and write).
 *
 * <p>Buffers: the reader owns its ring of direct buffers (headroom before each packet for the
 * WireGuard header, tailroom for padding and the tag) and its segment arena; datagrams are sealed
 * in place and handed to the kernel from there (no copy). The receive thread owns its ring: a
 * datagram is decrypted in place in its slot and is only valid until the next {@code recvmmsg}, so
 * everything that sees it (taps, the core, the coalescer, the TUN write) finishes with it, or
 * copies it, before the receive loop moves on; the coalescer is the receive thread's alone. The
 * datagrams of one {@code recvmmsg} batch are admitted under one hold of the interface's lock (not
 * one per datagram: the TUN reader contends for it), opened with it released, accepted under one
 * more hold (data from a source other than the peer's endpoint, handshakes and cookies take the
 * one-call path under the lock, in arrival order) and their decrypted packets are
 * written to the TUN, in order, after the lock is released
 * ({@link io.warren.gateway.transport.DeferredTunWrites}): the kernel may answer inside such a
 * write (a ping reply), and the TUN reader would otherwise block on the lock before sealing the
 * answer. The steady state allocates nothing per packet in either direction
 * ({@code SteadyStateAllocationTest}).
 *
 * <p>Configuration is one idempotent operation, {@link
 * io.warren.gateway.transport.WireGuardInterface#reconcile}, which takes the desired
 * {@link io.warren.gateway.uapi.DeviceState}: the {@code wg} tool's {@code set} (through the UAPI)
 * and a config reload both end there, and only what differs is touched, so untouched peers keep
 * their sessions.
 */
package io.warren.gateway.transport;
