package io.warren.gateway.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.util.ResourceLeakDetector;
import io.warren.gateway.testing.AllocationMeter;
import org.junit.jupiter.api.Test;

/** {@link MssClamp} is on the data path: clamping allocates nothing, whichever word alignment. */
class MssClampAllocationTest {

    @Test
    void clampingAllocatesNothing() {
        ResourceLeakDetector.Level level = AllocationMeter.quietLeakDetection();
        byte[][] templates = {Bufs.decode(Fixtures.V4_SYN_ODD), Bufs.decode(Fixtures.V6_SYN)};
        ByteBuf packet = Bufs.ALLOC.directBuffer(128);
        try {
            AllocationMeter meter = new AllocationMeter();
            for (int round = 0; round < 2; round++) {
                meter.reset();
                for (int i = 0; i < 20_000; i++) {
                    byte[] template = templates[i & 1];
                    packet.clear().writeBytes(template);
                    meter.start();
                    MssClamp.Outcome outcome = MssClamp.clamp(packet, 1000);
                    meter.stop();
                    assertEquals(MssClamp.Outcome.CLAMPED, outcome);
                }
            }
            assertTrue(meter.perPacket() < 1, meter.perPacket() + " B allocated per clamp");
        } finally {
            packet.release();
            ResourceLeakDetector.setLevel(level);
        }
    }
}
