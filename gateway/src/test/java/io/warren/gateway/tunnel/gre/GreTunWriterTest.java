package io.warren.gateway.tunnel.gre;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warren.tun.TunMode;
import io.warren.tun.VirtioNetHeader;
import io.warren.tun.offload.GsoSegmenter;
import io.warren.tun.testing.MemoryTunDevice;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The inbound TUN writer: verified TCP segments are merged until the burst ends; a segment whose
 * checksum does not verify is never merged (its merged checksum would be recomputed and the damage
 * hidden) and goes out alone for the kernel to drop; headers go into the headroom when there is some.
 */
class GreTunWriterTest {

    /** The segments of a TSO packet (valid checksums), each in a buffer with {@code headroom}. */
    private static ByteBuf[] segments(int count, int headroom) {
        byte[] sp = GreTunnelOffloadTest.superPacket(40000, count * 1000);
        ByteBuffer in = ByteBuffer.wrap(sp, VirtioNetHeader.SIZE, sp.length - VirtioNetHeader.SIZE).slice();
        ByteBuffer[] out = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            out[i] = ByteBuffer.allocate(1040);
        }
        assertEquals(count, GsoSegmenter.segment(in, VirtioNetHeader.GSO_TCPV4, 1000, out));
        ByteBuf[] bufs = new ByteBuf[count];
        for (int i = 0; i < count; i++) {
            bufs[i] = Unpooled.directBuffer(headroom + 1040);
            bufs[i].writerIndex(headroom).readerIndex(headroom);
            bufs[i].writeBytes(out[i].position(0));
        }
        return bufs;
    }

    @Test
    void verifiedSegmentsMergeAndACorruptOneGoesAlone() throws Exception {
        MemoryTunDevice tun = new MemoryTunDevice("t", TunMode.TUN, true, 1500, 100, false);
        GreTunWriter w = new GreTunWriter(tun, new GreCounters(), true);
        ByteBuf[] segs = segments(4, 24);
        segs[3].setByte(segs[3].writerIndex() - 1, segs[3].getByte(segs[3].writerIndex() - 1) ^ 1);
        for (int i = 0; i < 3; i++) {
            w.write(segs[i]);
        }
        assertNull(tun.pollWritten(), "held until the burst ends");
        w.write(segs[3]);
        byte[] merged = tun.pollWritten();
        assertNotNull(merged, "the corrupt segment flushes what was merged first");
        assertEquals(VirtioNetHeader.SIZE + 40 + 3000, merged.length);
        assertEquals(VirtioNetHeader.GSO_TCPV4, merged[1]);
        byte[] alone = tun.pollWritten();
        assertNotNull(alone);
        assertEquals(VirtioNetHeader.SIZE + 1040, alone.length);
        assertEquals(0, alone[0], "no DATA_VALID: the kernel checks (and drops) it");
        assertEquals(0, alone[1]);
        w.flush();
        assertNull(tun.pollWritten());
        for (ByteBuf b : segs) {
            b.release();
        }
    }

    @Test
    void headerGoesIntoTheHeadroomOrThroughACopy() throws Exception {
        for (int headroom : new int[] {0, 4, 10, 30}) {
            MemoryTunDevice tun = new MemoryTunDevice("t", TunMode.TUN, true, 1500, 100, false);
            GreTunWriter w = new GreTunWriter(tun, new GreCounters(), false);
            ByteBuf udp = TestPackets.ipv4(0x0a020009, 200, 64, true);
            ByteBuf b = Unpooled.directBuffer(headroom + 200);
            b.writerIndex(headroom).readerIndex(headroom);
            b.setBytes(0, new byte[headroom]);
            for (int i = 0; i < headroom; i++) {
                b.setByte(i, 0x5a);
            }
            b.writeBytes(udp, udp.readerIndex(), 200);
            byte[] want = new byte[VirtioNetHeader.SIZE + 200];
            udp.getBytes(udp.readerIndex(), want, VirtioNetHeader.SIZE, 200);
            w.write(b);
            assertArrayEquals(want, tun.takeWritten(Duration.ofSeconds(1)), "headroom " + headroom);
            udp.release();
            b.release();
        }
    }
}
