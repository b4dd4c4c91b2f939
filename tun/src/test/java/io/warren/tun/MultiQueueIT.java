package io.warren.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.testlab.NetLab;
import io.warren.testlab.Netns;
import io.warren.testlab.Wait;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 2-queue TUN ({@code IFF_MULTI_QUEUE}): the kernel spreads flows over the queues by flow hash,
 * so 64 UDP flows (distinct source ports) must reach both queues, each read by its own thread, and
 * every datagram must be read exactly once.
 */
class MultiQueueIT {
    @RegisterExtension
    static final NetLab lab = NetLab.create();

    private static final int FLOWS = 64;
    private static final int PER_FLOW = 5;

    @Test
    void flowsAreSpreadOverBothQueues() throws Exception {
        lab.requireRoot();
        lab.requireTools("ip");
        Netns ns = lab.netns("mq");
        ns.sysctl("net.ipv6.conf.all.disable_ipv6", "1");
        MultiQueueTun mq = ns.call(() -> LinuxTun.openMultiQueue(
                TunOptions.builder().name("wq%d").multiQueue(2).build()));
        List<ResponderLoop> readers = new ArrayList<>();
        try {
            assertEquals(2, mq.queues().size());
            for (TunDevice queue : mq.queues()) {
                assertEquals(mq.name(), queue.name());
                readers.add(new ResponderLoop(queue, packet -> false));
            }
            ns.addr(mq.name(), "10.9.6.1/24");
            ns.up(mq.name());
            assertEquals(1500, mq.mtu());
            ns.run(() -> {
                for (int flow = 0; flow < FLOWS; flow++) {
                    try (DatagramChannel ch = DatagramChannel.open()) {
                        ch.bind(new InetSocketAddress("10.9.6.1", 0)); // a new source port per flow
                        for (int i = 0; i < PER_FLOW; i++) {
                            ch.send(ByteBuffer.wrap(new byte[] {1, 2, 3, (byte) i}),
                                    new InetSocketAddress("10.9.6.2", 4000));
                        }
                    }
                }
            });
            Wait.until(Duration.ofSeconds(10), FLOWS * PER_FLOW + " datagrams read",
                    () -> readers.get(0).read() + readers.get(1).read() >= FLOWS * PER_FLOW);
            int q0 = readers.get(0).read();
            int q1 = readers.get(1).read();
            assertEquals(FLOWS * PER_FLOW, q0 + q1, "queue 0 read " + q0 + ", queue 1 read " + q1);
            assertTrue(q0 > 0 && q1 > 0, "both queues must read: queue 0 " + q0 + ", queue 1 " + q1);
        } finally {
            mq.close();
            for (ResponderLoop reader : readers) {
                reader.close();
                assertNull(reader.failure());
            }
        }
    }
}
