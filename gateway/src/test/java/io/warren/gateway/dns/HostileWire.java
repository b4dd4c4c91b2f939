package io.warren.gateway.dns;

import java.io.ByteArrayOutputStream;

/** Builds raw DNS messages byte by byte, for input no well-behaved library would write. */
final class HostileWire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private HostileWire() {
    }

    /** A header: id, flags word, QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT. */
    static HostileWire header(int id, int flags, int qd, int an, int ns, int ar) {
        return new HostileWire().u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
    }

    /** A query header: RD set, QDCOUNT 1, ARCOUNT {@code ar}. */
    static HostileWire query(int id, int ar) {
        return header(id, DnsWire.FLAG_RD, 1, 0, 0, ar);
    }

    HostileWire u8(int... values) {
        for (int v : values) {
            out.write(v);
        }
        return this;
    }

    HostileWire u16(int v) {
        return u8(v >>> 8, v & 0xFF);
    }

    HostileWire u32(long v) {
        return u16((int) (v >>> 16)).u16((int) (v & 0xFFFF));
    }

    /** Labels of a dotted name, uncompressed, ending with the root label. */
    HostileWire name(String dotted) {
        for (String label : dotted.split("\\.")) {
            if (!label.isEmpty()) {
                u8(label.length());
                out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return u8(0);
    }

    /** Type and class of a question. */
    HostileWire question(String dotted, int type, int dclass) {
        return name(dotted).u16(type).u16(dclass);
    }

    /** An OPT RR: root owner, payload size, extended RCODE, version, flags, RDLENGTH 0. */
    HostileWire opt(int payload, int extendedRcode, int version, int flags) {
        return u8(0).u16(DnsWire.TYPE_OPT).u16(payload).u8(extendedRcode, version).u16(flags).u16(0);
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
