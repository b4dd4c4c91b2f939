package io.warren.gateway.l2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shared VXLAN / L2TPv3 UDP port on loopback: every datagram an underlay can carry reaches its
 * receiver whole, jumbo frames included (an underlay MTU of 9000 gives a TAP MTU of 8950, and
 * RFC 7348 §4.3 forbids fragmenting them); unknown keys are counted, never thrown.
 */
class L2SharedUdpPortTest {

    private static byte[] vxlan(int vni, int frameLength) {
        ByteBuffer b = ByteBuffer.allocate(8 + frameLength);
        b.putInt(0x08000000).putInt(vni << 8);
        for (int i = 0; i < frameLength; i++) {
            b.put((byte) (i * 7 + 1));
        }
        return b.array();
    }

    @Test
    void jumboAndLargestDatagramsArriveWhole() throws Exception {
        SharedUdpPort port = SharedUdpPort.open(SharedUdpPort.Kind.VXLAN,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        BlockingQueue<Integer> lengths = new ArrayBlockingQueue<>(16);
        try (DatagramSocket out = new DatagramSocket()) {
            port.register(4242, (ByteBuf d, InetSocketAddress from) -> lengths.add(d.readableBytes()));
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port.port());
            int[] frames = {60, 1514, 2100, 9000 + 14, 65_507 - 8};
            for (int f : frames) {
                byte[] d = vxlan(4242, f);
                out.send(new DatagramPacket(d, d.length, to));
                Integer got = lengths.poll(5, TimeUnit.SECONDS);
                assertEquals(Integer.valueOf(8 + f), got, "frame of " + f + " bytes");
            }
            byte[] stray = vxlan(7, 100);
            out.send(new DatagramPacket(stray, stray.length, to));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (port.unknownKey() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, port.unknownKey());
            assertEquals(0, port.truncated());
            assertTrue(lengths.isEmpty());
        } finally {
            port.close();
        }
    }
}
