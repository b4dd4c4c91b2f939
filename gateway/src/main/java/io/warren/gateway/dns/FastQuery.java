package io.warren.gateway.dns;

/**
 * Recognises the common query shape on the wire so a cache hit can be answered without dnsjava:
 * header with QR=0, opcode QUERY, QDCOUNT=1, ANCOUNT=NSCOUNT=0, ARCOUNT 0 or 1; one uncompressed
 * question of class IN and an ordinary type; at most one OPT RR (RFC 6891 §6.1.2) with root owner,
 * extended RCODE 0, version 0 and no options; nothing after it. Anything else returns null and goes through
 * {@link QueryParser} (dnsjava), which also decides every error reply; so the fast path never
 * answers differently from the slow one, only sooner.
 *
 * <p>Mutable so that the cache-hit path allocates nothing: one instance per receiving thread,
 * refilled by {@link #parse} for every query; {@link #match} makes a new one (tests, TCP). Confined
 * to one thread.
 */
final class FastQuery {
    private static final int MAX_NAME = 255;
    private static final int MAX_LABEL = 63;
    private static final int CLASS_IN = 1;
    /** Bits the fast path cares about in the flags word: QR and opcode. */
    private static final int QR_AND_OPCODE = DnsWire.FLAG_QR | (DnsWire.OPCODE_MASK << DnsWire.OPCODE_SHIFT);

    private int id;
    private boolean recursionDesired;
    private boolean checkingDisabled;
    private int questionEnd;
    private boolean edns;
    private boolean dnssecOk;
    private int udpLimit;

    /** @return the query's shape, or null when {@link QueryParser} must look at it */
    static FastQuery match(byte[] p) {
        FastQuery q = new FastQuery();
        return q.parse(p, p.length) ? q : null;
    }

    /**
     * Reads the query in {@code p[0, n)} into this holder.
     *
     * @return false (the holder then undefined) when {@link QueryParser} must look at it
     */
    boolean parse(byte[] p, int n) {
        if (n < DnsWire.HEADER_LENGTH + 5 || n > p.length) {
            return false;
        }
        int flags = DnsWire.u16(p, DnsWire.FLAGS_OFFSET);
        if ((flags & QR_AND_OPCODE) != 0 || DnsWire.u16(p, DnsWire.QDCOUNT_OFFSET) != 1
                || DnsWire.u16(p, DnsWire.ANCOUNT_OFFSET) != 0 || DnsWire.u16(p, DnsWire.NSCOUNT_OFFSET) != 0) {
            return false;
        }
        int arcount = DnsWire.u16(p, DnsWire.ARCOUNT_OFFSET);
        if (arcount > 1) {
            return false;
        }
        int at = DnsWire.HEADER_LENGTH;
        while (true) {
            if (at >= n) {
                return false;
            }
            int len = p[at] & 0xFF;
            if (len == 0) {
                at++;
                break;
            }
            if (len > MAX_LABEL) {
                return false; // a compression pointer or a reserved label type
            }
            at += 1 + len;
            if (at - DnsWire.HEADER_LENGTH >= MAX_NAME) {
                return false;
            }
        }
        if (at + 4 > n) {
            return false;
        }
        int type = DnsWire.u16(p, at);
        if (DnsWire.u16(p, at + 2) != CLASS_IN || !ordinaryType(type)) {
            return false;
        }
        questionEnd = at + 4;
        id = DnsWire.u16(p, DnsWire.ID_OFFSET);
        recursionDesired = (flags & DnsWire.FLAG_RD) != 0;
        checkingDisabled = (flags & DnsWire.FLAG_CD) != 0;
        if (arcount == 0) {
            edns = false;
            dnssecOk = false;
            udpLimit = DnsWire.CLASSIC_UDP_SIZE;
            return questionEnd == n;
        }
        // OPT: root owner (0), TYPE 41, CLASS = payload size, TTL = ext-rcode 0, version 0, flags; RDLENGTH 0.
        if (n - questionEnd != DnsWire.OPT_LENGTH || p[questionEnd] != 0
                || DnsWire.u16(p, questionEnd + 1) != DnsWire.TYPE_OPT || p[questionEnd + 5] != 0
                || p[questionEnd + 6] != 0
                || DnsWire.u16(p, questionEnd + 9) != 0) {
            return false;
        }
        int payload = DnsWire.u16(p, questionEnd + 3);
        edns = true;
        dnssecOk = (DnsWire.u16(p, questionEnd + 7) & DnsWire.EDNS_FLAG_DO) != 0;
        udpLimit = Math.max(DnsWire.CLASSIC_UDP_SIZE, Math.min(DnsWire.EDNS_UDP_SIZE, payload));
        return true;
    }

    /** Query id. */
    int id() {
        return id;
    }

    /** RD. */
    boolean recursionDesired() {
        return recursionDesired;
    }

    /** CD. */
    boolean checkingDisabled() {
        return checkingDisabled;
    }

    /** Offset just past the question (it starts at {@link DnsWire#HEADER_LENGTH}). */
    int questionEnd() {
        return questionEnd;
    }

    /** Whether an OPT RR was present. */
    boolean edns() {
        return edns;
    }

    /** Its DO bit (RFC 3225). */
    boolean dnssecOk() {
        return dnssecOk;
    }

    /** 512 without EDNS, else the payload size clamped to [512, 1232]. */
    int udpLimit() {
        return udpLimit;
    }

    /** Types {@link QueryParser} refuses (zone transfers, MAILA/MAILB, OPT) are left to it. */
    private static boolean ordinaryType(int type) {
        return type != DnsWire.TYPE_OPT && (type < DnsWire.TYPE_IXFR || type > DnsWire.TYPE_MAILA);
    }

    /** @return the cache key of this question in {@code packet} */
    CacheKey cacheKey(byte[] packet) {
        return CacheKey.of(packet, DnsWire.HEADER_LENGTH, questionEnd, dnssecOk, checkingDisabled);
    }

    /** @return {@code probe} made the cache key of this question in {@code packet}, or null if too long */
    CacheKey cacheKey(byte[] packet, CacheKey probe) {
        return probe.set(packet, DnsWire.HEADER_LENGTH, questionEnd, dnssecOk, checkingDisabled) ? probe : null;
    }

    /** @return the reply size limit on {@code transport} */
    int replyLimit(Transport transport) {
        return transport == Transport.TCP ? DnsWire.TCP_MAX_SIZE : udpLimit;
    }
}
