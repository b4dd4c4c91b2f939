/**
 * Software versions of the offloads a TUN device asks for with {@code IFF_VNET_HDR} (the virtio-net
 * header, {@link io.warren.tun.VirtioNetHeader}): splitting a TSO/USO super-packet into
 * MSS-sized IP packets (or, from a TAP device, Ethernet frames: the link-layer header is copied
 * before each segment), finishing a partial ({@code NEEDS_CSUM}) checksum, merging received TCP
 * segments back into one GSO write, and verifying a received TCP checksum before merging. Pure
 * functions on
 * caller-owned buffers: no I/O, no allocation, no exceptions for bad input (malformed packets come
 * back as a negative count). Thread-safe (no state), except the {@code TcpCoalescer}, which holds
 * one super-packet and belongs to one thread (or lock) at a time.
 *
 * <p>Why: with offloads on, the kernel hands a TCP sender's 64 KB segment to the TUN reader as one
 * read instead of ~45; a tunnel must still put MTU-sized packets inside its datagrams.
 */
package io.warren.tun.offload;
