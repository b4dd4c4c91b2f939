package io.warren.gateway.config;

import io.warren.gateway.dns.HostNames;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Strict IP literal parsing that never touches DNS ({@link InetAddress#getByName} would resolve a
 * host name), plus host-name syntax checks (RFC 1123).
 */
public final class IpAddresses {
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpAddresses() {
    }

    /**
     * Whether a query sent to {@code to} would reach a socket bound to {@code listen}: the same
     * address (IPv4-mapped IPv6 taken as IPv4) and port, or a wildcard {@code listen} on that port and
     * a loopback {@code to} of a family it takes (an IPv6 wildcard socket is dual-stack and takes IPv4
     * loopback too). Forwarding there would loop back to ourselves.
     */
    public static boolean reaches(InetSocketAddress to, InetSocketAddress listen) {
        if (to.getPort() != listen.getPort()) {
            return false;
        }
        InetAddress t = unmapped(to.getAddress());
        InetAddress l = unmapped(listen.getAddress());
        if (t.equals(l)) {
            return true;
        }
        return l.isAnyLocalAddress() && t.isLoopbackAddress()
                && (l instanceof java.net.Inet6Address || t instanceof java.net.Inet4Address);
    }

    private static InetAddress unmapped(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != 16) {
            return a;
        }
        for (int i = 0; i < 12; i++) {
            if (b[i] != (i < 10 ? 0 : (byte) 0xFF)) {
                return a;
            }
        }
        try {
            return InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16));
        } catch (java.net.UnknownHostException impossible) {
            return a; // only for a bad length
        }
    }

    /** Parses an IPv4 dotted quad or an IPv6 literal (no brackets, no zone); empty otherwise. */
    public static Optional<InetAddress> parse(String text) {
        String s = text.strip();
        boolean v4 = IPV4.matcher(s).matches();
        boolean v6 = s.indexOf(':') >= 0 && IPV6_CHARS.matcher(s).matches();
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            // A literal: getByName does not query DNS for it.
            return Optional.of(InetAddress.getByName(s));
        } catch (UnknownHostException notLiteral) {
            return Optional.empty();
        }
    }

    /** Parses an IPv4 dotted quad only. */
    public static Optional<InetAddress> parseV4(String text) {
        return parse(text).filter(a -> a instanceof Inet4Address);
    }

    /** True for a syntactically valid DNS host name (labels of letters, digits and hyphens). */
    public static boolean isHostName(String s) {
        if (s.isEmpty() || s.length() > 253) {
            return false;
        }
        String name = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        if (name.isEmpty()) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!HostNames.isLabel(label)) {
                return false;
            }
        }
        return true;
    }

    /** True for a domain name as used in DNS config (a host name; a single label is allowed). */
    public static boolean isDomainName(String s) {
        return isHostName(s);
    }

    /** The address as an unsigned big-endian number (IPv4 fits in the low 32 bits). */
    public static java.math.BigInteger toNumber(InetAddress a) {
        return new java.math.BigInteger(1, a.getAddress());
    }

    /** The canonical text of an address (compressed IPv6, no slash). */
    public static String text(InetAddress a) {
        return a.getHostAddress();
    }

    /** {@code a} as people write it: IPv6 in the RFC 5952 §4 form ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}). */
    public static String compact(InetAddress a) {
        byte[] b = a.getAddress();
        return io.warren.routing.IpPrefix.fromBytes(b, b.length * 8).addressText();
    }
}
