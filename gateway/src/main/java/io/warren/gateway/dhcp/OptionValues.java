package io.warren.gateway.dhcp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Encodes the admin's option values ({@code [dhcp.POOL.options]}, strings from TOML) into wire bytes
 * by the option's type in RFC 2132, plus RFC 3397 (119, domain search) and RFC 3442 (121,
 * classless static routes, written {@code "10.0.0.0/8,192.168.1.1"}). Codes of unknown type take
 * colon hex ({@code "01:02"}) or else the text as ASCII.
 */
public final class OptionValues {

    private static final Set<Integer> ADDRESS_LISTS = Set.of(3, 4, 5, 6, 7, 8, 9, 10, 11, 41, 42, 44, 45, 48, 49,
            65, 68, 69, 70, 71, 72, 73, 74, 75, 76);
    private static final Set<Integer> ADDRESSES = Set.of(1, 16, 28, 32, 50, 54);
    private static final Set<Integer> UINT8 = Set.of(19, 20, 23, 27, 29, 30, 31, 34, 36, 37, 39, 46);
    private static final Set<Integer> UINT16 = Set.of(13, 22, 26, 57);
    private static final Set<Integer> UINT32 = Set.of(2, 24, 35, 38, 51, 58, 59);
    private static final Set<Integer> TEXT = Set.of(12, 14, 15, 17, 18, 40, 47, 56, 62, 64, 66, 67);
    private static final int OPT_TIME_OFFSET = 2;
    private static final Pattern ASCII = Pattern.compile("[\\x20-\\x7e]*");

    private OptionValues() {
    }

    /** The wire value of option {@code code} given as {@code values}; empty if they do not fit its type. */
    public static Optional<byte[]> encode(int code, List<String> values) {
        if (values.isEmpty() || (ADDRESSES.contains(code) && values.size() != 1)) {
            return Optional.empty(); // RFC 2132 §3.15, §5.3, §5.5, §9.1, §9.7: exactly one address
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (String v : values) {
                if (!append(code, v.strip(), out)) {
                    return Optional.empty();
                }
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        byte[] b = out.toByteArray();
        return b.length == 0 || !DhcpOptions.validLength(code, b.length) ? Optional.empty() : Optional.of(b);
    }

    private static boolean append(int code, String v, ByteArrayOutputStream out) {
        if (ADDRESS_LISTS.contains(code) || ADDRESSES.contains(code)) {
            Optional<Integer> a = DhcpText.parseDotted(v);
            a.ifPresent(x -> out.writeBytes(DhcpText.int32(x)));
            return a.isPresent();
        }
        if (UINT8.contains(code)) {
            long n = v.equals("true") ? 1 : v.equals("false") ? 0 : Long.parseLong(v);
            return n >= 0 && n <= 0xff && write(out, n, 1);
        }
        if (UINT16.contains(code)) {
            long n = Long.parseLong(v);
            return n >= 0 && n <= 0xffff && write(out, n, 2);
        }
        if (UINT32.contains(code)) {
            long n = Long.parseLong(v);
            long min = code == OPT_TIME_OFFSET ? Integer.MIN_VALUE : 0; // only option 2 is signed (RFC 2132 §3.4)
            return n >= min && n <= (code == OPT_TIME_OFFSET ? Integer.MAX_VALUE : 0xffffffffL) && write(out, n, 4);
        }
        if (TEXT.contains(code)) {
            if (!ASCII.matcher(v).matches()) {
                return false; // NVT ASCII (RFC 2132 §2); getBytes would turn other characters into '?'
            }
            out.writeBytes(v.getBytes(StandardCharsets.US_ASCII));
            return !v.isEmpty();
        }
        if (code == DhcpWire.OPT_DOMAIN_SEARCH) {
            return domainName(v, out);
        }
        if (code == DhcpWire.OPT_CLASSLESS_ROUTES) {
            return classlessRoute(v, out);
        }
        Optional<byte[]> hex = v.contains(":") ? DhcpText.parseHex(v) : Optional.empty();
        out.writeBytes(hex.orElse(v.getBytes(StandardCharsets.US_ASCII)));
        return !v.isEmpty();
    }

    private static boolean write(ByteArrayOutputStream out, long n, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (n >>> (8 * i)));
        }
        return true;
    }

    /** A DNS name in wire form, uncompressed (RFC 3397 §2 allows compression; none is needed). */
    private static boolean domainName(String name, ByteArrayOutputStream out) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty() || n.length() > 253) {
            return false;
        }
        for (String label : n.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || !label.matches("[A-Za-z0-9_-]+")) {
                return false;
            }
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0);
        return true;
    }

    /** {@code DEST/LEN,ROUTER}: width, significant octets of the destination, router (RFC 3442 §2). */
    private static boolean classlessRoute(String v, ByteArrayOutputStream out) {
        String[] parts = v.split(",", -1);
        if (parts.length != 2 || !parts[0].contains("/")) {
            return false;
        }
        String[] dest = parts[0].strip().split("/", -1);
        if (dest.length != 2) {
            return false;
        }
        Optional<Integer> net = DhcpText.parseDotted(dest[0]);
        Optional<Integer> router = DhcpText.parseDotted(parts[1]);
        if (net.isEmpty() || router.isEmpty() || !dest[1].matches("\\d{1,2}") || Integer.parseInt(dest[1]) > 32) {
            return false;
        }
        int width = Integer.parseInt(dest[1]);
        out.write(width);
        byte[] d = DhcpText.int32(net.get() & DhcpText.mask(width));
        out.write(d, 0, (width + 7) / 8);
        out.writeBytes(DhcpText.int32(router.get()));
        return true;
    }
}
