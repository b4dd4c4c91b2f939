/**
 * The WireGuard data path (whitepaper §5.4.6 "Subsequent Messages: Transport Data Messages" and
 * §6 "Timers &amp; Stateless UX"), written sans-I/O in the manner of boringtun's {@code Tunn}.
 *
 * <p>Pipeline, outbound: {@link io.warren.crypto.session.Peer#encapsulate} takes an inner IP packet
 * from the TUN shell, picks the current {@link io.warren.crypto.session.Keypair}, pads, seals in
 * place ({@link io.warren.crypto.session.TransportAead}) behind a type-4 header
 * ({@link io.warren.crypto.session.TransportData}) and returns the datagram for the UDP shell, or
 * stages the packet and returns a handshake initiation. Inbound:
 * {@link io.warren.crypto.session.Peer#decapsulate} finds the keypair by receiver index, opens,
 * checks the {@link io.warren.crypto.session.ReplayWindow} after authentication, strips padding
 * by the inner IP header and returns the inner packet with its source address; the shell does the
 * cryptokey-routing (allowed IPs) check. {@link io.warren.crypto.session.Peer#updateTimers}
 * evaluates the §6 timers ({@link io.warren.crypto.session.ProtocolTimers}) against a caller-given
 * monotonic {@code now}; every deadline a peer arms lowers its device's bound
 * ({@link io.warren.crypto.session.NextDeadline}), so {@code Device.timersDue} tells in O(1) whether
 * a walk over the peers ({@code Device.updateTimers}) can fire anything. The handshake is reached through the
 * {@link io.warren.crypto.session.Handshaker} port; {@link io.warren.crypto.session.NoiseHandshaker}
 * adapts {@code io.warren.crypto.noise}.
 *
 * <p>Files, one concern each (as wireguard-go's {@code device/}): {@code Peer} is a peer's face and
 * its timer expiry; {@code PeerOutbound} the send half (reserve, seal, staged packets,
 * keepalives), {@code PeerInbound} the receive half (admit, accept, handshake messages),
 * {@code PeerSessions} the keypairs and the handshake state (initiations, rekeying, beginning a
 * session, zeroing), {@code PeerTimers} the deadlines and their hooks, {@code DropCounts} the
 * counters; {@code SealBatch} and {@code OpenBatch} carry the cipher halves, {@code Keypair},
 * {@code Keypairs}, {@code AeadSlots} and {@code TransportData} the session and the wire format.
 *
 * <p>Threading: no class here starts threads, reads a clock, or touches sockets. A {@code Peer}
 * (with its collaborators, keypairs, replay windows and timers) is confined to one thread at a
 * time; the shell serialises calls per peer. The AEAD may run outside that serialisation, on
 * other threads: each direction has a state half and a cipher half ({@code Peer.reserve} then
 * {@link io.warren.crypto.session.SealBatch#sealAll}; {@code Peer.admit} then
 * {@link io.warren.crypto.session.OpenBatch#openAll} then {@code Peer.accept}, which checks the
 * replay window after authentication). A keypair is reference-counted: the cipher halves hold a
 * reference, so a keypair destroyed meanwhile (rekey, expiry, peer removal) frees its ciphers only
 * when the last packet on it is done, and {@code accept} refuses what it opened. Each cipher object
 * is used by one thread at a time ({@code AeadSlots}: one sending instance per seal lane, claimed
 * with a compare-and-set). A keypair's send counter is atomic.
 *
 * <p>Buffers: the caller owns every buffer passed in. Sealing and opening work in place; a result
 * buffer aliases the input memory unless documented otherwise. Packets staged during a handshake
 * are copied into buffers the {@code Peer} owns until they are flushed. Keys are never logged.
 *
 * <p>Allocation: sealing a packet allocates nothing (the one-datagram result of
 * {@code encapsulate} is an object the {@code Peer} reuses, valid until its next
 * {@code encapsulate}); opening allocates only the result record (in place, index lookups
 * unboxed, lists made only when something must be sent, drops shared per reason).
 */
package io.warren.crypto.session;
