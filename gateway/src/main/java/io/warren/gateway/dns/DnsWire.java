package io.warren.gateway.dns;

/**
 * Wire constants of DNS used outside dnsjava: header layout (RFC 1035 §4.1.1), message size
 * limits (RFC 1035 §2.3.4, RFC 6891 §6.2.5) and the OPT pseudo-record (RFC 6891 §6.1.2).
 */
final class DnsWire {
    /** Fixed header length, RFC 1035 §4.1.1. */
    static final int HEADER_LENGTH = 12;
    /** Offsets of the header fields. */
    static final int ID_OFFSET = 0;
    static final int FLAGS_OFFSET = 2;
    static final int QDCOUNT_OFFSET = 4;
    static final int ANCOUNT_OFFSET = 6;
    static final int NSCOUNT_OFFSET = 8;
    static final int ARCOUNT_OFFSET = 10;

    /** Flag bits of the second header word, RFC 1035 §4.1.1 and RFC 4035 §3.2 (AD, CD). */
    static final int FLAG_QR = 0x8000;
    static final int OPCODE_SHIFT = 11;
    static final int OPCODE_MASK = 0xF;
    static final int FLAG_AA = 0x0400;
    static final int FLAG_TC = 0x0200;
    static final int FLAG_RD = 0x0100;
    static final int FLAG_RA = 0x0080;
    static final int FLAG_AD = 0x0020;
    static final int FLAG_CD = 0x0010;
    static final int RCODE_MASK = 0xF;

    /** Largest UDP reply to a client without EDNS(0), RFC 1035 §2.3.4. */
    static final int CLASSIC_UDP_SIZE = 512;
    /** EDNS(0) UDP payload size we advertise and honour at most (DNS flag day 2020, RFC 9715). */
    static final int EDNS_UDP_SIZE = 1232;
    /** Largest message over TCP: the two-byte length prefix, RFC 1035 §4.2.2. */
    static final int TCP_MAX_SIZE = 65535;

    /** OPT RR: root owner (1) + type (2) + class = payload (2) + TTL = ext-rcode/version/flags (4) + RDLENGTH (2). */
    static final int OPT_LENGTH = 11;
    static final int TYPE_OPT = 41;
    /** IXFR (251), AXFR (252), MAILB (253), MAILA (254): the query types refused with REFUSED, RFC 1035 §3.2.3, RFC 1995. */
    static final int TYPE_IXFR = 251;
    static final int TYPE_MAILA = 254;
    /** DO bit in the OPT TTL flags, RFC 3225 §3. */
    static final int EDNS_FLAG_DO = 0x8000;
    /** BADVERS extended RCODE, RFC 6891 §9: 16, carried as upper 8 bits = 1 in OPT. */
    static final int EXTENDED_RCODE_BADVERS_HIGH = 1;

    private DnsWire() {
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static void put16(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }

    static void put32(byte[] b, int at, long value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }

    /**
     * Writes an OPT RR at {@code at}: UDP payload {@link #EDNS_UDP_SIZE}, version 0, the given
     * extended RCODE high bits and DO flag, no options (RFC 6891 §6.1.2, §6.1.3).
     */
    static void putOpt(byte[] b, int at, int extendedRcodeHigh, boolean dnssecOk) {
        b[at] = 0;
        put16(b, at + 1, TYPE_OPT);
        put16(b, at + 3, EDNS_UDP_SIZE);
        b[at + 5] = (byte) extendedRcodeHigh;
        b[at + 6] = 0;
        put16(b, at + 7, dnssecOk ? EDNS_FLAG_DO : 0);
        put16(b, at + 9, 0);
    }
}
