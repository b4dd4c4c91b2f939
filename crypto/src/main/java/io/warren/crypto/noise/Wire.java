package io.warren.crypto.noise;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian field access shared by the message codecs (all WireGuard integers are little-endian). */
final class Wire {
    private Wire() {
    }

    /** Checks type, reserved bytes and size of {@code [position, limit)}; null when acceptable. */
    static ParseDrop check(ByteBuffer buf, int type, int size, boolean exact) {
        int len = buf.remaining();
        if (len < 4) {
            return ParseDrop.TRUNCATED;
        }
        int p = buf.position();
        int t = buf.get(p) & 0xff;
        if (t < WireGuard.MESSAGE_INITIATION || t > WireGuard.MESSAGE_TRANSPORT) {
            return ParseDrop.UNKNOWN_TYPE;
        }
        if (t != type) {
            return ParseDrop.WRONG_TYPE;
        }
        if ((buf.get(p + 1) | buf.get(p + 2) | buf.get(p + 3)) != 0) {
            return ParseDrop.RESERVED_NONZERO;
        }
        if (len < size) {
            return ParseDrop.TRUNCATED;
        }
        if (exact && len > size) {
            return ParseDrop.WRONG_SIZE;
        }
        return null;
    }

    static int getIntLE(ByteBuffer buf, int index) {
        return buf.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(index);
    }

    static long getLongLE(ByteBuffer buf, int index) {
        return buf.duplicate().order(ByteOrder.LITTLE_ENDIAN).getLong(index);
    }

    static byte[] bytes(ByteBuffer buf, int index, int len) {
        byte[] b = new byte[len];
        buf.get(index, b);
        return b;
    }

    static void putIntLE(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    static void putLongLE(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    static byte[] requireLen(byte[] b, int len, String field) {
        if (b.length != len) {
            throw new IllegalArgumentException(field + " must be " + len + " bytes, got " + b.length);
        }
        return b.clone();
    }
}
