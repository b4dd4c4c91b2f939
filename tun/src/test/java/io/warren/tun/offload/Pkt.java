package io.warren.tun.offload;

import java.util.Arrays;

/**
 * A mutable description of one IPv4/IPv6 TCP or UDP packet that builds its bytes the slow,
 * obvious way (byte arrays, a 16-bit checksum loop), so that forged and random packets can be
 * made field by field. Every field has a non-zero default. Also the matching slow parsers and
 * checkers used as test oracles.
 */
final class Pkt implements Cloneable {
    int version = 4;
    int proto = 6;
    byte[] src = {10, 1, 2, 3};
    byte[] dst = {10, 9, 8, 7};
    int tos = 0x02; // IPv4 TOS / IPv6 traffic class
    int ttl = 64; // TTL / hop limit
    int id = 0x1234;
    int frag = 0x4000; // IPv4 flags and fragment offset (DF)
    int flowLabel = 0xabcde;
    byte[] ipOptions = new byte[0]; // IPv4 options, a multiple of 4
    /** IPv6 extension headers (each {next, len, ...}); the first next-header value is this array's [0] chain. */
    byte[] v6Ext = new byte[0];
    int v6ExtType = 0; // next header value naming the first extension header
    int sport = 40001;
    int dport = 5201;
    long seq = 0xfffff000L;
    long ack = 0x11223344L;
    int flags = 0x10; // ACK
    int reserved; // the low nibble of TCP byte 12 (reserved bits and AE)
    int window = 501;
    int urg;
    byte[] tcpOptions = timestamps(1000, 2000);
    byte[] payload = new byte[0];
    // Forgeries applied after building: -1 means "the right value".
    int totalLength = -1; // IPv4 total length or IPv6 payload length as written
    int ihl = -1;
    int dataOffset = -1;
    int udpLength = -1;
    boolean partialChecksum;
    boolean badIpChecksum;
    boolean badL4Checksum;

    static byte[] timestamps(int tsval, int tsecr) {
        byte[] o = new byte[12];
        o[0] = 1;
        o[1] = 1;
        o[2] = 8;
        o[3] = 10;
        put32(o, 4, tsval);
        put32(o, 8, tsecr);
        return o;
    }

    static Pkt v6() {
        Pkt p = new Pkt();
        p.version = 6;
        p.src = new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        p.dst = new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
        return p;
    }

    @Override
    public Pkt clone() {
        try {
            Pkt c = (Pkt) super.clone();
            c.src = src.clone();
            c.dst = dst.clone();
            c.ipOptions = ipOptions.clone();
            c.v6Ext = v6Ext.clone();
            c.tcpOptions = tcpOptions.clone();
            c.payload = payload.clone();
            return c;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    Pkt with(java.util.function.Consumer<Pkt> change) {
        Pkt c = clone();
        change.accept(c);
        return c;
    }

    int ipHeaderLength() {
        return version == 4 ? 20 + ipOptions.length : 40 + v6Ext.length;
    }

    int l4HeaderLength() {
        return proto == 6 ? 20 + tcpOptions.length : 8;
    }

    byte[] build() {
        int ip = ipHeaderLength();
        int l4 = proto == 6 ? 20 + tcpOptions.length : proto == 17 ? 8 : 0;
        byte[] b = new byte[ip + l4 + payload.length];
        if (version == 4) {
            b[0] = (byte) (0x40 | (ihl >= 0 ? ihl : ip / 4));
            b[1] = (byte) tos;
            put16(b, 2, totalLength >= 0 ? totalLength : b.length);
            put16(b, 4, id);
            put16(b, 6, frag);
            b[8] = (byte) ttl;
            b[9] = (byte) proto;
            System.arraycopy(src, 0, b, 12, 4);
            System.arraycopy(dst, 0, b, 16, 4);
            System.arraycopy(ipOptions, 0, b, 20, ipOptions.length);
            put16(b, 10, ~sum(b, 0, ip, 0) & 0xffff ^ (badIpChecksum ? 0x0100 : 0));
        } else {
            put32(b, 0, version << 28 | (tos & 0xff) << 20 | flowLabel & 0xfffff);
            put16(b, 4, totalLength >= 0 ? totalLength : b.length - 40);
            b[6] = (byte) (v6Ext.length > 0 ? v6ExtType : proto);
            b[7] = (byte) ttl;
            System.arraycopy(src, 0, b, 8, src.length);
            System.arraycopy(dst, 0, b, 24, dst.length);
            System.arraycopy(v6Ext, 0, b, 40, v6Ext.length);
        }
        int t = ip;
        if (proto == 6) {
            put16(b, t, sport);
            put16(b, t + 2, dport);
            put32(b, t + 4, (int) seq);
            put32(b, t + 8, (int) ack);
            b[t + 12] = (byte) ((dataOffset >= 0 ? dataOffset : l4 / 4) << 4 | reserved & 0x0f);
            b[t + 13] = (byte) flags;
            put16(b, t + 14, window);
            put16(b, t + 18, urg);
            System.arraycopy(tcpOptions, 0, b, t + 20, tcpOptions.length);
        } else if (proto == 17) {
            put16(b, t, sport);
            put16(b, t + 2, dport);
            put16(b, t + 4, udpLength >= 0 ? udpLength : l4 + payload.length);
        }
        System.arraycopy(payload, 0, b, t + l4, payload.length);
        if (proto == 6 || proto == 17) {
            int csumAt = t + (proto == 6 ? 16 : 6);
            int pseudo = pseudo(b, version, proto, b.length - t);
            if (partialChecksum) {
                put16(b, csumAt, fold(pseudo));
            } else {
                int c = ~sum(b, t, b.length - t, pseudo) & 0xffff;
                if (proto == 17 && c == 0) {
                    c = 0xffff;
                }
                put16(b, csumAt, c ^ (badL4Checksum ? 0x0100 : 0));
            }
        }
        return b;
    }

    // --- slow parsing and checking, for oracles (packets without IPv6 extension headers) ---

    static int ipHeaderLength(byte[] b) {
        return (b[0] & 0xf0) == 0x40 ? (b[0] & 0x0f) * 4 : 40;
    }

    static boolean isV4(byte[] b) {
        return (b[0] & 0xf0) == 0x40;
    }

    static int tcpHeaderLength(byte[] b) {
        return ((b[ipHeaderLength(b) + 12] & 0xff) >>> 4) * 4;
    }

    static long tcpSeq(byte[] b) {
        return get32(b, ipHeaderLength(b) + 4) & 0xffffffffL;
    }

    static int tcpFlags(byte[] b) {
        return b[ipHeaderLength(b) + 13] & 0xff;
    }

    static boolean ipv4HeaderValid(byte[] b) {
        return sum(b, 0, ipHeaderLength(b), 0) == 0xffff;
    }

    /** The TCP/UDP checksum verifies over the pseudo-header, header and payload. */
    static boolean l4ChecksumValid(byte[] b) {
        int t = ipHeaderLength(b);
        int proto = isV4(b) ? b[9] & 0xff : b[6] & 0xff;
        return sum(b, t, b.length - t, pseudo(b, isV4(b) ? 4 : 6, proto, b.length - t)) == 0xffff;
    }

    static int pseudo(byte[] b, int version, int proto, int l4Length) {
        int s = 0;
        int at = version == 4 ? 12 : 8;
        int n = version == 4 ? 8 : 32;
        for (int i = 0; i < n; i += 2) {
            s += get16(b, at + i);
        }
        return s + proto + l4Length;
    }

    static int sum(byte[] b, int from, int len, long initial) {
        long s = initial;
        for (int i = 0; i < len; i += 2) {
            s += (b[from + i] & 0xff) << 8 | (i + 1 < len ? b[from + i + 1] & 0xff : 0);
        }
        return fold(s);
    }

    static int fold(long s) {
        while (s > 0xffff) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    static int get16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    static int get32(byte[] b, int at) {
        return get16(b, at) << 16 | get16(b, at + 2);
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void put32(byte[] b, int at, int v) {
        put16(b, at, v >>> 16);
        put16(b, at + 2, v & 0xffff);
    }

    static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 80); i++) {
            s.append(Character.forDigit((b[i] >>> 4) & 0xf, 16)).append(Character.forDigit(b[i] & 0xf, 16));
        }
        return s + (b.length > 80 ? "... (" + b.length + ")" : "");
    }

    static byte[] cut(byte[] b, int n) {
        return Arrays.copyOf(b, n);
    }
}
