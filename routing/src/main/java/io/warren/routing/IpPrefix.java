package io.warren.routing;

import java.util.Objects;

/**
 * An immutable, canonical IP prefix (RFC 4632 §3.1 CIDR notation for IPv4, RFC 4291 §2.3 for IPv6):
 * address family, address bits and prefix length, with every host bit zero.
 *
 * <p><b>Canonical form.</b> Text parsing ({@link #parse}) <em>rejects</em> a prefix with host bits set
 * ({@link Reason#HOST_BITS_SET}): "10.0.0.1/8" in a config is more likely a typo than a wish for
 * 10.0.0.0/8. The programmatic factories ({@link #v4}, {@link #v6}, {@link #fromBytes}) <em>mask</em>
 * the host bits, because they are used on addresses computed from packets and configuration.
 * A literal without "/len" is a host prefix (/32 or /128), as wg(8) reads AllowedIPs.
 *
 * <p>Bits are kept left-aligned in 128 bits: IPv4 {@code a.b.c.d} is {@code hi = abcd << 32, lo = 0}.
 * The lookup forms used on the data path are primitives: an IPv4 address as {@code int}, an IPv6
 * address as two {@code long}s ({@link #v4Address()}, {@link #hi()}, {@link #lo()}).
 */
public final class IpPrefix implements Comparable<IpPrefix> {

    /** Address family and its address width. */
    public enum Family {
        IPV4(32),
        IPV6(128);

        private final int bits;

        Family(int bits) {
            this.bits = bits;
        }

        /** Address width in bits (32 or 128). */
        public int bits() {
            return bits;
        }
    }

    /** Why a prefix text was rejected. */
    public enum Reason {
        EMPTY,
        TOO_LONG,
        BAD_ADDRESS,
        BAD_LENGTH,
        LENGTH_OUT_OF_RANGE,
        HOST_BITS_SET
    }

    /** Result of {@link #parse}: a prefix, or the reason the text is not one. */
    public sealed interface Parsed permits Ok, Invalid {
    }

    /** A well-formed canonical prefix. */
    public record Ok(IpPrefix prefix) implements Parsed {
    }

    /** Rejected text; the input is not echoed (it may come from an untrusted control message). */
    public record Invalid(Reason reason) implements Parsed {
    }

    private static final int MAX_TEXT = IpText.MAX_V6_CHARS + 4;

    private final Family family;
    private final long hi;
    private final long lo;
    private final int length;

    private IpPrefix(Family family, long hi, long lo, int length) {
        this.family = family;
        this.hi = hi;
        this.lo = lo;
        this.length = length;
    }

    /** IPv4 prefix; host bits of {@code address} are masked off. */
    public static IpPrefix v4(int address, int length) {
        checkLength(Family.IPV4, length);
        long hi = (address & 0xffffffffL) << 32;
        return new IpPrefix(Family.IPV4, hi & maskHi(length), 0, length);
    }

    /** IPv6 prefix from its high and low 64 bits; host bits are masked off. */
    public static IpPrefix v6(long hi, long lo, int length) {
        checkLength(Family.IPV6, length);
        return new IpPrefix(Family.IPV6, hi & maskHi(length), lo & maskLo(length), length);
    }

    /** Prefix from 4 or 16 network-order address bytes; host bits are masked off. */
    public static IpPrefix fromBytes(byte[] address, int length) {
        if (address.length == 4) {
            return v4(IpText.readInt(address, 0), length);
        }
        if (address.length == 16) {
            return v6(IpText.readLong(address, 0), IpText.readLong(address, 8), length);
        }
        throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + address.length);
    }

    /** Parses "10.0.0.0/8", "fd00::/64", "192.0.2.1" (= /32). Never throws. */
    public static Parsed parse(CharSequence text) {
        if (text == null || text.length() == 0) {
            return new Invalid(Reason.EMPTY);
        }
        if (text.length() > MAX_TEXT) {
            return new Invalid(Reason.TOO_LONG);
        }
        String s = text.toString();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        Family family;
        long hi;
        long lo;
        if (addr.indexOf(':') >= 0) {
            long[] out = new long[2];
            if (!IpText.parseV6(addr, out)) {
                return new Invalid(Reason.BAD_ADDRESS);
            }
            family = Family.IPV6;
            hi = out[0];
            lo = out[1];
        } else {
            long a = IpText.parseV4(addr, 0, addr.length());
            if (a < 0) {
                return new Invalid(Reason.BAD_ADDRESS);
            }
            family = Family.IPV4;
            hi = a << 32;
            lo = 0;
        }
        int length = family.bits();
        if (slash >= 0) {
            int digits = s.length() - slash - 1;
            if (digits < 1 || digits > 3 || (digits > 1 && s.charAt(slash + 1) == '0')) {
                return new Invalid(Reason.BAD_LENGTH);
            }
            length = 0;
            for (int i = slash + 1; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return new Invalid(Reason.BAD_LENGTH);
                }
                length = length * 10 + (c - '0');
            }
            if (length > family.bits()) {
                return new Invalid(Reason.LENGTH_OUT_OF_RANGE);
            }
        }
        if ((hi & ~maskHi(length)) != 0 || (lo & ~maskLo(length)) != 0) {
            return new Invalid(Reason.HOST_BITS_SET);
        }
        return new Ok(new IpPrefix(family, hi, lo, length));
    }

    /** Parses a prefix that is known to be valid (constants, tests); throws IllegalArgumentException otherwise. */
    public static IpPrefix of(String text) {
        Parsed p = parse(text);
        if (p instanceof Ok ok) {
            return ok.prefix();
        }
        throw new IllegalArgumentException("invalid prefix (" + ((Invalid) p).reason() + "): " + text);
    }

    public Family family() {
        return family;
    }

    public int length() {
        return length;
    }

    /** The high 64 of the 128 left-aligned address bits. */
    public long hi() {
        return hi;
    }

    /** The low 64 of the 128 left-aligned address bits (always 0 for IPv4). */
    public long lo() {
        return lo;
    }

    /** The IPv4 network address as an int; only meaningful for {@link Family#IPV4}. */
    public int v4Address() {
        return (int) (hi >>> 32);
    }

    /** Network-order address bytes (4 or 16), a fresh copy. */
    public byte[] address() {
        int n = family == Family.IPV4 ? 4 : 16;
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            long word = i < 8 ? hi : lo;
            b[i] = (byte) (word >>> (56 - 8 * (i & 7)));
        }
        return b;
    }

    /** Whether {@code other} is equal to or more specific than this prefix (same family). */
    public boolean contains(IpPrefix other) {
        return other.family == family && other.length >= length
                && (other.hi & maskHi(length)) == hi && (other.lo & maskLo(length)) == lo;
    }

    /** Whether this IPv4 prefix contains the address {@code a}. */
    public boolean containsV4(int a) {
        return family == Family.IPV4 && (((a & 0xffffffffL) << 32) & maskHi(length)) == hi;
    }

    /** Whether this IPv6 prefix contains the address (hi, lo). */
    public boolean containsV6(long addrHi, long addrLo) {
        return family == Family.IPV6 && (addrHi & maskHi(length)) == hi && (addrLo & maskLo(length)) == lo;
    }

    /** Mask of the high 64 bits for a prefix length 0..128. */
    static long maskHi(int length) {
        return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
    }

    /** Mask of the low 64 bits for a prefix length 0..128. */
    static long maskLo(int length) {
        return length <= 64 ? 0 : -1L << (128 - length);
    }

    private static void checkLength(Family family, int length) {
        if (length < 0 || length > family.bits()) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for " + family);
        }
    }

    @Override
    public int compareTo(IpPrefix o) {
        int c = family.compareTo(o.family);
        if (c == 0) {
            c = Long.compareUnsigned(hi, o.hi);
        }
        if (c == 0) {
            c = Long.compareUnsigned(lo, o.lo);
        }
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.family == family && p.hi == hi && p.lo == lo && p.length == length;
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, hi, lo, length);
    }

    /** @return the (network) address alone: dotted quad, or IPv6 in the RFC 5952 §4 form */
    public String addressText() {
        return family == Family.IPV4 ? IpText.formatV4(v4Address()) : IpText.formatV6(hi, lo);
    }

    @Override
    public String toString() {
        return addressText() + "/" + length;
    }
}
