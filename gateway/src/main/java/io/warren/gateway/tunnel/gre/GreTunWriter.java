package io.warren.gateway.tunnel.gre;

import io.netty.buffer.ByteBuf;
import io.warren.tun.TunDevice;
import io.warren.tun.VirtioNetHeader;
import io.warren.tun.offload.GsoSegmenter;
import io.warren.tun.offload.TcpCoalescer;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes IP packets into the tunnel's TUN device from one thread. On a device with a virtio-net
 * header every packet gets one: in the bytes before it when the buffer has room (the outer headers
 * just removed), else through a copy; and TCP segments whose checksum verifies are merged
 * ({@link TcpCoalescer}) into one GSO write per burst, as Linux's GRO would, until
 * {@link #flush()} (the end of a receive burst) or a packet that cannot join. A GRE packet has no
 * integrity check of its own, so a single packet is written without {@code DATA_VALID}: the kernel
 * verifies its checksum as for any received packet.
 *
 * <p>Not thread-safe: one instance per writing thread (the underlay receiver; the TUN reader for
 * ICMP errors). Buffers stay the caller's.
 */
final class GreTunWriter {
    private final TunDevice tun;
    private final GreCounters counters;
    private final boolean vnet;
    private final TcpCoalescer coalescer;
    private ByteBuffer scratch;

    /** @param coalesce merge TCP segments (for the inbound writer; needs {@link #flush()} calls) */
    GreTunWriter(TunDevice tun, GreCounters counters, boolean coalesce) {
        this.tun = tun;
        this.counters = counters;
        this.vnet = tun.vnetHdr();
        this.coalescer = vnet && coalesce ? new TcpCoalescer() : null;
    }

    /** Writes (or merges) the IP packet readable in {@code pkt}; may write into the bytes before it. */
    void write(ByteBuf pkt) {
        // The buffer's own reused NIO view (no object per packet); its position is an index into
        // the buffer's memory. Valid until the next internalNioBuffer call on the buffer.
        ByteBuffer nio = pkt.internalNioBuffer(pkt.readerIndex(), pkt.readableBytes());
        if (coalescer != null && nio.isDirect() && GsoSegmenter.tcpChecksumValid(nio)) {
            if (coalescer.offer(nio)) {
                return;
            }
            flush();
            if (coalescer.offer(nio)) {
                return;
            }
        } else if (coalescer != null) {
            flush(); // keep the order of what was merged before this packet
        }
        if (!vnet) {
            write(nio.isDirect() ? nio : copy(nio, 0));
            return;
        }
        int at = pkt.readerIndex();
        if (at >= VirtioNetHeader.SIZE && nio.isDirect() && pkt.nioBufferCount() == 1) {
            ByteBuffer withHeader = pkt.internalNioBuffer(at - VirtioNetHeader.SIZE, pkt.readableBytes() + VirtioNetHeader.SIZE);
            clearHeader(withHeader, withHeader.position());
            write(withHeader);
        } else {
            write(copy(nio, VirtioNetHeader.SIZE));
        }
    }

    /** Writes the TCP segments merged so far (one GSO super-packet), if any. */
    void flush() {
        if (coalescer == null) {
            return;
        }
        ByteBuffer merged = coalescer.flush();
        if (merged != null) {
            write(merged);
        }
    }

    private ByteBuffer copy(ByteBuffer nio, int header) {
        int need = header + nio.remaining();
        if (scratch == null || scratch.capacity() < need) {
            scratch = ByteBuffer.allocateDirect(Math.max(need, 2048));
        }
        scratch.clear();
        if (header > 0) {
            clearHeader(scratch, 0);
        }
        int length = nio.remaining();
        scratch.put(header, nio, nio.position(), length); // absolute: no duplicate
        return scratch.position(header + length).flip();
    }

    /** A virtio-net header that asks for nothing (GSO_NONE, no checksum flags). */
    private static void clearHeader(ByteBuffer b, int at) {
        for (int i = 0; i < VirtioNetHeader.SIZE; i++) {
            b.put(at + i, (byte) 0);
        }
    }

    private void write(ByteBuffer b) {
        try {
            tun.write(b);
        } catch (IOException e) {
            counters.add(GreCounters.Traffic.TUN_WRITE_ERRORS, 1);
        }
    }
}
