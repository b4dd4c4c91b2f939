package io.warren.gateway.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/** Messages for the DNS unit tests; every header field that matters is non-zero. */
final class DnsFixtures {
    static final InetSocketAddress UPSTREAM_A = sock("192.0.2.53", 53);
    static final InetSocketAddress UPSTREAM_B = sock("198.51.100.53", 5353);

    private DnsFixtures() {
    }

    static Name name(String s) {
        try {
            return Name.fromString(s, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static InetSocketAddress sock(String literal, int port) {
        return new InetSocketAddress(ip(literal), port);
    }

    /** A query with RD and CD set; {@code payload} &lt; 0 means no EDNS. */
    static byte[] query(int id, String qname, int type, int payload, boolean dnssecOk) {
        Header h = new Header(id);
        h.setFlag(Flags.RD);
        h.setFlag(Flags.CD);
        Message m = new Message();
        m.setHeader(h);
        m.addRecord(Record.newRecord(name(qname), type, DClass.IN), Section.QUESTION);
        if (payload >= 0) {
            m.addRecord(new OPTRecord(payload, 0, 0, dnssecOk ? 0x8000 : 0), Section.ADDITIONAL);
        }
        return m.toWire();
    }

    static Message parse(byte[] wire) {
        try {
            return new Message(wire);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An upstream response to {@code queryWire}: same id and question, RA and AD set, given rcode and records. */
    static Message response(byte[] queryWire, int rcode, Record[] answer, Record[] authority) {
        Message q = parse(queryWire);
        Header h = new Header(q.getHeader().getID());
        h.setFlag(Flags.QR);
        h.setFlag(Flags.RD);
        h.setFlag(Flags.RA);
        h.setFlag(Flags.AD);
        h.setRcode(rcode);
        Message m = new Message();
        m.setHeader(h);
        m.addRecord(q.getQuestion(), Section.QUESTION);
        for (Record r : answer) {
            m.addRecord(r, Section.ANSWER);
        }
        for (Record r : authority) {
            m.addRecord(r, Section.AUTHORITY);
        }
        m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        return m;
    }
}
