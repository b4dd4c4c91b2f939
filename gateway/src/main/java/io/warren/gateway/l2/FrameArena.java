package io.warren.gateway.l2;

import io.netty.buffer.ByteBuf;
import io.warren.tun.offload.GsoSegmenter;
import io.warren.tun.udp.UdpSendSocket;
import java.nio.ByteBuffer;

/**
 * The TAP reader's room for the frames of one TSO/USO super-frame: one direct buffer in which
 * frame i starts at {@code i * stride + overlay}, with exactly the overlay header's room before
 * it. Once each frame has its VXLAN or L2TPv3 header, the datagrams lie back to back, every one
 * {@code stride} bytes except the last, so one UDP GSO send ({@code UDP_SEGMENT}, all segments one
 * size except the last) carries the run; the kernel adds the outer UDP and IP headers to each.
 * Owned by the reader thread; the tunnel fills it under its lock.
 */
final class FrameArena {
    /** Largest number of frames one super-frame may be cut into (64 KB at an MSS of ~512). */
    static final int MAX_SEGMENTS = 128;

    private final int maxDatagram;
    private final ByteBuffer arena;
    /** Segment i's frame, positioned by {@link #split}. */
    final ByteBuffer[] frames = new ByteBuffer[MAX_SEGMENTS];
    /** A Netty view of the whole arena (index i = arena index i), for the overlay codecs. */
    final ByteBuf view;
    /** A reusable view for handing a run of datagrams to the socket. */
    final ByteBuffer run;
    /** Bytes between consecutive datagrams of the latest split: overlay header and full frame. */
    int stride;

    /**
     * @param maxPayload largest Ethernet payload of a segment (the segment MTU)
     */
    FrameArena(int maxPayload) {
        this.maxDatagram = L2Tunnel.HEADROOM + L2Switch.ETHERNET_HEADER + L2Switch.VLAN_TAG + maxPayload;
        this.arena = ByteBuffer.allocateDirect(MAX_SEGMENTS * maxDatagram);
        for (int i = 0; i < frames.length; i++) {
            frames[i] = arena.duplicate();
        }
        this.view = L2Tunnel.view(arena);
        this.run = arena.duplicate();
    }

    /**
     * Cuts the super-frame {@code frame[position, limit)} (link-layer header of {@code l2Length}
     * bytes, then the IP packet) into {@link #frames}, leaving {@code overlay} bytes before each.
     *
     * @return the number of frames, or a negative {@link GsoSegmenter} code
     */
    int split(ByteBuffer frame, int l2Length, int gsoType, int gsoSize, int overlay) {
        int headers = headerLength(frame, l2Length, gsoType);
        if (headers < 0 || gsoSize <= 0 || overlay > L2Tunnel.HEADROOM) {
            return GsoSegmenter.MALFORMED;
        }
        int full = l2Length + headers + gsoSize;
        if (overlay + full > maxDatagram) {
            return GsoSegmenter.MALFORMED;
        }
        int payload = frame.remaining() - l2Length - headers;
        if (payload <= 0) {
            return GsoSegmenter.MALFORMED;
        }
        if ((payload + gsoSize - 1) / gsoSize > MAX_SEGMENTS) {
            return GsoSegmenter.TOO_MANY_SEGMENTS;
        }
        stride = overlay + full;
        for (int i = 0; i < MAX_SEGMENTS; i++) {
            int at = i * stride;
            frames[i].limit(at + stride).position(at + overlay);
        }
        return GsoSegmenter.segment(frame, l2Length, gsoType, gsoSize, frames);
    }

    /** How many consecutive datagrams fit one UDP GSO send. */
    int segmentsPerSend() {
        return UdpSendSocket.segmentsPerSend(stride);
    }

    /** The datagrams {@code [from, to)} of the latest split, as one buffer (a reused view). */
    ByteBuffer run(int from, int to) {
        run.limit(frames[to - 1].limit()).position(from * stride);
        return run;
    }

    /**
     * The IP and TCP/UDP header length of the packet after {@code l2Length} bytes, or -1 when it is
     * unreadable or not what {@code gsoType} says.
     */
    static int headerLength(ByteBuffer frame, int l2Length, int gsoType) {
        int p = frame.position();
        if (l2Length < 0 || l2Length > frame.remaining()) {
            return -1;
        }
        frame.position(p + l2Length);
        int h = GsoSegmenter.headerLength(frame, gsoType);
        frame.position(p);
        return h;
    }

    /**
     * The link-layer header length of an Ethernet frame at {@code frame}'s position: 14, or 18 with
     * one 802.1Q tag; -1 for anything else (stacked tags, too short).
     */
    static int ethernetHeaderLength(ByteBuffer frame) {
        int p = frame.position();
        if (frame.limit() - p < L2Switch.ETHERNET_HEADER) {
            return -1;
        }
        int type = frame.getShort(p + 12) & 0xffff;
        if (type != L2Switch.TPID_8021Q) {
            return type == 0x88a8 || type == 0x9100 ? -1 : L2Switch.ETHERNET_HEADER;
        }
        return frame.limit() - p >= L2Switch.ETHERNET_HEADER + L2Switch.VLAN_TAG
                && (frame.getShort(p + 16) & 0xffff) != L2Switch.TPID_8021Q
                ? L2Switch.ETHERNET_HEADER + L2Switch.VLAN_TAG : -1;
    }
}
