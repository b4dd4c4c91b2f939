/**
 * L2 overlays: Ethernet segments stretched over VXLAN (RFC 7348), L2TPv3 Ethernet pseudowires
 * (RFC 3931, RFC 4719) and L2 GRE ("gretap": protocol type 0x6558, RFC 2784/2890, over IP or
 * GRE-in-UDP, RFC 8086), switched per segment between a TAP device and remote tunnel endpoints.
 *
 * <p>The data path, outbound: TAP read (batch) -> {@link io.warren.gateway.l2.L2Switch} maps the
 * 802.1Q VLAN to a segment and removes the tag -> {@link io.warren.gateway.l2.L2Segment} learns the
 * source and looks the destination up in its {@link io.warren.routing.MacTable} -> unicast to the
 * remote it was learned behind, or flood a copy to every remote (head-end replication) -> the
 * {@link io.warren.gateway.l2.Encapsulation} writes the VXLAN, L2TPv3 or GRE header -> UDP send (source
 * port from the inner flow hash for VXLAN and GRE-in-UDP), or raw IP send for L2TPv3 and GRE over IP.
 * Inbound: UDP receive -> demultiplex by VNI or Session ID (GRE: the tunnel's own socket)
 * -> decapsulate (malformed input is a counted drop, never an exception) -> learn the source behind
 * the sending remote -> deliver to the TAP (tag put back), never to another remote (split horizon).
 * Frames larger than the segment MTU (underlay MTU minus outer headers) are counted as
 * {@code drop_oversized}, never fragmented; the TAP's MTU is set to that value so the local stack
 * does not make them.
 *
 * <p>Configuration: {@link io.warren.gateway.l2.L2TunnelFactory} turns a {@code [tunnel.NAME]} into a
 * tunnel: the {@code remote} list is the segment's static flood list, {@code static-macs} become
 * static entries of its MAC table, L2TPv3 session IDs, cookies, {@code l2-sublayer} and
 * {@code sequence} go into the session, a GRE tunnel's {@code key}, {@code sequence} and
 * {@code checksum} into its {@link io.warren.gateway.l2.GretapEncapsulation}. It reaches the machine only through {@code L2Host} (TAP,
 * rtnetlink, bridge ports, underlay MTU, the shared sockets), so tests run it on in-memory devices.
 *
 * <p>Threading: {@link io.warren.gateway.l2.L2Switch}, {@link io.warren.gateway.l2.L2Segment} and the
 * encapsulations are sans-I/O and not thread-safe ({@code now} is an argument). The shell,
 * {@link io.warren.gateway.l2.L2Tunnel}, runs one TAP reader thread (outbound); inbound runs on the
 * receive thread of its shared UDP port, or of the shared raw socket for L2TPv3 over IP, or of its
 * own GRE underlay ({@link io.warren.gateway.l2.GreEndpoint}); the aging timer on the daemon's
 * event loop. Every call into the core happens under the tunnel's lock; the socket
 * sends and TAP writes happen after it is released (TAP writes under the writer's own lock, which
 * guards its coalescer). Counters are lock-free adders.
 *
 * <p>Offloads: the TAP is opened with a virtio-net header and CSUM/TSO/USO offloads
 * ({@link io.warren.gateway.l2.TapDevices}; TCP-only or none on kernels that refuse them), so the
 * local stack hands over 64 KB TCP super-frames. The reader finishes partial checksums of single
 * frames and passes each super-frame to {@link io.warren.gateway.l2.L2Tunnel#outboundSuper}: one
 * switch decision for all of it (its frames share the Ethernet header: one VLAN, one learned source,
 * one destination; the MTU check applies to the frames it will be cut into), then
 * {@link io.warren.tun.offload.GsoSegmenter} cuts it behind its Ethernet header (and tag, if it
 * stays) into MTU-sized frames in the reader's {@link io.warren.gateway.l2.FrameArena}, each with
 * the overlay header written before it, back to back; one {@code sendmsg} with {@code UDP_SEGMENT}
 * per remote sends the run (the kernel builds the outer UDP/IP headers of every datagram; all share
 * the remote and the flow's source port; a flood sends the same run to each remote). Inbound, the
 * port's thread reads bursts with {@code recvmmsg}; {@link io.warren.gateway.l2.TapWriter} merges the
 * in-order TCP segments of a burst whose checksums hold into one GSO write to the TAP
 * ({@link io.warren.tun.offload.TcpCoalescer}, flushed at the end of the burst by
 * {@link io.warren.gateway.l2.InboundBurst}); other frames are written alone behind an empty
 * virtio-net header. Oversized frames are still counted drops, never fragmented; malformed
 * offload input is {@code drop_offload_malformed}.
 *
 * <p>Buffers: the TAP reader owns a ring of direct buffers with {@value
 * io.warren.gateway.l2.L2Tunnel#HEADROOM} bytes of headroom (64 KB each with offloads) and its
 * frame arena; the overlay header is written into the headroom in place and the datagram is sent
 * from that buffer with {@code sendmsg} (no copy); a flood sends the same bytes to each remote.
 * Received datagrams stay in the receiving socket's ring slots (the raw socket's receiver reuses one
 * direct buffer), switched in place (a VLAN tag is inserted into the bytes of the overlay header
 * before the frame) and written to the TAP before the next receive; with offloads the frame is copied into
 * the coalescer or behind a virtio-net header in the writer's scratch buffer first.
 *
 * <p>Allocation: the switch, the encapsulations and the shell allocate nothing per frame in steady
 * state, either way, nor per dropped datagram (L2AllocationTest): decisions and decode results are
 * reused ({@link io.warren.gateway.l2.L2Decision}), each remote has one MAC-table port, receivers
 * are found by primitive key ({@link io.warren.gateway.l2.ReceiverTable}), drop counters are cached
 * by reason, the UDP ports receive into fixed rings and read the source in place
 * ({@link io.warren.gateway.l2.SharedUdpPort}), and received datagrams are handed on through their
 * buffer's own NIO view.
 */
package io.warren.gateway.l2;
