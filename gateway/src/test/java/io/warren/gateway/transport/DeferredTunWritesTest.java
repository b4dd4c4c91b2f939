package io.warren.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packets of one receive batch, written after the lock in order, with their own bounds. */
class DeferredTunWritesTest {
    @Test
    void packetsOfOneMovingBufferComeBackWithTheirOwnBoundsInOrder() {
        DeferredTunWrites w = new DeferredTunWrites(4);
        ByteBuffer run = ByteBuffer.allocate(300);
        assertTrue(w.add(run.limit(100).position(10), null));
        assertTrue(w.add(run.limit(200).position(110), null));
        assertTrue(w.add(run.limit(300).position(250), null)); // position past the first limit
        List<String> seen = new ArrayList<>();
        w.drain((p, peer) -> seen.add(p.position() + "-" + p.limit()));
        assertEquals(List.of("10-100", "110-200", "250-300"), seen);
        assertTrue(w.isEmpty());
    }

    @Test
    void aFullBatchRefusesAndKeepsNothingMore() {
        DeferredTunWrites w = new DeferredTunWrites(2);
        ByteBuffer b = ByteBuffer.allocate(10);
        assertTrue(w.add(b, null));
        assertTrue(w.add(b, null));
        assertTrue(w.isFull());
        assertFalse(w.add(b, null));
        int[] n = {0};
        w.drain((p, peer) -> n[0]++);
        assertEquals(2, n[0]);
    }

    @Test
    void aFailingWriteForgetsTheRest() {
        DeferredTunWrites w = new DeferredTunWrites(3);
        ByteBuffer b = ByteBuffer.allocate(10);
        w.add(b, null);
        w.add(b, null);
        assertThrows(IllegalStateException.class, () -> w.drain((p, peer) -> {
            throw new IllegalStateException("a write that fails");
        }));
        assertTrue(w.isEmpty());
    }
}
