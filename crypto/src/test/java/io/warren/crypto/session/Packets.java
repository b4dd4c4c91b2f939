package io.warren.crypto.session;

import java.nio.ByteBuffer;

/** Inner IP packet fixtures with a non-zero value in every header field. */
final class Packets {
    private Packets() {}

    static final int HEADROOM = Constants.MESSAGE_DATA_HEADER_LENGTH;
    static final int TAILROOM = 64;

    /** An IPv4 packet of {@code totalLength} bytes from 10.7.0.{srcHost} to 10.7.0.1, payload tagged by {@code id}. */
    static ByteBuffer ipv4(int totalLength, int srcHost, int id) {
        ByteBuffer b = ByteBuffer.allocateDirect(HEADROOM + totalLength + TAILROOM);
        b.position(HEADROOM);
        b.put((byte) 0x45).put((byte) 0x10).putShort((short) totalLength).putShort((short) id)
                .putShort((short) 0x4001).put((byte) 64).put((byte) 17).putShort((short) 0xbeef)
                .put(new byte[] {10, 7, 0, (byte) srcHost}).put(new byte[] {10, 7, 0, 1});
        for (int i = 20; i < totalLength; i++) {
            b.put((byte) (id + i));
        }
        return b.limit(b.position()).position(HEADROOM);
    }

    /** An IPv6 packet with {@code payloadLength} payload bytes from fd00::{srcHost}. */
    static ByteBuffer ipv6(int payloadLength, int srcHost) {
        ByteBuffer b = ByteBuffer.allocateDirect(HEADROOM + 40 + payloadLength + TAILROOM);
        b.position(HEADROOM);
        b.putInt(0x6_12_34567).putShort((short) payloadLength).put((byte) 17).put((byte) 63);
        byte[] src = new byte[16];
        src[0] = (byte) 0xfd;
        src[15] = (byte) srcHost;
        byte[] dst = src.clone();
        dst[15] = 1;
        b.put(src).put(dst);
        for (int i = 0; i < payloadLength; i++) {
            b.put((byte) (i + 1));
        }
        return b.limit(b.position()).position(HEADROOM);
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** A copy into a fresh heap buffer (what a UDP receive would hand the peer). */
    static ByteBuffer copy(ByteBuffer b) {
        return ByteBuffer.wrap(bytes(b));
    }
}
