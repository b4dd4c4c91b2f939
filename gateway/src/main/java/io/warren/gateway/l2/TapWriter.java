package io.warren.gateway.l2;

import io.warren.tun.TunDevice;
import io.warren.tun.VirtioNetHeader;
import io.warren.tun.offload.GsoSegmenter;
import io.warren.tun.offload.TcpCoalescer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The local (TAP) side of an {@link L2Tunnel}'s receive path. On a plain TAP each frame is one
 * write. On a TAP with a virtio-net header, the in-order TCP segments of one flow that arrive in
 * one receive burst are merged ({@link TcpCoalescer}, behind their identical Ethernet header and
 * 802.1Q tag) into one GSO write ({@code GSO_TCPV4}/{@code GSO_TCPV6}), as GRO would; a segment is
 * only merged when its TCP checksum holds ({@link GsoSegmenter#tcpChecksumValid}: the overlay does
 * not authenticate), so a corrupt one reaches the kernel as it came and is dropped there. Other frames are written
 * alone behind a header asking for nothing, after the merged ones before them (order is kept).
 *
 * <p>Threading: called by the socket threads; a lock of its own guards the coalescer and the scratch
 * buffer, so the TAP reader (outbound) never waits for a TAP write. Buffers: {@link #write} copies
 * the frame (into the coalescer or the scratch buffer) when it must add a header, else writes it in
 * place; the caller keeps ownership.
 */
final class TapWriter {
    private final TunDevice tap;
    private final boolean vnet;
    private final L2Counters counters;
    private final LongAdder localTxFrames;
    private final ReentrantLock lock = new ReentrantLock();
    private final TcpCoalescer coalescer;
    private final ByteBuffer scratch;

    TapWriter(TunDevice tap, L2Counters counters) {
        this.tap = tap;
        this.vnet = tap.vnetHdr();
        this.counters = counters;
        this.localTxFrames = counters.adder(L2Counters.LOCAL_TX_FRAMES);
        this.coalescer = vnet ? new TcpCoalescer() : null;
        this.scratch = vnet ? ByteBuffer.allocateDirect(VirtioNetHeader.SIZE + 65_535 + TcpCoalescer.MAX_L2) : null;
    }

    /** Writes (or holds, to merge) the frame {@code frame[position, limit)}. */
    void write(ByteBuffer frame) {
        if (!vnet) {
            if (writeOut(frame)) {
                localTxFrames.increment();
            }
            return;
        }
        lock.lock();
        try {
            int l2 = FrameArena.ethernetHeaderLength(frame);
            if (l2 > 0 && tcpChecksumValid(frame, l2)) {
                if (offer(frame, l2)) {
                    return;
                }
                flushLocked();
                if (offer(frame, l2)) {
                    return;
                }
            } else {
                flushLocked();
            }
            if (frame.remaining() > scratch.capacity() - VirtioNetHeader.SIZE) {
                counters.drop("tap_write_failed");
                return;
            }
            scratch.clear();
            VirtioNetHeader.NONE.encode(scratch);
            int length = frame.remaining();
            scratch.put(VirtioNetHeader.SIZE, frame, frame.position(), length); // absolute: no duplicate
            scratch.position(VirtioNetHeader.SIZE + length).flip();
            if (writeOut(scratch)) {
                localTxFrames.increment();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The TCP checksum of the packet after {@code l2} bytes holds (the position is restored). */
    private static boolean tcpChecksumValid(ByteBuffer frame, int l2) {
        int p = frame.position();
        frame.position(p + l2);
        boolean ok = GsoSegmenter.tcpChecksumValid(frame);
        frame.position(p);
        return ok;
    }

    private boolean offer(ByteBuffer frame, int l2) {
        boolean wasEmpty = coalescer.isEmpty();
        if (!coalescer.offer(frame, l2)) {
            return false;
        }
        localTxFrames.increment();
        if (wasEmpty) {
            InboundBurst.holding(this);
        }
        return true;
    }

    /** Writes the segments merged so far, if any (end of a receive burst). */
    void flush() {
        if (!vnet) {
            return;
        }
        lock.lock();
        try {
            flushLocked();
        } finally {
            lock.unlock();
        }
    }

    private void flushLocked() {
        ByteBuffer merged = coalescer.flush();
        if (merged != null) {
            writeOut(merged);
        }
    }

    private boolean writeOut(ByteBuffer b) {
        try {
            tap.write(b);
            return true;
        } catch (IOException e) {
            counters.drop("tap_write_failed");
            return false;
        }
    }
}
