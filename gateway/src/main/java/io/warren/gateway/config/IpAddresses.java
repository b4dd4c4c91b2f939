package io.warren.gateway.config;

import java.net.Inet4Address;
import java.net.InetAddress;
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
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private IpAddresses() {
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
            if (!LABEL.matcher(label).matches()) {
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
}
