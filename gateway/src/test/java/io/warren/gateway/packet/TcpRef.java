package io.warren.gateway.packet;

import java.util.ArrayList;
import java.util.List;

/** A slow reference reading of a TCP segment in an IP packet, as a receiving host would. */
final class TcpRef {

    private TcpRef() {
    }

    /** Offset of the TCP header (IPv4 IHL, or after IPv6 extension headers), or -1 (not TCP, later fragment). */
    static int tcpOffset(byte[] p) {
        if ((p[0] & 0xF0) == 0x40) {
            return (p[0] & 0x0F) * 4;
        }
        long walked = upper(p);
        return walked >= 0 && (walked & 0xFF) == IpProtocols.TCP ? (int) (walked >>> 8) : -1;
    }

    /** IPv6: the upper-layer header's offset shifted left 8, or'ed with its protocol; -1 for a later fragment. */
    static long upper(byte[] p) {
        int next = p[6] & 0xFF;
        int at = 40;
        while (true) {
            if (next == 0 || next == 43 || next == 60) {
                int len = ((p[at + 1] & 0xFF) + 1) * 8;
                next = p[at] & 0xFF;
                at += len;
            } else if (next == 44) {
                if ((Forge.get16(p, at + 2) & 0xFFF8) != 0) {
                    return -1;
                }
                next = p[at] & 0xFF;
                at += 8;
            } else {
                return (long) at << 8 | next;
            }
        }
    }

    /** End of the IP packet as its length field says. */
    static int ipEnd(byte[] p) {
        return (p[0] & 0xF0) == 0x40 ? Forge.get16(p, 2) : 40 + Forge.get16(p, 4);
    }

    /** The TCP checksum computed over the segment with its pseudo-header: 0 when valid. */
    static int checksumResidue(byte[] p) {
        int tcp = tcpOffset(p);
        int length = ipEnd(p) - tcp;
        long pseudo = (p[0] & 0xF0) == 0x40
                ? Forge.sumOf(p, 12, 8) : Forge.sumOf(p, 8, 32);
        return Forge.checksum(p, tcp, length, pseudo + IpProtocols.TCP + length);
    }

    /**
     * The MSS values a receiver honours, in order, parsing options as Linux's tcp_parse_options
     * does: an MSS option counts only with length 4; options of another length are skipped; an
     * EOL, a length below 2 or running past the header ends the parse (what came before counts).
     */
    static List<Integer> mssValues(byte[] p) {
        return scan(p, false);
    }

    /** True when the option walk of {@link #mssValues} ends at a malformed option. */
    static boolean optionsMalformed(byte[] p) {
        return scan(p, true) == null;
    }

    /** The MSS values; null when {@code nullIfMalformed} and a malformed option ends the walk. */
    private static List<Integer> scan(byte[] p, boolean nullIfMalformed) {
        int tcp = tcpOffset(p);
        int end = tcp + ((p[tcp + 12] & 0xF0) >>> 2);
        List<Integer> values = new ArrayList<>();
        int at = tcp + 20;
        while (at < end) {
            int kind = p[at] & 0xFF;
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                at++;
                continue;
            }
            if (end - at < 2) {
                return nullIfMalformed ? null : values;
            }
            int len = p[at + 1] & 0xFF;
            if (len < 2 || len > end - at) {
                return nullIfMalformed ? null : values;
            }
            if (kind == 2 && len == 4) {
                values.add(Forge.get16(p, at + 2));
            }
            at += len;
        }
        return values;
    }
}
