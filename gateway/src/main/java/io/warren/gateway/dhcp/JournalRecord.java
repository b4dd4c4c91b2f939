package io.warren.gateway.dhcp;

import io.warren.gateway.dns.HostNames;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * One line of the lease journal: a lease bound ({@code B}) or ended ({@code R}), with the expiry as
 * wall-clock milliseconds so it means the same after a restart. Text fields are URL-encoded so a
 * line never holds a space or newline of its own; every line ends with the CRC-32 of what precedes
 * it, so a torn or damaged line is recognised and skipped.
 *
 * <pre>B pool address expiresMillis mac clientId|- hostName|- static crc
 * R address crc</pre>
 *
 * @param bound         true for B, false for R
 * @param pool          pool name (B)
 * @param address       the address as an int
 * @param expiresMillis wall-clock expiry (B)
 * @param mac           hardware address hex (B)
 * @param clientId      option 61 hex (B)
 * @param hostName      host name (B)
 * @param staticLease   from a static host (B)
 */
public record JournalRecord(boolean bound, String pool, int address, long expiresMillis, String mac,
                            Optional<String> clientId, Optional<String> hostName, boolean staticLease) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2})*");

    /** A B record. */
    public static JournalRecord bound(DhcpLease l, long expiresMillis) {
        return new JournalRecord(true, l.pool(), DhcpText.ipv4(l.address()), expiresMillis, l.hardwareAddress(),
                l.clientId(), l.hostName(), l.staticLease());
    }

    /** An R record. */
    public static JournalRecord removed(int address) {
        return new JournalRecord(false, "", address, 0, "", Optional.empty(), Optional.empty(), false);
    }

    /** The lease this B record describes, with the expiry mapped onto the core's clock. */
    public DhcpLease toLease(long expiresAtNanos) {
        return new DhcpLease(pool, DhcpText.inet(address), mac, clientId, hostName, expiresAtNanos, staticLease);
    }

    /** The line, with its newline. */
    public String toLine() {
        String body = bound
                ? "B " + enc(pool) + " " + DhcpText.dotted(address) + " " + expiresMillis + " " + enc(mac) + " "
                        + clientId.map(JournalRecord::enc).orElse("-") + " " + hostName.map(JournalRecord::enc).orElse("-")
                        + " " + (staticLease ? 1 : 0)
                : "R " + DhcpText.dotted(address);
        return body + " " + crc(body) + "\n";
    }

    /**
     * Parses a line without its newline; empty if torn, damaged or unknown, or if a field is
     * impossible (an address that is no IPv4 address, a MAC longer than chaddr or not hex, a
     * client-id under 2 bytes, RFC 2132 §9.14). A host name that is not a valid relative host name
     * is dropped and the lease kept. Never throws.
     */
    public static Optional<JournalRecord> parse(String line) {
        int lastSpace = line.lastIndexOf(' ');
        if (lastSpace < 0 || !line.substring(lastSpace + 1).equals(crc(line.substring(0, lastSpace)))) {
            return Optional.empty();
        }
        String[] f = line.substring(0, lastSpace).split(" ", -1);
        try {
            if (f[0].equals("R") && f.length == 2) {
                return DhcpText.parseDotted(f[1]).map(JournalRecord::removed);
            }
            if (f[0].equals("B") && f.length == 8) {
                Optional<Integer> a = DhcpText.parseDotted(f[2]);
                String mac = dec(f[4]);
                Optional<String> clientId = opt(f[5]);
                if (a.isEmpty() || !validHex(mac, 0, DhcpWire.CHADDR_LENGTH) || (mac.isEmpty() && clientId.isEmpty())
                        || !clientId.map(id -> validHex(id, 2, Integer.MAX_VALUE)).orElse(true)
                        || !(f[7].equals("0") || f[7].equals("1"))) {
                    return Optional.empty();
                }
                Optional<String> hostName = opt(f[6]).filter(n -> n.length() <= 253 && HostNames.isRelative(n));
                return Optional.of(new JournalRecord(true, dec(f[1]), a.get(), Long.parseLong(f[3]), mac,
                        clientId, hostName, f[7].equals("1")));
            }
        } catch (IllegalArgumentException e) { // NumberFormatException, bad % escapes
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Colon hex as {@link DhcpText#hex} writes it, of {@code min..max} bytes (empty text = 0 bytes). */
    private static boolean validHex(String hex, int min, int max) {
        if (hex.isEmpty()) {
            return min == 0;
        }
        Optional<byte[]> b = HEX.matcher(hex).matches() ? DhcpText.parseHex(hex) : Optional.empty();
        return b.isPresent() && b.get().length >= min && b.get().length <= max;
    }

    private static Optional<String> opt(String f) {
        return f.equals("-") ? Optional.empty() : Optional.of(dec(f));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String crc(String body) {
        CRC32 c = new CRC32();
        c.update(body.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", c.getValue());
    }
}
