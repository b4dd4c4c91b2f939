package io.warren.gateway.dns;

import java.io.IOException;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Validates a client query before anything else looks at it. Checks, in this order, and what a
 * failing query gets (decided from RFC 1035, RFC 6891 and RFC 9619, as BIND and Unbound do):
 * <ol>
 *   <li>fewer than 12 bytes: dropped silently, there is no header to answer;</li>
 *   <li>QR=1: dropped silently, answering responses invites loops and reflection;</li>
 *   <li>opcode not QUERY: NOTIMP with the header only (RFC 1035 §4.1.1);</li>
 *   <li>QDCOUNT not 1: FORMERR with the header only (RFC 9619 §2);</li>
 *   <li>body not parseable by dnsjava (truncated, label over 63 bytes, pointer loop or forward
 *       pointer, name over 255 bytes, trailing records cut): FORMERR, header only;</li>
 *   <li>an OPT RR outside the additional section (RFC 6891 §6.1.1) or with an owner other than
 *       the root (RFC 6891 §6.1.2): FORMERR, as BIND does; two or more OPT RRs: FORMERR
 *       (RFC 6891 §6.1.1); OPT version not 0: BADVERS with an OPT (RFC 6891 §6.1.3);</li>
 *   <li>class not IN, or type AXFR/IXFR/MAILA/MAILB/OPT: REFUSED with the question, and an OPT
 *       when the query had one (RFC 6891 §7).</li>
 * </ol>
 * Every error reply copies the id, opcode, RD and CD (RFC 4035 §3.2.2). Never throws on input.
 */
public final class QueryParser {

    private QueryParser() {
    }

    /** Parses {@code packet} (exactly the received bytes). */
    public static QueryParseResult parse(byte[] packet) {
        if (packet.length < DnsWire.HEADER_LENGTH) {
            return new QueryParseResult.Dropped(DnsDropReason.SHORT_HEADER);
        }
        int id = DnsWire.u16(packet, DnsWire.ID_OFFSET);
        int flags = DnsWire.u16(packet, DnsWire.FLAGS_OFFSET);
        if ((flags & DnsWire.FLAG_QR) != 0) {
            return new QueryParseResult.Dropped(DnsDropReason.QR_SET);
        }
        int opcode = (flags >>> DnsWire.OPCODE_SHIFT) & DnsWire.OPCODE_MASK;
        boolean rd = (flags & DnsWire.FLAG_RD) != 0;
        // RD (RFC 1035 §4.1.1) and CD (RFC 4035 §3.2.2) are copied into every reply.
        int echoed = flags & (DnsWire.FLAG_RD | DnsWire.FLAG_CD);
        if (opcode != Opcode.QUERY) {
            return error(id, opcode, echoed, Rcode.NOTIMP, null, DnsDropReason.NOT_IMPLEMENTED);
        }
        if (DnsWire.u16(packet, DnsWire.QDCOUNT_OFFSET) != 1) {
            return error(id, opcode, echoed, Rcode.FORMERR, null, DnsDropReason.BAD_QDCOUNT);
        }
        Message message;
        try {
            message = new Message(packet);
        } catch (IOException | IllegalArgumentException e) {
            // WireParseException (an IOException) for truncation, bad labels and pointer loops;
            // IllegalArgumentException for rdata dnsjava refuses to construct.
            return error(id, opcode, echoed, Rcode.FORMERR, null, DnsDropReason.MALFORMED);
        }
        Record question = message.getQuestion();
        if (question == null) {
            // dnsjava tolerates a cut body when TC is set and then has no question.
            return error(id, opcode, echoed, Rcode.FORMERR, null, DnsDropReason.MALFORMED);
        }
        if (hasOpt(message, Section.ANSWER) || hasOpt(message, Section.AUTHORITY)) {
            return error(id, opcode, echoed, Rcode.FORMERR, null, DnsDropReason.MALFORMED);
        }
        int opts = 0;
        for (Record r : message.getSection(Section.ADDITIONAL)) {
            if (r.getType() == Type.OPT) {
                if (!r.getName().equals(Name.root)) {
                    return error(id, opcode, echoed, Rcode.FORMERR, null, DnsDropReason.MALFORMED);
                }
                opts++;
            }
        }
        if (opts > 1) {
            return error(id, opcode, echoed, Rcode.FORMERR, null, DnsDropReason.MULTIPLE_OPT);
        }
        OPTRecord opt = message.getOPT();
        if (opt != null && opt.getVersion() != 0) {
            return new QueryParseResult.ErrorReply(badVers(id, echoed, question, opt.getFlags() & DnsWire.EDNS_FLAG_DO), DnsDropReason.BAD_EDNS_VERSION);
        }
        if (question.getDClass() != DClass.IN) {
            return refused(id, echoed, question, opt, DnsDropReason.REFUSED_QCLASS);
        }
        int type = question.getType();
        if (type == Type.AXFR || type == Type.IXFR || type == Type.MAILA || type == Type.MAILB || type == Type.OPT) {
            return refused(id, echoed, question, opt, DnsDropReason.REFUSED_QTYPE);
        }
        boolean dnssecOk = opt != null && (opt.getFlags() & DnsWire.EDNS_FLAG_DO) != 0;
        int udpLimit = opt == null ? DnsWire.CLASSIC_UDP_SIZE
                : Math.max(DnsWire.CLASSIC_UDP_SIZE, Math.min(DnsWire.EDNS_UDP_SIZE, opt.getPayloadSize()));
        Header h = message.getHeader();
        return new QueryParseResult.Parsed(new ClientQuery(id, rd, h.getFlag(Flags.CD), question.getName(), type,
                question.getDClass(), question.toWire(Section.QUESTION), opt != null, dnssecOk, udpLimit));
    }

    private static boolean hasOpt(Message message, int section) {
        for (Record r : message.getSection(section)) {
            if (r.getType() == Type.OPT) {
                return true;
            }
        }
        return false;
    }

    /** An error reply: header (id, opcode, RD and CD echoed, QR set) and, when given, the question. */
    static QueryParseResult error(int id, int opcode, int echoed, int rcode, Record question, DnsDropReason reason) {
        return new QueryParseResult.ErrorReply(errorWire(id, opcode, echoed, rcode, question), reason);
    }

    /**
     * REFUSED with the question and, for a query with an OPT (version 0 by now), an OPT with our
     * payload size and the client's DO bit (RFC 6891 §7: a response to a request with an OPT MUST
     * carry one; RFC 3225 §3: DO is copied).
     */
    private static QueryParseResult refused(int id, int echoed, Record question, OPTRecord clientOpt,
            DnsDropReason reason) {
        Message m = new Message();
        m.setHeader(replyHeader(id, Opcode.QUERY, echoed, Rcode.REFUSED));
        m.addRecord(question, Section.QUESTION);
        if (clientOpt != null) {
            m.addRecord(new OPTRecord(DnsWire.EDNS_UDP_SIZE, 0, 0, clientOpt.getFlags() & DnsWire.EDNS_FLAG_DO),
                    Section.ADDITIONAL);
        }
        return new QueryParseResult.ErrorReply(m.toWire(), reason);
    }

    /** @param echoed the RD and CD bits of the query's flags word */
    static byte[] errorWire(int id, int opcode, int echoed, int rcode, Record question) {
        Message m = new Message();
        m.setHeader(replyHeader(id, opcode, echoed, rcode));
        if (question != null) {
            m.addRecord(question, Section.QUESTION);
        }
        return m.toWire();
    }

    private static Header replyHeader(int id, int opcode, int echoed, int rcode) {
        Header h = new Header(id);
        h.setFlag(Flags.QR);
        h.setOpcode(opcode);
        if ((echoed & DnsWire.FLAG_RD) != 0) {
            h.setFlag(Flags.RD);
        }
        if ((echoed & DnsWire.FLAG_CD) != 0) {
            h.setFlag(Flags.CD);
        }
        h.setRcode(rcode);
        return h;
    }

    /** @param dnssecOk the client's DO bit, copied into our OPT (RFC 3225 §3) */
    private static byte[] badVers(int id, int echoed, Record question, int dnssecOk) {
        Message m = new Message();
        // RCODE BADVERS = 16: low 4 bits (0) in the header, high 8 bits (1) in the OPT TTL.
        m.setHeader(replyHeader(id, Opcode.QUERY, echoed, Rcode.NOERROR));
        m.addRecord(question, Section.QUESTION);
        m.addRecord(new OPTRecord(DnsWire.EDNS_UDP_SIZE, DnsWire.EXTENDED_RCODE_BADVERS_HIGH, 0, dnssecOk),
                Section.ADDITIONAL);
        return m.toWire();
    }
}
