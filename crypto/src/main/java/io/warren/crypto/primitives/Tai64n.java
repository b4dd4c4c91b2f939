package io.warren.crypto.primitives;

import java.util.Arrays;

/**
 * A 12-byte TAI64N timestamp (whitepaper §5.1, §5.4.2): 8 bytes big-endian {@code 2^62 + 10 + seconds}
 * since the Unix epoch, then 4 bytes big-endian nanoseconds. As in the Linux kernel and wireguard-go,
 * the low 24 bits of the nanoseconds are cleared (about 16.8 ms resolution, below
 * {@code 1 s / INITIATIONS_PER_SECOND}) so a timestamp does not leak a precise clock. Immutable;
 * ordered by byte value, which is the TAI64N order.
 */
public final class Tai64n implements Comparable<Tai64n> {
    /** Encoded length, bytes. */
    public static final int LEN = 12;
    /** The all-zero timestamp, older than every real one. */
    public static final Tai64n ZERO = new Tai64n(new byte[LEN]);

    private static final long BASE = 0x400000000000000aL;
    private static final int WHITENER_MASK = 0x1000000 - 1;

    private final byte[] bytes;

    private Tai64n(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The timestamp for a wall-clock instant given as nanoseconds since the Unix epoch. */
    public static Tai64n fromEpochNanos(long epochNanos) {
        long secs = Math.floorDiv(epochNanos, 1_000_000_000L);
        int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L) & ~WHITENER_MASK;
        byte[] b = new byte[LEN];
        long s = BASE + secs;
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (s >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            b[8 + i] = (byte) (nanos >>> (24 - 8 * i));
        }
        return new Tai64n(b);
    }

    /** Wraps 12 bytes read from the wire (copied). */
    public static Tai64n fromBytes(byte[] b) {
        if (b.length != LEN) {
            throw new IllegalArgumentException("TAI64N is 12 bytes, got " + b.length);
        }
        return new Tai64n(b.clone());
    }

    /** The 12 encoded bytes (a copy). */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** True when this timestamp is strictly later than {@code other}. */
    public boolean isAfter(Tai64n other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(Tai64n o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tai64n t && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tai64n[");
        for (byte x : bytes) {
            sb.append(String.format("%02x", x));
        }
        return sb.append(']').toString();
    }
}
