package io.warren.tun.offload;

import static io.warren.tun.offload.InternetChecksum.getU16;
import static io.warren.tun.offload.InternetChecksum.putU16;

import io.warren.tun.VirtioNetHeader;
import java.nio.ByteBuffer;

/**
 * Receive-side coalescing (software GRO) of one TCP flow: consecutive in-order segments are
 * merged into one super-packet written to a TUN device with a virtio-net header
 * ({@code GSO_TCPV4}/{@code GSO_TCPV6}, {@code NEEDS_CSUM}), so the kernel takes ~45 packets in one
 * write. The rules follow Linux's {@code tcp_gro_receive}: same addresses, ports, IP header fields
 * (TOS/traffic class, TTL/hop limit, DF; without DF, IPv4 identifications counting up by one),
 * acknowledgement number, window, reserved bits and TCP options; the sequence number continues
 * the held data; only ACK (and PSH on the last segment) set; every segment as long as the first
 * except a shorter last one. IPv4 options, IPv6 extension headers
 * and fragments are never merged, nor an IPv4 packet whose header checksum fails (RFC 791 §3.1:
 * the kernel drops it, so it goes alone; merged, its header would be replaced by a valid one, as
 * Linux's {@code inet_gro_receive} checks it too).
 *
 * <p>On a TAP device the packets are Ethernet frames: {@link #offer(ByteBuffer, int)} takes the
 * length of the link-layer header before the IP header (14, or 18 with an 802.1Q tag), which must
 * be byte-identical for every merged frame (same MACs, same tag) and leads the super-frame.
 *
 * <p>Not thread-safe: one instance per receiving thread; the buffer is its own.
 */
public final class TcpCoalescer {
    private static final int MAX_TOTAL = 65_535;
    private static final int MAX_SEGMENTS = 64;
    private static final int TCP_ACK = 0x10;
    private static final int TCP_PSH = 0x08;

    /** Longest link-layer header taken: Ethernet with one 802.1Q tag. */
    public static final int MAX_L2 = 18;

    private final ByteBuffer buf = ByteBuffer.allocateDirect(VirtioNetHeader.SIZE + MAX_L2 + MAX_TOTAL);
    private int l2; // link-layer header bytes before the held IP packet
    private int length; // bytes of the held IP packet (0: nothing held)
    private int version;
    private int ipHdr;
    private int hdr;
    private int segSize;
    private int segments;
    private long nextSeq;
    private boolean closed; // the last segment was short or carried PSH

    /** True when nothing is held. */
    public boolean isEmpty() {
        return length == 0;
    }

    /**
     * Merges {@code pkt[position, limit)} into the held super-packet, or starts one when nothing is
     * held. The packet's bytes are copied; its position is not moved.
     *
     * @return false when the packet cannot join (the caller {@link #flush}es, then offers it again
     *     or writes it alone)
     */
    public boolean offer(ByteBuffer pkt) {
        return offer(pkt, 0);
    }

    /**
     * As {@link #offer(ByteBuffer)} for a frame whose IP header follows {@code l2Length} bytes of
     * link-layer header; frames join only behind an identical link-layer header.
     */
    public boolean offer(ByteBuffer pkt, int l2Length) {
        // Longer than a super-packet may be (an IPv6 payload length of 65,535 says 65,575 bytes):
        // refused, as it would not fit the buffer.
        if (l2Length < 0 || l2Length > MAX_L2 || pkt.remaining() < l2Length
                || pkt.remaining() - l2Length > MAX_TOTAL) {
            return false;
        }
        int p = pkt.position() + l2Length;
        int len = pkt.remaining() - l2Length;
        int v = len > 0 ? (pkt.get(p) & 0xff) >>> 4 : 0;
        int ip;
        if (v == 4 && len >= 40 && pkt.get(p) == 0x45 && (pkt.get(p + 9) & 0xff) == 6
                && (getU16(pkt, p + 6) & 0x3fff) == 0 && getU16(pkt, p + 2) == len
                && InternetChecksum.fold(InternetChecksum.add(0, pkt, p, 20)) == 0xffff) {
            ip = 20;
        } else if (v == 6 && len >= 60 && (pkt.get(p + 6) & 0xff) == 6 && getU16(pkt, p + 4) == len - 40) {
            ip = 40;
        } else {
            return false;
        }
        int th = ((pkt.get(p + ip + 12) & 0xff) >>> 4) * 4;
        int flags = pkt.get(p + ip + 13) & 0xff;
        int payload = len - ip - th;
        if (th < 20 || payload <= 0 || (flags & ~TCP_PSH) != TCP_ACK) {
            return false;
        }
        long seq = (long) getU16(pkt, p + ip + 4) << 16 | getU16(pkt, p + ip + 6);
        if (length == 0) {
            start(pkt, l2Length, v, ip, th, payload, seq, flags);
            return true;
        }
        if (l2Length != l2 || !equal(pkt, pkt.position(), VirtioNetHeader.SIZE, l2) || v != version || ip + th != hdr || closed || payload > segSize || seq != nextSeq
                || segments >= MAX_SEGMENTS || length + payload > MAX_TOTAL || !sameHeaders(pkt, p)) {
            return false;
        }
        int at = VirtioNetHeader.SIZE + l2 + length;
        buf.put(at, pkt, p + hdr, payload);
        length += payload;
        segments++;
        nextSeq = (seq + payload) & 0xffffffffL;
        closed = payload < segSize || (flags & TCP_PSH) != 0;
        if ((flags & TCP_PSH) != 0) {
            int f = VirtioNetHeader.SIZE + l2 + ipHdr + 13;
            buf.put(f, (byte) (buf.get(f) | TCP_PSH));
        }
        return true;
    }

    private void start(ByteBuffer pkt, int l2Length, int v, int ip, int th, int payload, long seq, int flags) {
        buf.clear();
        buf.put(VirtioNetHeader.SIZE, pkt, pkt.position(), pkt.remaining());
        l2 = l2Length;
        length = pkt.remaining() - l2Length;
        version = v;
        ipHdr = ip;
        hdr = ip + th;
        segSize = payload;
        segments = 1;
        nextSeq = (seq + payload) & 0xffffffffL;
        closed = (flags & TCP_PSH) != 0;
    }

    /**
     * Addresses, ports, ack, window, options and the IP fields that must match (not lengths, ids,
     * checksums). The four bits after the TCP data offset (reserved, RFC 9293 §3.1; the first of
     * them is AccECN's AE) must match too, as in Linux's {@code tcp_gro_receive}, which compares
     * the whole flag word: only the first segment's header survives the merge.
     */
    private boolean sameHeaders(ByteBuffer pkt, int p) {
        int q = VirtioNetHeader.SIZE + l2;
        if (version == 4) {
            if (pkt.get(p + 1) != buf.get(q + 1) || pkt.get(p + 8) != buf.get(q + 8)
                    || pkt.get(p + 6) != buf.get(q + 6) || !equal(pkt, p + 12, q + 12, 8)) {
                return false;
            }
            // Without DF the identification counts up by one per segment, as segmenting the
            // super-packet numbers them again (RFC 6864 §4.1: it may matter to reassembly);
            // with DF (atomic datagrams) it has no meaning and is not compared.
            if ((pkt.get(p + 6) & 0x40) == 0 && ((getU16(pkt, p + 4) - getU16(buf, q + 4) - segments) & 0xffff) != 0) {
                return false;
            }
        } else if (!equal(pkt, p, q, 4) || pkt.get(p + 7) != buf.get(q + 7) || !equal(pkt, p + 8, q + 8, 32)) {
            return false;
        }
        int t = ipHdr;
        return equal(pkt, p + t, q + t, 4) // ports
                && equal(pkt, p + t + 8, q + t + 8, 5) // ack; data offset and the reserved bits (AE)
                && equal(pkt, p + t + 14, q + t + 14, 2) // window
                && equal(pkt, p + t + 18, q + t + 18, hdr - t - 18); // urgent pointer, options
    }

    private boolean equal(ByteBuffer pkt, int a, int b, int n) {
        for (int i = 0; i < n; i++) {
            if (pkt.get(a + i) != buf.get(b + i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Finishes the held packet and returns it with its virtio-net header, {@code [position,
     * limit)}, valid until the next call; null when nothing is held. One segment goes out as it came
     * (with {@code DATA_VALID}); several as a GSO packet whose checksum the kernel completes. So
     * offer only segments whose TCP checksum was verified ({@link GsoSegmenter#tcpChecksumValid}) or
     * whose integrity is otherwise assured (an authenticated tunnel), as Linux's GRO validates
     * before merging.
     */
    public ByteBuffer flush() {
        if (length == 0) {
            return null;
        }
        int q = VirtioNetHeader.SIZE + l2;
        if (segments == 1) {
            header(VirtioNetHeader.F_DATA_VALID, VirtioNetHeader.GSO_NONE, 0, 0, 0, 0);
        } else {
            if (version == 4) {
                putU16(buf, q + 2, length);
                putU16(buf, q + 10, 0);
                putU16(buf, q + 10, InternetChecksum.finish(InternetChecksum.add(0, buf, q, 20)));
            } else {
                putU16(buf, q + 4, length - 40);
            }
            int l4 = length - ipHdr;
            putU16(buf, q + ipHdr + 16,
                    InternetChecksum.fold(GsoSegmenter.pseudoHeader(buf, q, version, GsoSegmenter.PROTO_TCP, l4)));
            header(VirtioNetHeader.F_NEEDS_CSUM, version == 4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6,
                    l2 + hdr, segSize, l2 + ipHdr, 16);
        }
        buf.limit(q + length).position(0);
        length = 0;
        return buf;
    }

    private void header(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        buf.put(0, (byte) flags);
        buf.put(1, (byte) gsoType);
        le16(2, hdrLen);
        le16(4, gsoSize);
        le16(6, csumStart);
        le16(8, csumOffset);
    }

    private void le16(int at, int v) {
        buf.put(at, (byte) v);
        buf.put(at + 1, (byte) (v >>> 8));
    }
}
