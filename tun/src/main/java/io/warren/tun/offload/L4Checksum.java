package io.warren.tun.offload;

import java.nio.ByteBuffer;

/**
 * Verifies the TCP checksum of a received IP packet (RFC 9293 §3.1, RFC 8200 §8.1 pseudo-header),
 * as Linux's GRO does before it merges segments: a segment that came through an unauthenticated
 * tunnel is only coalesced (and so given a fresh checksum by the kernel) when its own checksum held.
 */
public final class L4Checksum {
    private static final int PROTO_TCP = 6;

    private L4Checksum() {}

    /**
     * True when {@code pkt[position + l2Length, limit)} is an IPv4 (no fragment) or IPv6 (no
     * extension header) TCP packet whose length fields match the buffer and whose checksum is right.
     * Never throws; anything else is false.
     */
    public static boolean tcpValid(ByteBuffer pkt, int l2Length) {
        int p = pkt.position() + l2Length;
        int len = pkt.limit() - p;
        if (l2Length < 0 || len < 20) {
            return false;
        }
        int version = (pkt.get(p) & 0xff) >>> 4;
        long sum;
        int ip;
        if (version == 4) {
            ip = (pkt.get(p) & 0x0f) * 4;
            if (ip < 20 || len < ip + 20 || (pkt.get(p + 9) & 0xff) != PROTO_TCP
                    || InternetChecksum.getU16(pkt, p + 2) != len || (InternetChecksum.getU16(pkt, p + 6) & 0x3fff) != 0) {
                return false;
            }
            sum = InternetChecksum.add(0, pkt, p + 12, 8);
        } else if (version == 6) {
            ip = 40;
            if (len < 60 || (pkt.get(p + 6) & 0xff) != PROTO_TCP || InternetChecksum.getU16(pkt, p + 4) != len - 40) {
                return false;
            }
            sum = InternetChecksum.add(0, pkt, p + 8, 32);
        } else {
            return false;
        }
        int l4 = len - ip;
        sum += PROTO_TCP + l4;
        return InternetChecksum.fold(InternetChecksum.add(sum, pkt, p + ip, l4)) == 0xffff;
    }
}
