package io.warren.gateway.tunnel.gre;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.warren.routing.RouteTable;
import io.warren.testlab.Wait;
import io.warren.tun.testing.MemoryTunDevice;
import java.net.InetAddress;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Two whole tunnel shells wired through in-memory TUN devices and an in-memory underlay pair (no
 * kernel): packets injected into one TUN come out of the other; an oversized DF packet is
 * answered into the sending TUN; garbage on the underlay is counted and traffic continues.
 */
class GreTunnelMemoryTest {

    /** One side of an in-memory underlay: sends copy into the peer's receiver. */
    static final class MemoryUnderlay implements GreUnderlay {
        final AtomicReference<Receiver> receiver = new AtomicReference<>();
        MemoryUnderlay peer;

        @Override
        public void start(Receiver r) {
            receiver.set(r);
        }

        @Override
        public synchronized void send(ByteBuf gre) {
            ByteBuf copy = Unpooled.copiedBuffer(gre);
            try {
                peer.deliver(copy);
            } finally {
                copy.release();
            }
        }

        void deliver(ByteBuf b) {
            Receiver r = receiver.get();
            if (r != null) {
                synchronized (this) {
                    r.received(b);
                }
            }
        }

        @Override
        public void close() {
            receiver.set(null);
        }
    }

    private static GreTunnel tunnel(String name, MemoryTunDevice tun, MemoryUnderlay ul, String local, String remote)
            throws Exception {
        GreTunnelSettings s = new GreTunnelSettings(name, false, OptionalLong.of(3), true, true, 1000, true,
                InetAddress.getByName(local), InetAddress.getByName(remote));
        return new GreTunnel(new GreTunnelCore(s, new UnpooledByteBufAllocator(true), new RouteTable()), tun, ul, 1000,
                System::nanoTime).start();
    }

    @Test
    void twoShellsCarryPacketsAnswerTooBigAndSurviveGarbage() throws Exception {
        MemoryTunDevice tunA = new MemoryTunDevice("ga");
        MemoryTunDevice tunB = new MemoryTunDevice("gb");
        MemoryUnderlay ulA = new MemoryUnderlay();
        MemoryUnderlay ulB = new MemoryUnderlay();
        ulA.peer = ulB;
        ulB.peer = ulA;
        try (GreTunnel a = tunnel("ga", tunA, ulA, "192.0.2.1", "192.0.2.2");
             GreTunnel b = tunnel("gb", tunB, ulB, "192.0.2.2", "192.0.2.1")) {
            for (int i = 0; i < 50; i++) {
                byte[] pkt = ByteBufUtil.getBytes(TestPackets.ipv4(0x0a020009, 100 + i, 64, true).skipBytes(0));
                tunA.inject(pkt);
                byte[] out = tunB.takeWritten(Duration.ofSeconds(5));
                assertNotNull(out, "packet " + i);
                assertArrayEquals(pkt, out);
            }
            // Too big with DF: frag-needed comes back out of A's own TUN.
            tunA.inject(ByteBufUtil.getBytes(TestPackets.ipv4(0x0a020009, 1200, 64, true)));
            byte[] icmp = tunA.takeWritten(Duration.ofSeconds(5));
            assertNotNull(icmp);
            assertEquals(1, icmp[9], "ICMP");
            assertEquals(3, icmp[20], "destination unreachable");
            // Garbage from the underlay is dropped and counted; traffic continues.
            ulA.send(Unpooled.wrappedBuffer(new byte[] {0, 1, 8, 0}));
            Wait.until(Duration.ofSeconds(5), "drop counted", () -> b.core().counters().dropped(GreDrop.GRE_BAD_VERSION) == 1);
            byte[] pkt = ByteBufUtil.getBytes(TestPackets.ipv6(300, 9));
            tunB.inject(pkt);
            assertArrayEquals(pkt, tunA.takeWritten(Duration.ofSeconds(5)));
            assertEquals(50, b.core().counters().get(GreCounters.Traffic.RX_PACKETS));
            assertEquals(1, a.core().counters().get(GreCounters.Traffic.ICMP_TOO_BIG_SENT));
        }
    }
}
