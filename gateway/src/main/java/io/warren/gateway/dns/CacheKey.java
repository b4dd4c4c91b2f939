package io.warren.gateway.dns;

import java.util.Arrays;

import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * What a cached answer answers: the question (name compared case-insensitively, RFC 4343; type;
 * class), whether DNSSEC records were asked for (DO) and whether validation was turned off (CD: an
 * answer fetched with CD=1 was not validated upstream, so it must not reach a client that wants
 * validation, RFC 4035 §3.2.2, §4.7). Held as the question's uncompressed wire form with ASCII
 * letters lowered plus one byte of DO and CD bits, hashed once: the cache-hit path compares bytes
 * instead of walking dnsjava {@link Name} labels. A {@link #probe()} is the one mutable kind: the
 * cache-hit path refills it for every query instead of allocating a key.
 */
final class CacheKey {
    /** Longest key: a name of 255 bytes, type, class and the DO/CD byte. */
    static final int MAX_LENGTH = 255 + 4 + 1;

    private final byte[] key;
    private int length;
    private int hash;

    private CacheKey(byte[] key, int length) {
        this.key = key;
        this.length = length;
        this.hash = hash(key, length);
    }

    /**
     * A reusable key for look-ups that allocate nothing: {@link #set} overwrites it in place. Never
     * store a probe in a map (it changes).
     */
    static CacheKey probe() {
        return new CacheKey(new byte[MAX_LENGTH], 0);
    }

    /** @param questionWire an uncompressed question: name, type, class */
    static CacheKey of(byte[] questionWire, boolean dnssecOk, boolean checkingDisabled) {
        return of(questionWire, 0, questionWire.length, dnssecOk, checkingDisabled);
    }

    /** The question at {@code packet[from..to)}, uncompressed: name, type, class. */
    static CacheKey of(byte[] packet, int from, int to, boolean dnssecOk, boolean checkingDisabled) {
        byte[] k = new byte[to - from + 1];
        fill(k, packet, from, to, dnssecOk, checkingDisabled);
        return new CacheKey(k, k.length);
    }

    /**
     * Makes this probe the key of the question at {@code packet[from..to)}; equal to (and hashed
     * as) {@link #of(byte[], int, int, boolean, boolean)} of the same question.
     *
     * @return false (the probe unchanged) when the question is longer than any key
     */
    boolean set(byte[] packet, int from, int to, boolean dnssecOk, boolean checkingDisabled) {
        int n = to - from + 1;
        if (n > key.length || n < 5) {
            return false;
        }
        fill(key, packet, from, to, dnssecOk, checkingDisabled);
        length = n;
        hash = hash(key, n);
        return true;
    }

    private static void fill(byte[] k, byte[] packet, int from, int to, boolean dnssecOk,
            boolean checkingDisabled) {
        int length = to - from;
        for (int i = 0; i < length - 4; i++) {
            byte b = packet[from + i];
            // Label length bytes are < 64, never in 'A'..'Z'.
            k[i] = b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
        }
        System.arraycopy(packet, to - 4, k, length - 4, 4);
        k[length] = (byte) ((dnssecOk ? 1 : 0) | (checkingDisabled ? 2 : 0));
    }

    /** {@link Arrays#hashCode(byte[])} of {@code k[0, n)}. */
    private static int hash(byte[] k, int n) {
        int h = 1;
        for (int i = 0; i < n; i++) {
            h = 31 * h + k[i];
        }
        return h;
    }

    static CacheKey of(Name name, int type, int dclass, boolean dnssecOk) {
        return of(Record.newRecord(name, type, dclass).toWire(Section.QUESTION), dnssecOk, false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheKey other && other.hash == hash
                && Arrays.equals(other.key, 0, other.length, key, 0, length);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
