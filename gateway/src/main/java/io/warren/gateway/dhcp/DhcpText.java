package io.warren.gateway.dhcp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Conversions between IPv4 addresses as ints, byte arrays, {@link InetAddress} and text. */
public final class DhcpText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private DhcpText() {
    }

    /** Big-endian bytes of {@code v}. */
    public static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** The int of an IPv4 address. */
    public static int ipv4(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != 4) {
            throw new IllegalArgumentException("not IPv4: " + a);
        }
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    /** The address of an int. */
    public static Inet4Address inet(int v) {
        try {
            return (Inet4Address) InetAddress.getByAddress(int32(v));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }

    /** Dotted-quad text of an int. */
    public static String dotted(int v) {
        return (v >>> 24) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }

    /** Parses a dotted quad (no name lookups). */
    public static Optional<Integer> parseDotted(String s) {
        String[] p = s.strip().split("\\.", -1);
        if (p.length != 4) {
            return Optional.empty();
        }
        int v = 0;
        for (String part : p) {
            if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) {
                return Optional.empty();
            }
            v = (v << 8) | Integer.parseInt(part);
        }
        return Optional.of(v);
    }

    /** Lower-case hex with colons, e.g. {@code 01:aa:bb}. */
    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 3);
        for (int i = 0; i < b.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(HEX[(b[i] >> 4) & 0xf]).append(HEX[b[i] & 0xf]);
        }
        return sb.toString();
    }

    /** Parses {@link #hex} output (colons optional); empty on bad input. */
    public static Optional<byte[]> parseHex(String s) {
        String h = s.replace(":", "").strip();
        if (h.isEmpty() || h.length() % 2 != 0 || !h.matches("[0-9A-Fa-f]+")) {
            return Optional.empty();
        }
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return Optional.of(out);
    }

    /** Netmask int of a prefix length. */
    public static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }
}
