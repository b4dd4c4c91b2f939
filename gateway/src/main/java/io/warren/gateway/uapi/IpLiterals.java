package io.warren.gateway.uapi;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Strict IP address literals, parsed and printed like Go's {@code net/netip} (which wireguard-go uses):
 * never a name lookup, no brackets, no zone, no IPv4 octet with a leading zero. Parsing is Netty's
 * {@link NetUtil}; this class only adds Go's strictness on top. Printing is RFC 5952, with IPv4-mapped
 * IPv6 as {@code ::ffff:1.2.3.4}.
 */
final class IpLiterals {
    private static final String MAPPED_PREFIX = "::ffff:";

    private IpLiterals() {
    }

    /** The 4 or 16 address bytes of {@code text}, or null when it is not a literal Go would accept. */
    static byte[] parse(String text) {
        if (text.isEmpty() || text.length() > 45) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            return isStrictIpv4(text) ? NetUtil.createByteArrayFromIpAddressString(text) : null;
        }
        if (text.indexOf('[') >= 0 || text.indexOf(']') >= 0 || text.indexOf('%') >= 0) {
            return null;
        }
        Inet6Address plain = NetUtil.getByName(text, false);
        if (plain != null) {
            return plain.getAddress();
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith(MAPPED_PREFIX) && isStrictIpv4(lower.substring(MAPPED_PREFIX.length()))) {
            byte[] v4 = NetUtil.createByteArrayFromIpAddressString(lower.substring(MAPPED_PREFIX.length()));
            byte[] v6 = new byte[16];
            v6[10] = (byte) 0xff;
            v6[11] = (byte) 0xff;
            System.arraycopy(v4, 0, v6, 12, 4);
            return v6;
        }
        return null;
    }

    /** Dotted quad for 4 bytes; RFC 5952 text for 16. */
    static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
                    + (address[3] & 0xff);
        }
        try {
            return NetUtil.toAddressString(Inet6Address.getByAddress(null, address, -1), true);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an IPv6 address is 16 bytes, got " + address.length, e);
        }
    }

    private static boolean isStrictIpv4(String text) {
        if (!NetUtil.isValidIpV4Address(text)) {
            return false;
        }
        for (String octet : text.split("\\.", -1)) {
            if (octet.length() > 1 && octet.charAt(0) == '0') {
                return false;
            }
        }
        return true;
    }
}
