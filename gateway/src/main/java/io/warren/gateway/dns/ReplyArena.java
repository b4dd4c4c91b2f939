package io.warren.gateway.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Direct memory for the UDP replies of one receive batch: each reply is copied into a shared chunk
 * and leaves as a slice of it, so a batch costs one buffer allocation instead of one per reply (the
 * epoll channel would otherwise copy every heap reply into a direct buffer of its own before
 * {@code sendmmsg}). {@link #endBatch()} gives up the arena's hold on the chunk; the slices keep it
 * alive until the channel has sent and released them.
 *
 * <p>Confined to the event loop of the channel it serves.
 */
final class ReplyArena {
    /** Default chunk: room for the usual batch of 16 replies of up to 256 bytes. */
    static final int DEFAULT_CHUNK = 4096;

    private final int chunkSize;
    private ByteBuf chunk;

    ReplyArena(int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " < 1");
        }
        this.chunkSize = chunkSize;
    }

    /** @return a direct buffer holding {@code wire}, which the caller owns (one reference) */
    ByteBuf copy(ByteBufAllocator alloc, byte[] wire) {
        if (chunk == null || chunk.maxWritableBytes() < wire.length) {
            endBatch();
            chunk = alloc.directBuffer(Math.max(chunkSize, wire.length), Math.max(chunkSize, wire.length));
        }
        int at = chunk.writerIndex();
        chunk.writeBytes(wire);
        return chunk.retainedSlice(at, wire.length);
    }

    /** Ends the batch: later replies go into a new chunk. */
    void endBatch() {
        if (chunk != null) {
            chunk.release();
            chunk = null;
        }
    }
}
