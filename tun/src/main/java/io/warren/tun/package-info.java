/**
 * TUN/TAP device layer: packet I/O on Linux {@code /dev/net/tun} file descriptors, and nothing else.
 *
 * <p>Role: {@link io.warren.tun.LinuxTun} opens devices ({@link io.warren.tun.TunOptions}: name or
 * template, {@link io.warren.tun.TunMode TUN (L3) or TAP (L2)}, {@code IFF_NO_PI} always,
 * {@code IFF_MULTI_QUEUE}, {@code IFF_VNET_HDR} with offloads); a {@link io.warren.tun.TunDevice}
 * reads and writes whole packets. Addresses, routes and link state are configured elsewhere
 * ({@code io.warren.tun.link}, rtnetlink), so the device interface is easy to fake (see the
 * {@code io.warren.tun.testing.MemoryTunDevice} in the test-jar). {@link io.warren.tun.VirtioNetHeader}
 * is the 10-byte offload header that precedes every packet when {@code IFF_VNET_HDR} is set.
 *
 * <p>Threading: a device may be read by one thread and written by another at the same time.
 * {@code close()} may be called from any thread; it wakes a thread blocked in {@code read} or
 * {@code readBatch} (a poll on the TUN fd plus an eventfd), and the file descriptors are closed only
 * after the last in-flight call has returned, so a descriptor number is never reused under a caller.
 * Several queues of a {@link io.warren.tun.MultiQueueTun} are meant to be served by one thread each.
 *
 * <p>Buffers: the caller owns every {@link java.nio.ByteBuffer} passed in; they must be direct. The
 * device reads and writes between position and limit through the buffer's native address (no copy,
 * no allocation per packet) and keeps no reference after the call returns. Native scratch memory
 * (struct ifreq, pollfd arrays) belongs to the device and is freed by the garbage collector.
 *
 * <p>Errors: setup failures and unexpected errno values throw {@link io.warren.tun.TunException}
 * naming the device and the errno; packets the kernel rejects or that do not fit are counted
 * drops ({@link io.warren.tun.TunDrop}), never exceptions.
 */
package io.warren.tun;
