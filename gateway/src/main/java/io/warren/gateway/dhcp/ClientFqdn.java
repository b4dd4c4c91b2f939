package io.warren.gateway.dhcp;

import io.warren.gateway.dns.HostNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Option 81, Client FQDN (RFC 4702 §2): one flags byte (S = 1, O = 2, E = 4, N = 8, the rest MBZ
 * and ignored, §2.1), the deprecated RCODE1 and RCODE2 (ignored on receipt, §2.2) and a domain name:
 * with E = 1 in the canonical wire format of RFC 1035 §3.1 without compression (§2.3.1), a
 * terminating zero-length label making it fully qualified, none making it a partial name; with
 * E = 0 in the deprecated ASCII form (§2.3.2). An empty name asks the server to supply one.
 *
 * <p>{@link #parse} refuses, rather than repairs: a value shorter than 3 bytes, S and N both set
 * (§2.1: "If the N bit is 1, the S bit MUST be 0"), a compression pointer or extended label type,
 * a label running past the option, data after the root label, a name over 255 bytes (RFC 1035
 * §3.1) and any label that is not an RFC 1123 §2.1 host label (letters, digits, inner hyphens, 1
 * to 63 bytes).
 *
 * @param flags  the client's flags byte
 * @param labels the name's labels as sent (empty: the client asks the server for a name)
 */
record ClientFqdn(int flags, List<String> labels) {

    static final int S = 0x01;
    static final int O = 0x02;
    static final int E = 0x04;
    static final int N = 0x08;
    /** RCODE1/RCODE2 as a server sends them (RFC 4702 §2.2). */
    private static final byte RCODE_SERVER = (byte) 255;
    private static final int MAX_NAME = 255;
    private static final int MAX_LABEL = 63;

    ClientFqdn {
        labels = List.copyOf(labels);
    }

    /** True if the name is in the canonical wire format (E = 1). */
    boolean wireFormat() {
        return (flags & E) != 0;
    }

    /** The first label of the client's name, or empty if it sent none. */
    Optional<String> firstLabel() {
        return labels.isEmpty() ? Optional.empty() : Optional.of(labels.get(0));
    }

    /** Parses an option 81 value; empty if it is malformed (see the class comment). */
    static Optional<ClientFqdn> parse(byte[] v) {
        if (v.length < 3) {
            return Optional.empty();
        }
        int flags = v[0] & 0xff;
        if ((flags & (S | N)) == (S | N)) {
            return Optional.empty();
        }
        List<String> labels = new ArrayList<>(4);
        boolean ok = (flags & E) != 0 ? wireLabels(v, labels) : asciiLabels(v, labels);
        return ok ? Optional.of(new ClientFqdn(flags, labels)) : Optional.empty();
    }

    private static boolean wireLabels(byte[] v, List<String> out) {
        if (v.length - 3 > MAX_NAME) {
            return false;
        }
        int at = 3;
        while (at < v.length) {
            int len = v[at] & 0xff;
            if (len == 0) {
                return at == v.length - 1 && !out.isEmpty(); // the root label ends the name, nothing after it
            }
            if (len > MAX_LABEL || at + 1 + len > v.length) {
                return false; // 0x40/0x80/0xc0: extended label or compression pointer (RFC 4702 §2.3.1)
            }
            if (!hostLabel(v, at + 1, len, out)) {
                return false;
            }
            at += 1 + len;
        }
        return true; // a partial name: no root label
    }

    private static boolean asciiLabels(byte[] v, List<String> out) {
        int end = v.length;
        if (end > 3 && v[end - 1] == 0) {
            end--; // clients written in C may send the terminating NUL
        }
        if (end > 3 && v[end - 1] == '.') {
            end--; // a fully qualified name
        }
        if (end - 3 > MAX_NAME - 2) {
            return false;
        }
        int start = 3;
        while (start < end) {
            int dot = start;
            while (dot < end && v[dot] != '.') {
                dot++;
            }
            if (!hostLabel(v, start, dot - start, out)) {
                return false;
            }
            start = dot + 1;
            if (dot < end && start == end) {
                return false; // an empty label before the end
            }
        }
        return true;
    }

    /** Adds {@code v[from, from + len)} to {@code out} if it is an RFC 1123 §2.1 host label (ASCII only). */
    private static boolean hostLabel(byte[] v, int from, int len, List<String> out) {
        String label = new String(v, from, len, StandardCharsets.US_ASCII); // other bytes become U+FFFD: refused
        if (!HostNames.isLabel(label)) {
            return false;
        }
        out.add(label);
        return true;
    }

    /**
     * The server's option 81 for this client (RFC 4702 §4, as dnsmasq answers): S = 1 (the server
     * publishes the A record itself), O = 1 if that overrides the client's S = 0, E as the client sent
     * it, N = 0, RCODE1 = RCODE2 = 255; the name is {@code label} under {@code domain} (fully
     * qualified) or {@code label} alone (partial) when the pool has no domain or it cannot be encoded.
     */
    byte[] reply(String label, Optional<String> domain) {
        List<String> name = new ArrayList<>();
        name.add(label);
        boolean full = false;
        if (domain.isPresent()) {
            List<String> d = new ArrayList<>();
            boolean good = true;
            for (String part : domain.get().split("\\.")) {
                if (!part.isEmpty()) {
                    good &= HostNames.isLabel(part);
                    d.add(part);
                }
            }
            if (good && !d.isEmpty() && label.length() + 1 + String.join(".", d).length() + 2 <= MAX_NAME) {
                name.addAll(d);
                full = true;
            }
        }
        int replyFlags = S | ((flags & S) == 0 ? O : 0) | (flags & E);
        byte[] text;
        if (wireFormat()) {
            int size = full ? 1 : 0;
            for (String l : name) {
                size += 1 + l.length();
            }
            text = new byte[size];
            int at = 0;
            for (String l : name) {
                text[at++] = (byte) l.length();
                byte[] b = l.getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(b, 0, text, at, b.length);
                at += b.length;
            }
        } else {
            text = String.join(".", name).getBytes(StandardCharsets.US_ASCII);
        }
        byte[] out = new byte[3 + text.length];
        out[0] = (byte) replyFlags;
        out[1] = RCODE_SERVER;
        out[2] = RCODE_SERVER;
        System.arraycopy(text, 0, out, 3, text.length);
        return out;
    }
}
