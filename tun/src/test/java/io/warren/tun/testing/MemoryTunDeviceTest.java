package io.warren.tun.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.tun.TunDrop;
import io.warren.tun.TunMode;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryTunDeviceTest {
    private static final byte[] PACKET = {0x45, 0x01, 0x02, 0x03, 0x04, 0x05};

    @Test
    void readPlacesOnePacketAfterTheCallersHeadroom() throws Exception {
        MemoryTunDevice dev = new MemoryTunDevice("mt0");
        assertTrue(dev.inject(PACKET));
        assertTrue(dev.inject(new byte[] {0x60, 0x07}));
        ByteBuffer dst = ByteBuffer.allocate(64);
        dst.position(16);
        assertEquals(PACKET.length, dev.read(dst));
        assertEquals(16 + PACKET.length, dst.position());
        byte[] got = new byte[PACKET.length];
        dst.get(16, got);
        assertArrayEquals(PACKET, got);
        assertEquals(1, dev.pendingReads());
    }

    @Test
    void writesAreCollected() throws Exception {
        MemoryTunDevice dev = new MemoryTunDevice("mt0");
        ByteBuffer src = ByteBuffer.wrap(new byte[] {9, 9, 0x45, 0x11, 0x22});
        src.position(2);
        dev.write(src);
        assertEquals(5, src.position());
        assertArrayEquals(new byte[] {0x45, 0x11, 0x22}, dev.takeWritten(Duration.ofSeconds(1)));
        assertNull(dev.pollWritten());
    }

    @Test
    void nonBlockingReadReturnsZeroWhenEmpty() throws Exception {
        MemoryTunDevice dev = new MemoryTunDevice("mt1", TunMode.TAP, true, 9000, 4, true);
        assertEquals(0, dev.read(ByteBuffer.allocate(100)));
        assertEquals(TunMode.TAP, dev.mode());
        assertTrue(dev.vnetHdr());
        assertEquals(9000, dev.mtu());
    }

    @Test
    void fullQueuesDropAndCount() {
        MemoryTunDevice dev = new MemoryTunDevice("mt2", TunMode.TUN, false, 1420, 2, true);
        assertTrue(dev.inject(PACKET));
        assertTrue(dev.inject(PACKET));
        assertFalse(dev.inject(PACKET));
        assertEquals(1, dev.dropped(TunDrop.QUEUE_FULL));
    }

    @Test
    void oversizedPacketIsDroppedAndTheNextOneRead() throws Exception {
        MemoryTunDevice dev = new MemoryTunDevice("mt3");
        dev.inject(new byte[100]);
        dev.inject(PACKET);
        ByteBuffer dst = ByteBuffer.allocate(10);
        assertEquals(PACKET.length, dev.read(dst));
        assertEquals(1, dev.dropped(TunDrop.READ_TRUNCATED));
    }

    @Test
    void readBatchTakesWhatIsQueuedUpToTheArraySize() throws Exception {
        MemoryTunDevice dev = new MemoryTunDevice("mt4");
        for (int i = 0; i < 5; i++) {
            dev.inject(new byte[] {(byte) (i + 1), 0x33});
        }
        ByteBuffer[] bufs = {ByteBuffer.allocate(8), ByteBuffer.allocate(8), ByteBuffer.allocate(8)};
        assertEquals(3, dev.readBatch(bufs));
        assertEquals(3, bufs[2].get(0));
        ByteBuffer[] more = {ByteBuffer.allocate(8), ByteBuffer.allocate(8), ByteBuffer.allocate(8)};
        assertEquals(2, dev.readBatch(more));
        assertEquals(0, more[2].position());
    }

    @Test
    void closeWakesABlockedReader() throws Exception {
        MemoryTunDevice dev = new MemoryTunDevice("mt5");
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return dev.read(ByteBuffer.allocate(100));
            } catch (ClosedChannelException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        // The reader may or may not have started waiting; either way close must end it.
        dev.close();
        dev.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> reader.get(5, TimeUnit.SECONDS));
        assertInstanceOf(ClosedChannelException.class, e.getCause());
        assertThrows(ClosedChannelException.class, () -> dev.write(ByteBuffer.wrap(PACKET)));
        assertFalse(dev.inject(PACKET));
    }

    @Test
    void blockedReaderGetsAsynchronousCloseException() throws Exception {
        MemoryTunDevice dev = new MemoryTunDevice("mt6");
        Thread[] reader = new Thread[1];
        Throwable[] thrown = new Throwable[1];
        reader[0] = new Thread(() -> {
            try {
                dev.read(ByteBuffer.allocate(100));
            } catch (ClosedChannelException e) {
                thrown[0] = e;
            }
        });
        reader[0].start();
        while (reader[0].getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        dev.close();
        reader[0].join(5000);
        assertInstanceOf(AsynchronousCloseException.class, thrown[0]);
    }

    @Test
    void pairCrossesWritesToTheOtherSide() throws Exception {
        MemoryTunDevice[] pair = MemoryTunDevice.pair("a0", "b0");
        pair[0].write(ByteBuffer.wrap(PACKET));
        ByteBuffer dst = ByteBuffer.allocateDirect(32);
        assertEquals(PACKET.length, pair[1].read(dst));
        pair[1].write(ByteBuffer.wrap(new byte[] {0x60, 0x42}));
        assertEquals(2, pair[0].read(ByteBuffer.allocate(8)));
    }
}
