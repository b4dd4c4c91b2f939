package io.warren.gateway.packet;

import io.netty.buffer.ByteBuf;

/**
 * The Internet checksum: the 16-bit one's complement of the one's complement sum of 16-bit words
 * (RFC 1071 §1), and its incremental update (RFC 1624 §3, equation 3).
 *
 * <p>{@link #sum} returns a partial, not yet complemented sum so that a pseudo-header and several
 * regions can be added together; {@link #finish} folds and complements it. A buffer region of odd
 * length is padded with a zero byte at the end (RFC 1071 §4.1).
 */
public final class InetChecksum {

    private InetChecksum() {
    }

    /**
     * Adds {@code length} bytes of {@code buf} from absolute {@code index} to {@code initial}.
     * The region must start at an even offset of the checksummed message.
     *
     * @return an unfolded 32-bit-or-wider partial sum, to pass to {@link #finish} or back in here
     */
    public static long sum(ByteBuf buf, int index, int length, long initial) {
        long acc = initial;
        int i = index;
        int end = index + length;
        while (end - i >= 4) {
            acc += buf.getUnsignedInt(i);
            i += 4;
        }
        if (end - i >= 2) {
            acc += buf.getUnsignedShort(i);
            i += 2;
        }
        if (i < end) {
            acc += (buf.getUnsignedByte(i) << 8);
        }
        return acc;
    }

    /** Adds a 32-bit value (e.g. an IPv4 address) to a partial sum. */
    public static long add32(long acc, int value) {
        return acc + (value & 0xFFFFFFFFL);
    }

    /** Folds a partial sum to 16 bits without complementing it (RFC 1071 §4.1 "fold"). */
    public static int fold(long acc) {
        long s = acc;
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    /** Folds and complements a partial sum: the value to store in a checksum field. */
    public static int finish(long acc) {
        return ~fold(acc) & 0xFFFF;
    }

    /** Computes the checksum of a region whose checksum field is zero (or verifies: 0 = valid). */
    public static int compute(ByteBuf buf, int index, int length) {
        return finish(sum(buf, index, length, 0));
    }

    /**
     * RFC 1624 §3 equation 3: {@code HC' = ~(~HC + ~m + m')} for a 16-bit word changing from
     * {@code oldWord} to {@code newWord}.
     *
     * @param checksum the checksum field as stored before the change
     * @return the checksum field to store after the change
     */
    public static int update16(int checksum, int oldWord, int newWord) {
        long acc = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return finish(acc);
    }

    /** {@link #update16} for a 32-bit field, as two 16-bit words. */
    public static int update32(int checksum, int oldValue, int newValue) {
        int c = update16(checksum, oldValue >>> 16, newValue >>> 16);
        return update16(c, oldValue & 0xFFFF, newValue & 0xFFFF);
    }
}
