package io.warren.gateway.nat;

import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;

/**
 * A 96-bit STUN transaction id (RFC 8489 §5), held as two numbers so that it compares by value.
 *
 * @param high the first 4 bytes
 * @param low  the last 8 bytes
 */
public record TransactionId(int high, long low) {

    /** A fresh id; §5 asks for one uniformly random, so pass a cryptographic generator. */
    public static TransactionId random(RandomGenerator random) {
        return new TransactionId(random.nextInt(), random.nextLong());
    }

    /** Reads 12 bytes at {@code offset} (absolute; position unchanged). */
    static TransactionId read(ByteBuffer b, int offset) {
        return new TransactionId(b.getInt(offset), b.getLong(offset + 4));
    }

    void write(ByteBuffer b) {
        b.putInt(high).putLong(low);
    }

    @Override
    public String toString() {
        return String.format("%08x%016x", high, low);
    }
}
