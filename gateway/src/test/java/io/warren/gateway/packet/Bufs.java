package io.warren.gateway.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Test buffers from the pooled direct allocator (as on the data path), all released by
 * {@link #close()}; tests create one per test and close it in {@code @AfterEach}.
 */
public final class Bufs implements AutoCloseable {

    /** The allocator handed to code under test. */
    public static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    private final List<ByteBuf> owned = new ArrayList<>();

    /** A direct buffer holding the bytes of {@code hex}, readerIndex at {@code headroom}. */
    public ByteBuf hex(String hex, int headroom) {
        byte[] bytes = ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
        return bytes(bytes, headroom);
    }

    /** {@link #hex(String, int)} without headroom. */
    public ByteBuf hex(String hex) {
        return hex(hex, 0);
    }

    /** A direct buffer holding {@code bytes}, readerIndex at {@code headroom}. */
    public ByteBuf bytes(byte[] bytes, int headroom) {
        ByteBuf buf = own(ALLOC.directBuffer(headroom + bytes.length));
        buf.writerIndex(headroom);
        buf.readerIndex(headroom);
        buf.writeBytes(bytes);
        return buf;
    }

    /** An empty buffer to write into. */
    public ByteBuf empty() {
        return own(ALLOC.directBuffer(64));
    }

    /** Registers a buffer produced by code under test for release. */
    public ByteBuf own(ByteBuf buf) {
        owned.add(buf);
        return buf;
    }

    /** The readable bytes as lower-case hex, indices unchanged. */
    public static String hexOf(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }

    /** The bytes of a hex string. */
    public static byte[] decode(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
    }

    @Override
    public void close() {
        for (ByteBuf buf : owned) {
            if (buf.refCnt() > 0) {
                buf.release(buf.refCnt());
            }
        }
        owned.clear();
    }
}
