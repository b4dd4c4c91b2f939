package io.warren.gateway.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;

import org.junit.jupiter.api.Test;

/** The batch's shared reply memory: contents, sharing, rollover and who releases what. */
class ReplyArenaTest {
    /** Plain direct buffers (no pooling, no leak wrappers): a slice's {@code unwrap()} is its chunk. */
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(true, true);

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed + i * 7);
        }
        return b;
    }

    @Test
    void repliesOfABatchShareOneDirectChunkUntilTheyAreReleased() {
        ReplyArena arena = new ReplyArena(256);
        ByteBuf a = arena.copy(ALLOC, bytes(40, 1));
        ByteBuf b = arena.copy(ALLOC, bytes(60, 2));
        assertTrue(a.isDirect() && b.isDirect());
        assertArrayEquals(bytes(40, 1), ByteBufUtil.getBytes(a));
        assertArrayEquals(bytes(60, 2), ByteBufUtil.getBytes(b));
        ByteBuf chunk = a.unwrap();
        assertSame(chunk, b.unwrap());
        arena.endBatch();
        assertEquals(2, chunk.refCnt(), "the arena let go; each reply still holds the chunk");
        a.release();
        assertArrayEquals(bytes(60, 2), ByteBufUtil.getBytes(b), "a released reply does not disturb another");
        b.release();
        assertEquals(0, chunk.refCnt());
    }

    @Test
    void aFullChunkIsLeftToItsRepliesAndANewOneStarts() {
        ReplyArena arena = new ReplyArena(100);
        ByteBuf a = arena.copy(ALLOC, bytes(70, 3));
        ByteBuf b = arena.copy(ALLOC, bytes(40, 4)); // 70 + 40 > 100
        assertNotSame(a.unwrap(), b.unwrap());
        assertEquals(1, a.unwrap().refCnt(), "only the first reply holds the first chunk now");
        assertArrayEquals(bytes(70, 3), ByteBufUtil.getBytes(a));
        assertArrayEquals(bytes(40, 4), ByteBufUtil.getBytes(b));
        ByteBuf first = a.unwrap();
        a.release();
        assertEquals(0, first.refCnt());
        arena.endBatch();
        b.release();
        assertEquals(0, b.unwrap().refCnt());
    }

    @Test
    void aReplyLargerThanAChunkGetsAChunkOfItsOwnSize() {
        ReplyArena arena = new ReplyArena(64);
        ByteBuf big = arena.copy(ALLOC, bytes(1232, 5));
        assertArrayEquals(bytes(1232, 5), ByteBufUtil.getBytes(big));
        arena.endBatch();
        big.release();
        assertEquals(0, big.unwrap().refCnt());
    }

    @Test
    void endingABatchWithoutRepliesOrTwiceIsHarmless() {
        ReplyArena arena = new ReplyArena(64);
        arena.endBatch();
        ByteBuf a = arena.copy(ALLOC, bytes(10, 6));
        arena.endBatch();
        arena.endBatch();
        assertEquals(1, a.unwrap().refCnt());
        a.release();
        assertThrows(IllegalArgumentException.class, () -> new ReplyArena(0));
    }
}
