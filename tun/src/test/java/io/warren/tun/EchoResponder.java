package io.warren.tun;

import java.nio.ByteBuffer;

/**
 * Test peer behind a TUN/TAP device: turns ICMP echo requests (RFC 792), ICMPv6 echo requests
 * (RFC 4443 section 4.1) and, on TAP, ARP requests (RFC 826) and IPv6 neighbor solicitations
 * (RFC 4861 section 4.3) into replies, in place. Packets are absolute-indexed from the buffer's
 * position to its limit; anything else is left alone and reported as not answered.
 */
final class EchoResponder {
    static final int ETH_HEADER = 14;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_ARP = 0x0806;
    static final int ETHERTYPE_IPV6 = 0x86dd;

    private EchoResponder() {
    }

    /** TUN: rewrites an IPv4 or IPv6 echo request at [position, limit) into its reply. */
    static boolean answerIp(ByteBuffer p) {
        int at = p.position();
        if (p.limit() - at < 1) {
            return false;
        }
        int version = (p.get(at) & 0xff) >>> 4;
        return version == 4 ? answerIpv4Echo(p, at) : version == 6 && answerIpv6(p, at, null);
    }

    /** TAP: answers ARP for {@code myIpv4}, NDP and echo requests, as {@code myMac}. */
    static boolean answerEthernet(ByteBuffer f, byte[] myMac, byte[] myIpv4) {
        int at = f.position();
        if (f.limit() - at < ETH_HEADER) {
            return false;
        }
        int type = f.getShort(at + 12) & 0xffff;
        boolean answered = switch (type) {
            case ETHERTYPE_ARP -> answerArp(f, at + ETH_HEADER, myMac, myIpv4);
            case ETHERTYPE_IPV4 -> answerIpv4Echo(f, at + ETH_HEADER);
            case ETHERTYPE_IPV6 -> answerIpv6(f, at + ETH_HEADER, myMac);
            default -> false;
        };
        if (answered) {
            // Reply goes back to the sender: destination MAC = old source, source = us.
            for (int i = 0; i < 6; i++) {
                f.put(at + i, f.get(at + 6 + i));
                f.put(at + 6 + i, myMac[i]);
            }
        }
        return answered;
    }

    private static boolean answerIpv4Echo(ByteBuffer p, int ip) {
        if (p.limit() - ip < 20) {
            return false;
        }
        int ihl = (p.get(ip) & 0x0f) * 4;
        int total = p.getShort(ip + 2) & 0xffff;
        if (ihl < 20 || total > p.limit() - ip || total < ihl + 8 || p.get(ip + 9) != 1 || p.get(ip + ihl) != 8) {
            return false;
        }
        swap(p, ip + 12, ip + 16, 4);
        p.put(ip + 8, (byte) 64);
        p.putShort(ip + 10, (short) 0);
        p.putShort(ip + 10, (short) Checksums.internet(p, ip, ihl, 0));
        int icmp = ip + ihl;
        p.put(icmp, (byte) 0);
        p.putShort(icmp + 2, (short) 0);
        p.putShort(icmp + 2, (short) Checksums.internet(p, icmp, total - ihl, 0));
        return true;
    }

    /** Echo request to reply, or (with a MAC, on TAP) neighbor solicitation to advertisement. */
    private static boolean answerIpv6(ByteBuffer p, int ip, byte[] myMac) {
        if (p.limit() - ip < 48 || p.get(ip + 6) != 58) {
            return false;
        }
        int payload = p.getShort(ip + 4) & 0xffff;
        if (payload > p.limit() - ip - 40) {
            return false;
        }
        int icmp = ip + 40;
        int type = p.get(icmp) & 0xff;
        if (type == 128) {
            swap(p, ip + 8, ip + 24, 16);
            p.put(icmp, (byte) 129);
        } else if (type == 135 && myMac != null && payload >= 32 && p.get(icmp + 24) == 1) {
            // NS with a source link-layer option: NA (S|O) with our target link-layer address.
            for (int i = 0; i < 16; i++) {
                p.put(ip + 24 + i, p.get(ip + 8 + i)); // destination = the soliciting node
                p.put(ip + 8 + i, p.get(icmp + 8 + i)); // source = the target address
            }
            p.put(ip + 7, (byte) 255);
            p.put(icmp, (byte) 136);
            p.putInt(icmp + 4, 0x60000000);
            p.put(icmp + 24, (byte) 2);
            for (int i = 0; i < 6; i++) {
                p.put(icmp + 26 + i, myMac[i]);
            }
            p.putShort(ip + 4, (short) 32);
            payload = 32;
            p.limit(icmp + 32);
        } else {
            return false;
        }
        p.putShort(icmp + 2, (short) 0);
        p.putShort(icmp + 2, (short) Checksums.icmpv6(p, ip, payload));
        return true;
    }

    private static boolean answerArp(ByteBuffer f, int arp, byte[] myMac, byte[] myIpv4) {
        if (f.limit() - arp < 28 || f.getShort(arp) != 1 || f.getShort(arp + 2) != ETHERTYPE_IPV4
                || f.getShort(arp + 6) != 1) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (f.get(arp + 24 + i) != myIpv4[i]) {
                return false;
            }
        }
        f.putShort(arp + 6, (short) 2);
        for (int i = 0; i < 10; i++) {
            f.put(arp + 18 + i, f.get(arp + 8 + i)); // target = the asking sender
        }
        for (int i = 0; i < 6; i++) {
            f.put(arp + 8 + i, myMac[i]);
        }
        for (int i = 0; i < 4; i++) {
            f.put(arp + 14 + i, myIpv4[i]);
        }
        return true;
    }

    private static void swap(ByteBuffer p, int a, int b, int n) {
        for (int i = 0; i < n; i++) {
            byte t = p.get(a + i);
            p.put(a + i, p.get(b + i));
            p.put(b + i, t);
        }
    }
}
