/**
 * Site-to-site L3 tunnels: GRE over IP (RFC 2784, key and sequence numbers of RFC 2890) and
 * GRE-in-UDP (RFC 8086), each a TUN device named after its {@code [tunnel.NAME]}.
 *
 * <p>Data path: TUN read -> {@link io.warren.gateway.tunnel.gre.GreTunnelCore#outbound} (checks,
 * loop and blackhole drops, MTU: ICMP too-big back into the TUN or IPv4 fragmentation, MSS clamp,
 * GRE header into headroom) -> {@link io.warren.gateway.tunnel.gre.GreUnderlay} (raw socket,
 * protocol 47, or Netty UDP). Back: underlay receive -> {@code inbound} (GRE decode, key,
 * sequence, inner checks) -> TUN write. The kernel routes LAN prefixes into the TUN
 * ({@link io.warren.gateway.tunnel.gre.KernelRoutes}, from {@link io.warren.gateway.tunnel.gre.RoutePlan}).
 * Inside WireGuard ({@code encrypted-via}) the underlay is simply the kernel's route to the peer's
 * WireGuard address, i.e. Warren's WireGuard TUN; the path MTU read there sizes the tunnel MTU.
 * Per tunnel options: key, sequence numbers, checksum (for GRE and GRE-in-UDP alike) and
 * {@code mss-clamp} (on, off or a ceiling: {@link io.warren.gateway.tunnel.gre.GreTunnelSettings#maxMss}).
 *
 * <p>Threading: the core is sans-I/O (time is an argument); per tunnel, one TUN reader thread
 * calls {@code outbound} and one underlay receive thread (raw) or the Netty event loop (UDP) calls
 * {@code inbound}; counters are lock-free. Tunnels are opened and closed on the daemon's control
 * thread.
 *
 * <p>Buffers: the TUN reader owns a ring of direct buffers with headroom and reuses them (the core
 * writes the GRE header in place); fragments and ICMP errors are new pooled buffers released by the
 * shell after sending; the raw receiver owns one direct buffer; UDP datagrams are Netty's, released
 * by the handler after the TUN write.
 */
package io.warren.gateway.tunnel.gre;
