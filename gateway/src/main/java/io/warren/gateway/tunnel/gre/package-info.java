/**
 * Site-to-site L3 tunnels: GRE over IP (RFC 2784, key and sequence numbers of RFC 2890) and
 * GRE-in-UDP (RFC 8086), each a TUN device named after its {@code [tunnel.NAME]}.
 *
 * <p>Data path ({@link io.warren.gateway.tunnel.gre.GreOutbound}): TUN read (batches; with
 * offloads a TSO/USO super-packet per read, split in place into MTU-sized packets by
 * {@link io.warren.gateway.tunnel.gre.GreSegments}) -> {@link io.warren.gateway.tunnel.gre.GreTunnelCore#outbound}
 * per packet (checks, loop and blackhole drops, MTU: ICMP too-big back into the TUN or IPv4
 * fragmentation, MSS clamp, GRE header into the room before the packet) ->
 * {@link io.warren.gateway.tunnel.gre.GreUnderlay}: a raw socket, protocol 47, one sendmmsg per
 * batch, or UDP with one GSO send per super-packet and a per-flow source port (RFC 8086 §3.2.1).
 * Back: underlay receive (recvmmsg batches) -> {@code inbound} (GRE decode, key, sequence, inner
 * checks) -> {@link io.warren.gateway.tunnel.gre.GreTunWriter}: TCP segments whose checksum
 * verifies merged into one GSO TUN write per burst. The kernel routes LAN prefixes into the TUN
 * ({@link io.warren.gateway.tunnel.gre.KernelRoutes}, from {@link io.warren.gateway.tunnel.gre.RoutePlan}).
 * Inside WireGuard ({@code encrypted-via}) the underlay is simply the kernel's route to the peer's
 * WireGuard address, i.e. Warren's WireGuard TUN; the path MTU read there sizes the tunnel MTU.
 * Per tunnel options: key, sequence numbers, checksum (for GRE and GRE-in-UDP alike) and
 * {@code mss-clamp} (on, off or a ceiling: {@link io.warren.gateway.tunnel.gre.GreTunnelSettings#maxMss}).
 *
 * <p>Threading: the core is sans-I/O (time is an argument); per tunnel, one TUN reader thread
 * calls {@code outbound} and sends, and one underlay receive thread (raw or UDP, each
 * {@code recvmmsg} into a fixed ring) calls {@code inbound} and writes to the TUN device; counters
 * are lock-free. Tunnels are
 * opened and closed on the daemon's control thread.
 *
 * <p>Allocation: none per packet in steady state, either way (GreAllocationTest): the core
 * returns one reused {@link io.warren.gateway.tunnel.gre.GreResult.Send} / {@code Deliver} per
 * direction and shared drop constants, decodes into a reused header, and the shell hands buffers
 * to the TUN device and sockets through their own reused NIO views ({@code internalNioBuffer}).
 * Only fragments and ICMP errors are new objects. GRE-in-UDP has its own sockets (no Netty channel:
 * Netty made a packet and an address object per datagram) and compares the source in place.
 *
 * <p>Buffers: the TUN reader owns a ring of direct buffers with headroom and a segment arena, and
 * reuses them (the core writes GRE headers in place); the raw underlay queues pointers into them
 * until the reader's flush, so they are not reused before it. Fragments and ICMP errors are new
 * pooled buffers released by the reader after the flush. The raw and UDP receivers own their
 * receive slots, valid until their next receive (after the TUN write or the coalescer's copy).
 */
package io.warren.gateway.tunnel.gre;
