package io.warren.routing;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Textual IP address literals: strict dotted-quad IPv4 (RFC 791 notation, no octal, no short forms)
 * and IPv6 (RFC 4291 §2.2, parsed by the JDK's literal parser) in, RFC 5952 §4 canonical text out.
 *
 * <p>Addresses are handled in the 128-bit left-aligned form used by the whole package: an IPv4
 * address {@code a} is {@code hi = (a & 0xffffffffL) << 32, lo = 0}. Parsing never throws and never
 * triggers a name lookup: the JDK is only called on strings that are already known to be literals.
 */
final class IpText {

    /** Longest IPv6 literal, "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255". */
    static final int MAX_V6_CHARS = 45;

    private IpText() {
    }

    /** Parses "a.b.c.d"; returns the address as an unsigned 32-bit value in a long, or -1 if malformed. */
    static long parseV4(CharSequence s, int from, int to) {
        long addr = 0;
        int parts = 0;
        int i = from;
        while (true) {
            int start = i;
            int v = 0;
            while (i < to && i - start < 4 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            addr = (addr << 8) | v;
            parts++;
            if (parts == 4) {
                return i == to ? addr : -1;
            }
            if (i >= to || s.charAt(i) != '.') {
                return -1;
            }
            i++;
        }
    }

    /**
     * Parses an IPv6 literal into {@code out[0]} (high 64 bits) and {@code out[1]} (low 64 bits).
     * Returns false if malformed. Zone ids ("%eth0") and brackets are rejected.
     */
    static boolean parseV6(String s, long[] out) {
        int n = s.length();
        if (n < 2 || n > MAX_V6_CHARS || s.indexOf(':') < 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                    || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        if (s.charAt(0) == '.') {
            return false; // the JDK would treat this as a host name
        }
        byte[] bytes;
        try {
            // Safe: a string with ':' that starts with a hex digit or ':' is only ever parsed as a
            // literal by the JDK (an invalid one raises UnknownHostException, no resolver call).
            bytes = InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        if (bytes.length == 4) {
            // The JDK folds IPv4-mapped literals (::ffff:a.b.c.d, RFC 4291 §2.5.5.2) into IPv4.
            out[0] = 0;
            out[1] = 0xffffL << 32 | (readInt(bytes, 0) & 0xffffffffL);
            return true;
        }
        out[0] = readLong(bytes, 0);
        out[1] = readLong(bytes, 8);
        return true;
    }

    /** Formats an IPv4 address. */
    static String formatV4(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    /** Formats an IPv6 address per RFC 5952 §4: lower case, no leading zeros, longest zero run as "::". */
    static String formatV6(long hi, long lo) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
            g[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
        }
        int bestStart = -1;
        int bestLen = 1; // RFC 5952 §4.2.2: a single 0 group is not shortened
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    static int readInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    static long readLong(byte[] b, int off) {
        return (readInt(b, off) & 0xffffffffL) << 32 | (readInt(b, off + 4) & 0xffffffffL);
    }
}
