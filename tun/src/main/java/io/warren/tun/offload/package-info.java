/**
 * Software versions of the offloads a TUN device asks for with {@code IFF_VNET_HDR} (the virtio-net
 * header, {@link io.warren.tun.VirtioNetHeader}): splitting a TSO/USO super-packet into
 * MSS-sized IP packets and finishing a partial ({@code NEEDS_CSUM}) checksum. Pure functions on
 * caller-owned buffers: no I/O, no allocation, no exceptions for bad input (malformed packets come
 * back as a negative count). Thread-safe (no state).
 *
 * <p>Why: with offloads on, the kernel hands a TCP sender's 64 KB segment to the TUN reader as one
 * read instead of ~45; a tunnel must still put MTU-sized packets inside its datagrams.
 */
package io.warren.tun.offload;
