/**
 * Tunnels of every kind behind one seam: a {@link io.warren.gateway.tunnel.TunnelFactory} per
 * family (L3 GRE / GRE-in-UDP; L2 VXLAN / L2TPv3 / GRE) opens a {@link io.warren.gateway.tunnel.Tunnel}
 * for a {@code [tunnel.NAME]} section; the daemon's tunnel service starts, reloads and stops them.
 *
 * <p>Threading: factories are called from the daemon's control thread; a tunnel runs its own I/O
 * (a TUN/TAP reader thread and raw-socket or UDP receivers) and must be safe to close from the
 * control thread. {@link io.warren.gateway.tunnel.UnderlayReceiveLoop} is the one receive loop of the
 * plain UDP underlays (GRE-in-UDP, the shared VXLAN and L2TPv3 ports); {@link
 * io.warren.gateway.tunnel.UnderlayBuffers} their socket buffer sizes.
 */
package io.warren.gateway.tunnel;
