package io.warren.tun.offload;

import static io.warren.tun.offload.InternetChecksum.getU16;
import static io.warren.tun.offload.InternetChecksum.putU16;

import io.warren.tun.VirtioNetHeader;
import java.nio.ByteBuffer;

/**
 * Splits a TSO (TCP over IPv4/IPv6) or USO ({@code GSO_UDP_L4}) super-packet read from a TUN
 * device into the MSS-sized packets the sender's stack would have sent without the offload, as
 * Linux's {@code tcp_gso_segment}/{@code __udp_gso_segment} do, and finishes partial checksums.
 *
 * <p>Per segment: the IP and transport headers are copied; IPv4 total length, identification
 * (+1 per segment) and header checksum, or the IPv6 payload length, are rewritten; the TCP sequence
 * number advances by the segment size, FIN and PSH stay on the last segment only and CWR on the
 * first; the UDP length is rewritten; the TCP/UDP checksum is computed in full (pseudo-header,
 * header, payload). IPv6 extension headers are not supported (such packets are refused).
 *
 * <p>The IPv4 total length (RFC 791 §3.1) or IPv6 payload length (RFC 8200 §3) must say the
 * length of the buffer: a read cut short (a buffer smaller than the packet) or a forged length
 * is refused as malformed, not segmented as if whole. (Linux's BIG TCP super-packets, over
 * 64 KB with a length of 0, do not fit the readers' 64 KB buffers either way.)
 */
public final class GsoSegmenter {
    /** The packet is malformed or inconsistent with its virtio-net header. */
    public static final int MALFORMED = -1;
    /** More segments than the caller gave buffers for, or a segment does not fit its buffer. */
    public static final int TOO_MANY_SEGMENTS = -2;

    static final int PROTO_TCP = 6;
    private static final int PROTO_UDP = 17;
    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_CWR = 0x80;

    private GsoSegmenter() {}

    /**
     * Takes the virtio-net header ({@link io.warren.tun.VirtioNetHeader}, 10 bytes) at {@code pkt}'s
     * position as the data paths read it, without allocating: moves the position past it and, for a
     * packet without GSO, finishes a partial checksum ({@code F_NEEDS_CSUM}). {@link
     * io.warren.tun.VirtioNetHeader#decode} is the checked form for code that is not per packet.
     *
     * @return the header's GSO type as read (ECN bit included: {@code GSO_NONE} or {@code GSO_ECN}
     *         alone means a packet ready to send; then {@link #consumedGsoSize} gives the size), or
     *         {@link #MALFORMED} when fewer than 10 bytes remain or the checksum cannot be finished
     */
    public static int consumeHeader(ByteBuffer pkt) {
        int p = pkt.position();
        if (pkt.limit() - p < VirtioNetHeader.SIZE) {
            return MALFORMED;
        }
        int flags = pkt.get(p) & 0xff;
        int gsoType = pkt.get(p + 1) & 0xff;
        pkt.position(p + VirtioNetHeader.SIZE);
        if (!isGso(gsoType) && (flags & VirtioNetHeader.F_NEEDS_CSUM) != 0
                && !completeChecksum(pkt, le16(pkt, p + 6), le16(pkt, p + 8))) {
            return MALFORMED;
        }
        return gsoType;
    }

    /** The GSO size of the header {@link #consumeHeader} just took (it stands before the position). */
    public static int consumedGsoSize(ByteBuffer pkt) {
        return le16(pkt, pkt.position() - VirtioNetHeader.SIZE + 4);
    }

    /** Whether a header's GSO type (as read, ECN bit included) asks for segmentation. */
    public static boolean isGso(int gsoType) {
        return (gsoType & ~VirtioNetHeader.GSO_ECN) != VirtioNetHeader.GSO_NONE;
    }

    private static int le16(ByteBuffer b, int at) {
        return (b.get(at) & 0xff) | (b.get(at + 1) & 0xff) << 8;
    }

    /**
     * Finishes the checksum of a packet with {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}: the field at
     * {@code csumStart + csumOffset} holds the pseudo-header sum; the one's complement of the sum
     * over {@code [csumStart, end)} is stored there.
     *
     * @param pkt the IP packet at {@code [position, limit)}, without the virtio-net header
     * @return false when the offsets do not fit the packet (nothing is written then)
     */
    public static boolean completeChecksum(ByteBuffer pkt, int csumStart, int csumOffset) {
        int p = pkt.position();
        int len = pkt.remaining();
        if (csumStart >= len || csumStart + csumOffset + 2 > len) {
            return false;
        }
        int sum = InternetChecksum.finish(InternetChecksum.add(0, pkt, p + csumStart, len - csumStart));
        putU16(pkt, p + csumStart + csumOffset, sum);
        return true;
    }

    /**
     * The header length (IP + TCP, or IP + UDP for {@code GSO_UDP_L4}) of the super-packet at
     * {@code pkt[position, limit)}, the bytes copied into every segment; -1 when unreadable (a
     * TCP data offset below 5, or headers longer than the packet).
     */
    public static int headerLength(ByteBuffer pkt, int gsoType) {
        int p = pkt.position();
        int len = pkt.remaining();
        if (len < 1) {
            return -1;
        }
        int version = (pkt.get(p) & 0xff) >>> 4;
        int ip = version == 4 ? (pkt.get(p) & 0x0f) * 4 : version == 6 ? 40 : -1;
        boolean udp = (gsoType & ~VirtioNetHeader.GSO_ECN) == VirtioNetHeader.GSO_UDP_L4;
        if (ip < 20 || len < ip + (udp ? 8 : 20)) {
            return -1;
        }
        int h = ip + (udp ? 8 : ((pkt.get(p + ip + 12) & 0xff) >>> 4) * 4);
        return !udp && (h < ip + 20 || h > len) ? -1 : h;
    }

    /**
     * True when {@code pkt[position, limit)} is an IPv4 (any header length) or IPv6 (no extension
     * headers) TCP segment, not a fragment, whose checksum verifies (RFC 9293 §3.1, pseudo-header
     * RFC 791 / RFC 8200 §8.1). A receiver checks this before merging segments, whose merged
     * checksum is recomputed (as Linux's GRO validates before {@code tcp_gro_receive}).
     */
    public static boolean tcpChecksumValid(ByteBuffer pkt) {
        int p = pkt.position();
        int len = pkt.remaining();
        if (len < 40) {
            return false;
        }
        int version = (pkt.get(p) & 0xff) >>> 4;
        int ip;
        if (version == 4) {
            ip = (pkt.get(p) & 0x0f) * 4;
            if (ip < 20 || (pkt.get(p + 9) & 0xff) != PROTO_TCP || (getU16(pkt, p + 6) & 0x3fff) != 0
                    || getU16(pkt, p + 2) != len || len < ip + 20) {
                return false;
            }
        } else if (version == 6) {
            ip = 40;
            if ((pkt.get(p + 6) & 0xff) != PROTO_TCP || getU16(pkt, p + 4) != len - 40 || len < 60) {
                return false;
            }
        } else {
            return false;
        }
        long sum = pseudoHeader(pkt, p, version, PROTO_TCP, len - ip);
        return InternetChecksum.fold(InternetChecksum.add(sum, pkt, p + ip, len - ip)) == 0xffff;
    }

    /**
     * Splits the super-packet {@code pkt[position, limit)} (IP header first, no virtio-net header)
     * into {@code out[0..n)}: segment i is written at {@code out[i].position()}, and its limit is
     * set to the segment's end (position unchanged).
     *
     * @param gsoType {@link VirtioNetHeader#GSO_TCPV4}, {@link VirtioNetHeader#GSO_TCPV6} or
     *                {@link VirtioNetHeader#GSO_UDP_L4}, optionally with {@link VirtioNetHeader#GSO_ECN}
     * @param gsoSize the payload bytes per segment (the MSS)
     * @return the number of segments, or {@link #MALFORMED} / {@link #TOO_MANY_SEGMENTS}
     */
    public static int segment(ByteBuffer pkt, int gsoType, int gsoSize, ByteBuffer[] out) {
        return segment(pkt, 0, gsoType, gsoSize, out);
    }

    /**
     * As {@link #segment(ByteBuffer, int, int, ByteBuffer[])} for a frame read from a TAP device:
     * the IP header follows {@code l2Length} bytes of link-layer header (an Ethernet header, 14
     * bytes, or 18 with an 802.1Q tag), which are copied unchanged before every segment.
     */
    public static int segment(ByteBuffer pkt, int l2Length, int gsoType, int gsoSize, ByteBuffer[] out) {
        if (l2Length < 0 || l2Length > pkt.remaining()) {
            return MALFORMED;
        }
        int l2 = l2Length;
        int p = pkt.position() + l2;
        int len = pkt.remaining() - l2;
        if (len < 20 || gsoSize <= 0) {
            return MALFORMED;
        }
        int version = (pkt.get(p) & 0xff) >>> 4;
        int ipHdr;
        int proto;
        if (version == 4) {
            ipHdr = (pkt.get(p) & 0x0f) * 4;
            proto = pkt.get(p + 9) & 0xff;
            // A fragment (MF or an offset, RFC 791 §3.1) has no whole TCP/UDP header to copy:
            // past the first, the "header" would be payload bytes.
            if (ipHdr < 20 || len < ipHdr || (getU16(pkt, p + 6) & 0x3fff) != 0 || getU16(pkt, p + 2) != len) {
                return MALFORMED;
            }
        } else if (version == 6) {
            ipHdr = 40;
            if (len < 40 || getU16(pkt, p + 4) != len - 40) {
                return MALFORMED;
            }
            proto = pkt.get(p + 6) & 0xff;
        } else {
            return MALFORMED;
        }
        int type = gsoType & ~VirtioNetHeader.GSO_ECN;
        boolean tcp = type == VirtioNetHeader.GSO_TCPV4 || type == VirtioNetHeader.GSO_TCPV6;
        if (tcp ? proto != PROTO_TCP || (type == VirtioNetHeader.GSO_TCPV4) != (version == 4)
                : type != VirtioNetHeader.GSO_UDP_L4 || proto != PROTO_UDP) {
            return MALFORMED;
        }
        int l4Hdr;
        if (tcp) {
            if (len < ipHdr + 20) {
                return MALFORMED;
            }
            l4Hdr = ((pkt.get(p + ipHdr + 12) & 0xff) >>> 4) * 4;
            if (l4Hdr < 20) {
                return MALFORMED;
            }
        } else {
            l4Hdr = 8;
        }
        int hdr = ipHdr + l4Hdr;
        if (len < hdr) {
            return MALFORMED;
        }
        int payload = len - hdr;
        int count = payload == 0 ? 1 : (payload + gsoSize - 1) / gsoSize;
        if (count > out.length) {
            return TOO_MANY_SEGMENTS;
        }
        for (int i = 0; i < count; i++) {
            if (out[i].capacity() - out[i].position() < l2 + hdr + Math.min(gsoSize, payload - i * gsoSize)) {
                return TOO_MANY_SEGMENTS;
            }
        }
        long seq = tcp ? (long) getU16(pkt, p + ipHdr + 4) << 16 | getU16(pkt, p + ipHdr + 6) : 0;
        int flags = tcp ? pkt.get(p + ipHdr + 13) & 0xff : 0;
        int ipId = version == 4 ? getU16(pkt, p + 4) : 0;
        for (int i = 0; i < count; i++) {
            int from = i * gsoSize;
            int segPayload = Math.min(gsoSize, payload - from);
            int segLen = hdr + segPayload;
            ByteBuffer o = out[i];
            int q0 = o.position();
            o.limit(q0 + l2 + segLen);
            for (int k = 0; k < l2; k++) {
                o.put(q0 + k, pkt.get(p - l2 + k));
            }
            int q = q0 + l2;
            for (int k = 0; k < hdr; k++) {
                o.put(q + k, pkt.get(p + k));
            }
            copy(pkt, p + hdr + from, o, q + hdr, segPayload);
            if (version == 4) {
                putU16(o, q + 2, segLen);
                putU16(o, q + 4, (ipId + i) & 0xffff);
                putU16(o, q + 10, 0);
                putU16(o, q + 10, InternetChecksum.finish(InternetChecksum.add(0, o, q, ipHdr)));
            } else {
                putU16(o, q + 4, segLen - 40);
            }
            int t = q + ipHdr;
            int csumAt;
            if (tcp) {
                long s = seq + from;
                putU16(o, t + 4, (int) (s >>> 16) & 0xffff);
                putU16(o, t + 6, (int) s & 0xffff);
                int f = flags;
                if (i != count - 1) {
                    f &= ~(TCP_FIN | TCP_PSH);
                }
                if (i != 0) {
                    f &= ~TCP_CWR;
                }
                o.put(t + 13, (byte) f);
                csumAt = t + 16;
            } else {
                putU16(o, t + 4, l4Hdr + segPayload);
                csumAt = t + 6;
            }
            putU16(o, csumAt, 0);
            long sum = pseudoHeader(o, q, version, proto, l4Hdr + segPayload);
            int c = InternetChecksum.finish(InternetChecksum.add(sum, o, t, l4Hdr + segPayload));
            putU16(o, csumAt, !tcp && c == 0 ? 0xffff : c);
        }
        return count;
    }

    /** Unfolded sum of the IPv4/IPv6 pseudo-header of the packet at {@code ip}: addresses, protocol, L4 length. */
    static long pseudoHeader(ByteBuffer b, int ip, int version, int proto, int l4Length) {
        long sum = version == 4 ? InternetChecksum.add(0, b, ip + 12, 8) : InternetChecksum.add(0, b, ip + 8, 32);
        return sum + proto + l4Length;
    }

    private static void copy(ByteBuffer src, int from, ByteBuffer dst, int to, int length) {
        dst.put(to, src, from, length);
    }
}
