package io.warren.gateway.transport;

import io.warren.crypto.session.TransportData;
import io.warren.tun.offload.GsoSegmenter;
import io.warren.tun.udp.UdpSendSocket;
import java.nio.ByteBuffer;

/**
 * The TUN reader's room for the segments of one TSO/USO super-packet: one direct buffer in which
 * segment i's inner packet starts at {@code i * stride + 16}, with exactly enough space after it
 * for padding and the tag. Once each segment is sealed in place, the datagrams lie back to back,
 * every one {@code stride} bytes except the last: one UDP GSO send ({@code UDP_SEGMENT}) carries
 * the whole run. Owned by the reader thread; the {@link OutboundPath} pads the segments under the
 * interface lock and seals and sends them after it ({@link OutboundPath#segments},
 * {@link DatagramSender#sendRun}).
 */
final class SegmentArena {
    /** Largest run of segments per super-packet (a 64 KB TSO packet at MSS 1380 has 48). */
    static final int MAX_SEGMENTS = 64;
    /** The WireGuard data header before each inner packet. */
    static final int HEADER = 16;
    private static final int TAG = 16;

    private final int mtu;
    private final int maxSegment;
    final ByteBuffer arena;
    final ByteBuffer[] views = new ByteBuffer[MAX_SEGMENTS];
    /** A reusable view for handing a run of sealed datagrams to the socket. */
    final ByteBuffer run;
    /** The bytes between consecutive datagrams of the latest split. */
    int stride;

    SegmentArena(int mtu) {
        this.mtu = mtu;
        this.maxSegment = Math.max(mtu, 1280);
        this.arena = ByteBuffer.allocateDirect(MAX_SEGMENTS * (HEADER + TransportData.paddedLength(maxSegment, mtu) + TAG));
        for (int i = 0; i < views.length; i++) {
            views[i] = arena.duplicate();
        }
        this.run = arena.duplicate();
    }

    /**
     * Splits the super-packet {@code pkt[position, limit)} (after the virtio-net header) into
     * {@link #views}; sets {@link #stride}.
     *
     * @return the number of segments, or a negative {@link GsoSegmenter} code
     */
    int split(ByteBuffer pkt, int gsoType, int gsoSize, int headerLength) {
        int full = headerLength + gsoSize;
        if (full > maxSegment || full <= headerLength) {
            return GsoSegmenter.MALFORMED;
        }
        stride = HEADER + TransportData.paddedLength(full, mtu) + TAG;
        int segments = Math.min(MAX_SEGMENTS, arena.capacity() / stride);
        for (int i = 0; i < segments; i++) {
            int at = i * stride;
            views[i].limit(at + stride).position(at + HEADER);
        }
        int payload = pkt.remaining() - headerLength;
        if (payload < 0) {
            return GsoSegmenter.MALFORMED;
        }
        if ((payload + gsoSize - 1) / gsoSize > segments) {
            return GsoSegmenter.TOO_MANY_SEGMENTS;
        }
        return GsoSegmenter.segment(pkt, gsoType, gsoSize, views);
    }

    /** How many consecutive datagrams fit one UDP GSO send. */
    int segmentsPerSend() {
        return UdpSendSocket.segmentsPerSend(stride);
    }

    /** The transport header length of the super-packet (IP + TCP/UDP), or -1 when unreadable. */
    static int headerLength(ByteBuffer pkt, int gsoType) {
        return GsoSegmenter.headerLength(pkt, gsoType);
    }
}
