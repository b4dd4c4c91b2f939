package io.warren.gateway.dns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A response rendered once (by dnsjava, record by record, uncompressed) and replayed to many
 * clients: on each use the id, RD and CD bits and the question (with the client's letter case) are
 * filled in, every TTL is decremented by the seconds since it was stored (RFC 1035 §3.2.1: the TTL
 * counts down while cached), and an OPT RR is appended for EDNS clients (RFC 6891 §7).
 *
 * <p>Immutable after construction; {@link #render} allocates the reply, {@link #renderInto} writes
 * it into the caller's array.
 */
final class ResponseTemplate {
    /**
     * Header bits taken from the stored response; RD and CD come from the client. TC stays when the
     * upstream set it on an answer that could not be fetched whole (RFC 2181 §9: the client must
     * know it is incomplete); such answers are never cached.
     */
    private static final int STORED_FLAGS = DnsWire.FLAG_QR | DnsWire.FLAG_AA | DnsWire.FLAG_TC | DnsWire.FLAG_RA
            | DnsWire.FLAG_AD | DnsWire.RCODE_MASK;

    private final int flags;
    private final int ancount;
    private final int nscount;
    private final int arcount;
    private final byte[] body;
    private final int[] ttlOffsets;
    private final long[] ttls;
    private final long storedAt;
    private final long lifetimeSeconds;

    private ResponseTemplate(int flags, int ancount, int nscount, int arcount, byte[] body, int[] ttlOffsets,
            long[] ttls, long storedAt, long lifetimeSeconds) {
        this.flags = flags;
        this.ancount = ancount;
        this.nscount = nscount;
        this.arcount = arcount;
        this.body = body;
        this.ttlOffsets = ttlOffsets;
        this.ttls = ttls;
        this.storedAt = storedAt;
        this.lifetimeSeconds = lifetimeSeconds;
    }

    /**
     * Renders answer, authority and additional records (OPT, TSIG and SIG(0) left out: they are
     * per-hop, RFC 6891 §6.1.1, RFC 8945 §5.3).
     *
     * @param flags    QR, AA, TC, RA, AD and RCODE bits of the reply
     * @param ttlOf    the TTL to store for each record (already clamped by the caller)
     * @param lifetime how long the template may be served, in seconds (0 = do not cache)
     */
    static ResponseTemplate of(int flags, List<Record> answer, List<Record> authority, List<Record> additional,
            TtlFunction ttlOf, long now, long lifetime) {
        List<byte[]> parts = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        List<Long> ttlList = new ArrayList<>();
        int[] counts = new int[3];
        int length = 0;
        int sectionIndex = 0;
        for (List<Record> section : List.of(answer, authority, additional)) {
            int sectionId = sectionIndex == 0 ? Section.ANSWER : sectionIndex == 1 ? Section.AUTHORITY : Section.ADDITIONAL;
            for (Record r : section) {
                if (!ResponseTemplate.cacheableType(r.getType())) {
                    continue;
                }
                byte[] wire = r.toWire(sectionId);
                offsets.add(length + r.getName().length() + 4);
                ttlList.add(ttlOf.ttl(r, sectionId));
                parts.add(wire);
                length += wire.length;
                counts[sectionIndex]++;
            }
            sectionIndex++;
        }
        byte[] body = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, body, at, p.length);
            at += p.length;
        }
        int[] ttlOffsets = offsets.stream().mapToInt(Integer::intValue).toArray();
        long[] ttls = ttlList.stream().mapToLong(Long::longValue).toArray();
        return new ResponseTemplate(flags & STORED_FLAGS, counts[0], counts[1], counts[2], body, ttlOffsets, ttls, now,
                lifetime);
    }

    private static boolean cacheableType(int type) {
        return type != DnsWire.TYPE_OPT && type != org.xbill.DNS.Type.TSIG && type != org.xbill.DNS.Type.SIG;
    }

    /** The TTL to store for one record. */
    @FunctionalInterface
    interface TtlFunction {
        long ttl(Record r, int section);
    }

    /** @return whether this template may still be served at {@code now} */
    boolean isFresh(long now) {
        return elapsedSeconds(now) < lifetimeSeconds;
    }

    long lifetimeSeconds() {
        return lifetimeSeconds;
    }

    /** @return the RCODE of the stored response */
    int rcode() {
        return flags & DnsWire.RCODE_MASK;
    }

    /**
     * Builds the reply to {@code q}. When it would exceed {@code limit} bytes the reply is only
     * header, question and OPT with TC set, so the client retries over TCP (RFC 2181 §9, RFC 7766).
     */
    byte[] render(ClientQuery q, long now, int limit) {
        return render(q.id(), q.recursionDesired(), q.checkingDisabled(), q.edns(), q.dnssecOk(), q.questionWire(),
                0, q.questionWire().length, now, limit);
    }

    /** The same for a {@link FastQuery}: the question is copied from the client's {@code packet}. */
    byte[] render(FastQuery q, byte[] packet, long now, int limit) {
        return render(q.id(), q.recursionDesired(), q.checkingDisabled(), q.edns(), q.dnssecOk(), packet,
                DnsWire.HEADER_LENGTH, q.questionEnd() - DnsWire.HEADER_LENGTH, now, limit);
    }

    /**
     * The same for a {@link FastQuery}, written into {@code out} instead of a new array (the
     * cache-hit path allocates nothing).
     *
     * @return the reply's length, or -1 when {@code out} is too small for it
     */
    int renderInto(FastQuery q, byte[] packet, long now, int limit, byte[] out) {
        int questionLength = q.questionEnd() - DnsWire.HEADER_LENGTH;
        int length = replyLength(questionLength, q.edns(), limit);
        if (length > out.length) {
            return -1;
        }
        write(out, q.id(), q.recursionDesired(), q.checkingDisabled(), q.edns(), q.dnssecOk(), packet,
                DnsWire.HEADER_LENGTH, questionLength, now, limit);
        return length;
    }

    /** Length of the reply: the whole answer, or only header, question and OPT when over {@code limit}. */
    private int replyLength(int questionLength, boolean edns, int limit) {
        int head = DnsWire.HEADER_LENGTH + questionLength + (edns ? DnsWire.OPT_LENGTH : 0);
        int full = head + body.length;
        return full > limit ? head : full;
    }

    private byte[] render(int id, boolean rd, boolean cd, boolean edns, boolean dnssecOk, byte[] question,
            int questionOffset, int questionLength, long now, int limit) {
        byte[] out = new byte[replyLength(questionLength, edns, limit)];
        write(out, id, rd, cd, edns, dnssecOk, question, questionOffset, questionLength, now, limit);
        return out;
    }

    /** Writes the reply into {@code out[0, replyLength)}; every byte of that range is set. */
    private void write(byte[] out, int id, boolean rd, boolean cd, boolean edns, boolean dnssecOk, byte[] question,
            int questionOffset, int questionLength, long now, int limit) {
        long elapsed = elapsedSeconds(now);
        int optLength = edns ? DnsWire.OPT_LENGTH : 0;
        int head = DnsWire.HEADER_LENGTH + questionLength;
        int full = head + body.length + optLength;
        boolean truncated = full > limit;
        int f = flags | (rd ? DnsWire.FLAG_RD : 0) | (cd ? DnsWire.FLAG_CD : 0);
        if (!dnssecOk) {
            f &= ~DnsWire.FLAG_AD; // RFC 6840 §5.8: AD only to clients that asked for DNSSEC
        }
        if (truncated) {
            f |= DnsWire.FLAG_TC;
        }
        DnsWire.put16(out, DnsWire.ID_OFFSET, id);
        DnsWire.put16(out, DnsWire.FLAGS_OFFSET, f);
        DnsWire.put16(out, DnsWire.QDCOUNT_OFFSET, 1);
        System.arraycopy(question, questionOffset, out, DnsWire.HEADER_LENGTH, questionLength);
        int at = head;
        if (!truncated) {
            DnsWire.put16(out, DnsWire.ANCOUNT_OFFSET, ancount);
            DnsWire.put16(out, DnsWire.NSCOUNT_OFFSET, nscount);
            System.arraycopy(body, 0, out, head, body.length);
            for (int i = 0; i < ttlOffsets.length; i++) {
                DnsWire.put32(out, head + ttlOffsets[i], Math.max(0, ttls[i] - elapsed));
            }
            at += body.length;
        } else {
            DnsWire.put16(out, DnsWire.ANCOUNT_OFFSET, 0);
            DnsWire.put16(out, DnsWire.NSCOUNT_OFFSET, 0);
        }
        int ar = truncated ? 0 : arcount;
        if (edns) {
            DnsWire.putOpt(out, at, 0, dnssecOk);
            ar++;
        }
        DnsWire.put16(out, DnsWire.ARCOUNT_OFFSET, ar);
    }

    private long elapsedSeconds(long now) {
        return Math.max(0, (now - storedAt) / 1_000_000_000L);
    }

    @Override
    public String toString() {
        return "ResponseTemplate[rcode=" + rcode() + ", an=" + ancount + ", ns=" + nscount + ", ar=" + arcount
                + ", ttls=" + Arrays.toString(ttls) + ", lifetime=" + lifetimeSeconds + "s]";
    }
}
