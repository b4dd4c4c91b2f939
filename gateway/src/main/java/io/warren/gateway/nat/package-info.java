/**
 * NAT traversal: the pieces that let gateways behind NATs find and keep a path to each other.
 *
 * <ul>
 *   <li>STUN (RFC 8489), Binding only: {@link io.warren.gateway.nat.StunWire} (every constant),
 *       {@link io.warren.gateway.nat.StunCodec} (requests with FINGERPRINT; responses with
 *       XOR-MAPPED-ADDRESS or MAPPED-ADDRESS; bad input is a counted
 *       {@link io.warren.gateway.nat.StunDropReason}, never an exception) and
 *       {@link io.warren.gateway.nat.StunClient}, a sans-I/O client with the §6.2.1
 *       retransmission schedule that also judges the NAT's mapping behaviour (RFC 4787 §4.1) by
 *       comparing two servers' answers. {@link io.warren.gateway.nat.StunAgent} is its shell: it
 *       sends from the WireGuard port and takes the responses off that port with a
 *       {@link io.warren.gateway.transport.DatagramTap} (STUN is told apart from WireGuard by the
 *       magic cookie and the length field).</li>
 *   <li>{@link io.warren.gateway.nat.EndpointRefresh}: when endpoint host names are resolved
 *       again (periodically, and when a peer went quiet).</li>
 *   <li>Hole punching between Warren gateways, relay fallback through the hub: coordination
 *       messages ({@link io.warren.gateway.nat.CoordWire}, {@link io.warren.gateway.nat.CoordCodec})
 *       travel inside the tunnel and are taken off the decrypted stream with the sender's
 *       authenticated key ({@link io.warren.gateway.transport.InnerTap}), over IPv4 or IPv6 tunnel
 *       addresses, and only with TTL / hop limit 255 (RFC 5082: what the peer built itself, not
 *       what it forwarded from its LAN); the hub ({@link io.warren.gateway.nat.HubCoordinator}) introduces Warren spokes
 *       to each other only when it relays traffic between them ({@link
 *       io.warren.gateway.nat.RelayedFlows}, mapped to spokes by {@link
 *       io.warren.gateway.nat.PrefixOwners}), paced by {@link io.warren.gateway.nat.TokenBucket}s
 *       per spoke and overall; a spoke ({@link io.warren.gateway.nat.SpokeCoordinator}) believes
 *       only its hub, ignores replays, does not punch when both NATs are symmetric (their STUN
 *       mapping travels in HELLO and INTRODUCE) but probes rarely with back-off, and moves a
 *       spoke's prefixes to a direct peer once a direct handshake completes and back when it goes
 *       quiet ({@link io.warren.gateway.nat.PathOverlay}, applied with {@code reconcile} and kept
 *       through reloads). {@link io.warren.gateway.nat.CoordinationAgent} is the shell;
 *       {@link io.warren.gateway.nat.PeerPaths} publishes the paths for status and metrics.</li>
 * </ul>
 *
 * <p>Threading: the cores ({@code StunClient}, {@code EndpointRefresh}, {@code HubCoordinator},
 * {@code SpokeCoordinator}, {@code TokenBucket}, the codecs) are not
 * thread-safe and take {@code now} (monotonic nanos) and randomness as inputs; their shells
 * serialise calls (the {@code warren-nat} timer thread and the interface's receive thread, through the
 * shell's monitor; the inner tap, which runs under the interface's lock, only decodes into a bounded
 * queue that the timer thread drains, and on a hub notes flows in {@code RelayedFlows}' fixed table
 * without allocating). Buffers: the codec reads received datagrams in place during the call (the
 * transport releases them afterwards) and returns fresh heap buffers for what it encodes.
 */
package io.warren.gateway.nat;
