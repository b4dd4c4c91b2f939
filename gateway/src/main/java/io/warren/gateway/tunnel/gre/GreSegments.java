package io.warren.gateway.tunnel.gre;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.warren.tun.offload.GsoSegmenter;
import java.nio.ByteBuffer;

/**
 * The TUN reader's room for the segments of one TSO/USO super-packet: one direct buffer in which
 * segment i's inner packet starts at {@code i * stride + greHeader}, the GRE header's room just
 * before it. Once the core has written each GRE header in place, the GRE packets lie back to back,
 * every one {@code stride} bytes except the last: one UDP GSO send ({@code UDP_SEGMENT}) carries the
 * whole run, or one sendmmsg the raw packets. Owned by the TUN reader thread.
 */
final class GreSegments implements AutoCloseable {
    /** Most segments per super-packet (64 KB at an MSS of 512). */
    static final int MAX_SEGMENTS = 128;
    /** Arena size: 64 full-MTU segments (a 64 KB TSO packet at MSS 1436 has 46). */
    private static final int FULL_SEGMENTS = 64;
    private static final UnpooledByteBufAllocator LONG_LIVED = new UnpooledByteBufAllocator(true, true);

    private final int greHeader;
    private final int maxSegment;
    /** The arena; the core works on it with indices set to one segment at a time. */
    final ByteBuf arena;
    private final ByteBuffer[] views = new ByteBuffer[MAX_SEGMENTS];
    /** The bytes between consecutive GRE packets of the latest split. */
    int stride;

    /**
     * @param greHeader  the tunnel's GRE header length (fixed per tunnel)
     * @param maxSegment the largest inner segment (the TUN device MTU)
     */
    GreSegments(int greHeader, int maxSegment) {
        this.greHeader = greHeader;
        this.maxSegment = maxSegment;
        int capacity = FULL_SEGMENTS * (greHeader + maxSegment);
        this.arena = LONG_LIVED.directBuffer(capacity, capacity);
        ByteBuffer whole = arena.nioBuffer(0, capacity);
        for (int i = 0; i < views.length; i++) {
            views[i] = whole.duplicate();
        }
    }

    /**
     * Splits the super-packet {@code pkt[position, limit)} (after the virtio-net header); sets
     * {@link #stride}. Segment i's inner packet is then {@code [innerStart(i), innerEnd(i))}.
     *
     * @return the number of segments, or a negative {@link GsoSegmenter} code
     */
    int split(ByteBuffer pkt, int gsoType, int gsoSize) {
        int hdr = GsoSegmenter.headerLength(pkt, gsoType);
        if (hdr < 0 || gsoSize <= 0 || hdr + gsoSize > maxSegment) {
            return GsoSegmenter.MALFORMED;
        }
        stride = greHeader + hdr + gsoSize;
        int payload = pkt.remaining() - hdr;
        int segments = Math.min(MAX_SEGMENTS, arena.capacity() / stride);
        if (payload < 0) {
            return GsoSegmenter.MALFORMED;
        }
        if ((payload + gsoSize - 1) / gsoSize > segments) {
            return GsoSegmenter.TOO_MANY_SEGMENTS;
        }
        for (int i = 0; i < segments; i++) {
            int at = i * stride + greHeader;
            views[i].limit(at + stride - greHeader).position(at);
        }
        return GsoSegmenter.segment(pkt, gsoType, gsoSize, views);
    }

    int innerStart(int i) {
        return views[i].position();
    }

    int innerEnd(int i) {
        return views[i].limit();
    }

    /** The GRE header's room before each inner segment. */
    int greHeader() {
        return greHeader;
    }

    @Override
    public void close() {
        arena.release();
    }
}
