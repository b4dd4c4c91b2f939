package io.warren.tun;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One queue of a TUN (IP packets) or TAP (Ethernet frames) device: packet I/O only, no address or
 * link configuration. With {@link #vnetHdr()} every packet read or written starts with a 10-byte
 * {@link VirtioNetHeader}.
 *
 * <p>Buffers belong to the caller and must be direct; nothing is kept after a call returns. A read
 * places the packet at the buffer's position, so callers can leave headroom before it for outer
 * headers. Reads and writes may run on different threads; {@link #close()} from any thread wakes a
 * blocked reader, which then gets {@link java.nio.channels.AsynchronousCloseException}.
 */
public interface TunDevice extends Closeable {
    /** The interface name the kernel gave the device (a template like {@code wt%d} resolved). */
    String name();

    /** TUN (layer 3) or TAP (layer 2). */
    TunMode mode();

    /** True when each packet is preceded by a {@link VirtioNetHeader} ({@code IFF_VNET_HDR}). */
    boolean vnetHdr();

    /**
     * Reads one packet into {@code dst} between position and limit and advances the position.
     * Blocks until a packet arrives unless the device was opened non-blocking, in which case it
     * returns 0 when nothing is ready. A packet longer than the space left is dropped and counted
     * as {@link TunDrop#READ_TRUNCATED}, and the next packet is read instead.
     *
     * @return the packet length (including the vnet header, if any), or 0 if nothing was ready
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Waits until the device is readable (poll), then reads packets into {@code bufs[0]},
     * {@code bufs[1]}, ... until the kernel queue is empty or the array is full. Always waits for at
     * least one packet, also on a non-blocking device. Each filled buffer's position is advanced.
     *
     * @return how many buffers were filled (at least 1)
     */
    int readBatch(ByteBuffer[] bufs) throws IOException;

    /**
     * Writes {@code src} between position and limit as one packet and moves the position to the
     * limit. A packet the kernel refuses (malformed, device down, no buffer) is counted as a
     * {@link TunDrop}, not thrown.
     */
    void write(ByteBuffer src) throws IOException;

    /** The interface MTU ({@code SIOCGIFMTU}). */
    int mtu() throws IOException;

    /** How many packets were dropped for {@code reason} since the device was opened. */
    long dropped(TunDrop reason);

    /** Closes the device (idempotent) and wakes any blocked reader. */
    @Override
    void close();
}
