package io.warren.gateway.uapi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into {@code \n}-terminated lines of bounded length. Bytes are kept as
 * ISO-8859-1 characters (one char per byte), so nothing can fail to decode: non-ASCII simply fails
 * the later validation. Single-threaded; the internal buffer is wiped after each line because lines
 * carry keys.
 */
final class UapiLineBuffer {

    /** What {@link #offer} found. */
    enum Status {
        /** A whole line is ready in {@link #takeLine()}. */
        LINE,
        /** All input was consumed without a line end. */
        NEED_MORE,
        /** The current line exceeds the limit; the stream cannot be resynchronised. */
        TOO_LONG
    }

    private final int maxLineBytes;
    private byte[] buffer = new byte[256];
    private int length;
    private String ready;

    /** @param maxLineBytes the longest line accepted, without its {@code \n} */
    UapiLineBuffer(int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive");
        }
        this.maxLineBytes = maxLineBytes;
    }

    /** Consumes bytes from {@code in} up to and including the next {@code \n}, or all of them. */
    Status offer(ByteBuffer in) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                ready = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
                Arrays.fill(buffer, 0, length, (byte) 0);
                length = 0;
                return Status.LINE;
            }
            if (length == maxLineBytes) {
                return Status.TOO_LONG;
            }
            if (length == buffer.length) {
                byte[] bigger = Arrays.copyOf(buffer, Math.min(maxLineBytes, buffer.length * 2));
                Arrays.fill(buffer, (byte) 0);
                buffer = bigger;
            }
            buffer[length++] = b;
        }
        return Status.NEED_MORE;
    }

    /** The line found by the last {@link #offer} that returned {@link Status#LINE}, without {@code \n}. */
    String takeLine() {
        String line = ready;
        ready = null;
        return line;
    }

    /** Whether a partial line is buffered. */
    boolean hasPartialLine() {
        return length > 0;
    }

    /** Drops any partial line and wipes the buffer. */
    void clear() {
        Arrays.fill(buffer, (byte) 0);
        length = 0;
        ready = null;
    }
}
