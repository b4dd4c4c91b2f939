package io.warren.routing;

import java.nio.ByteBuffer;

/**
 * A 48-bit IEEE 802 MAC address (IEEE 802-2014 §8.2) as a value; the data path uses the bare
 * {@code long} form ({@link #read}) so that nothing is allocated per frame.
 *
 * <p>Text form: six two-digit hex octets separated by ':' or '-' ("02:00:5e:10:00:01"); formatting
 * is lower case with ':'.
 */
public record Mac(long bits) {

    /** Mask of the 48 address bits. */
    public static final long MASK = 0xffff_ffff_ffffL;
    /** The I/G (individual/group) bit: least significant bit of the first octet. */
    public static final long GROUP_BIT = 1L << 40;
    /** ff:ff:ff:ff:ff:ff. */
    public static final long BROADCAST = MASK;

    /** Why a MAC text was rejected. */
    public enum Reason {
        EMPTY,
        MALFORMED
    }

    /** Result of {@link #parse}. */
    public sealed interface Parsed permits Ok, Invalid {
    }

    public record Ok(Mac mac) implements Parsed {
    }

    public record Invalid(Reason reason) implements Parsed {
    }

    public Mac {
        if ((bits & ~MASK) != 0) {
            throw new IllegalArgumentException("not a 48-bit MAC: 0x" + Long.toHexString(bits));
        }
    }

    /** Parses "aa:bb:cc:dd:ee:ff" or "aa-bb-cc-dd-ee-ff". Never throws. */
    public static Parsed parse(CharSequence text) {
        if (text == null || text.length() == 0) {
            return new Invalid(Reason.EMPTY);
        }
        if (text.length() != 17) {
            return new Invalid(Reason.MALFORMED);
        }
        char sep = text.charAt(2);
        if (sep != ':' && sep != '-') {
            return new Invalid(Reason.MALFORMED);
        }
        long v = 0;
        for (int i = 0; i < 6; i++) {
            int at = 3 * i;
            int h = Character.digit(text.charAt(at), 16);
            int l = Character.digit(text.charAt(at + 1), 16);
            if (h < 0 || l < 0 || (i < 5 && text.charAt(at + 2) != sep)) {
                return new Invalid(Reason.MALFORMED);
            }
            v = v << 8 | h << 4 | l;
        }
        return new Ok(new Mac(v));
    }

    /** Parses a MAC known to be valid (constants, tests); throws IllegalArgumentException otherwise. */
    public static Mac of(String text) {
        if (parse(text) instanceof Ok ok) {
            return ok.mac();
        }
        throw new IllegalArgumentException("invalid MAC: " + text);
    }

    /** The 6 octets at {@code offset} of {@code buf} as a long (absolute read; any byte order). */
    public static long read(ByteBuffer buf, int offset) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = v << 8 | (buf.get(offset + i) & 0xff);
        }
        return v;
    }

    /** Whether {@code mac} is a group (multicast or broadcast) address. */
    public static boolean isGroup(long mac) {
        return (mac & GROUP_BIT) != 0;
    }

    /** Lower-case colon form of a 48-bit value. */
    public static String format(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int o = (int) (mac >>> (8 * i)) & 0xff;
            sb.append(Character.forDigit(o >>> 4, 16)).append(Character.forDigit(o & 0xf, 16));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    public boolean isGroup() {
        return isGroup(bits);
    }

    @Override
    public String toString() {
        return format(bits);
    }
}
