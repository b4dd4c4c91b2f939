package io.warren.gateway.dns;

import java.util.Arrays;

import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * What a cached answer answers: the question (name compared case-insensitively, RFC 4343; type;
 * class) and whether DNSSEC records were asked for (DO). Held as the question's uncompressed wire
 * form with ASCII letters lowered plus one DO byte, hashed once: the cache-hit path compares bytes
 * instead of walking dnsjava {@link Name} labels.
 */
final class CacheKey {
    private final byte[] key;
    private final int hash;

    private CacheKey(byte[] key) {
        this.key = key;
        this.hash = Arrays.hashCode(key);
    }

    /** @param questionWire an uncompressed question: name, type, class */
    static CacheKey of(byte[] questionWire, boolean dnssecOk) {
        return of(questionWire, 0, questionWire.length, dnssecOk);
    }

    /** The question at {@code packet[from..to)}, uncompressed: name, type, class. */
    static CacheKey of(byte[] packet, int from, int to, boolean dnssecOk) {
        int length = to - from;
        byte[] k = new byte[length + 1];
        for (int i = 0; i < length - 4; i++) {
            byte b = packet[from + i];
            // Label length bytes are < 64, never in 'A'..'Z'.
            k[i] = b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
        }
        System.arraycopy(packet, to - 4, k, length - 4, 4);
        k[length] = (byte) (dnssecOk ? 1 : 0);
        return new CacheKey(k);
    }

    static CacheKey of(Name name, int type, int dclass, boolean dnssecOk) {
        return of(Record.newRecord(name, type, dclass).toWire(Section.QUESTION), dnssecOk);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheKey other && other.hash == hash && Arrays.equals(other.key, key);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
