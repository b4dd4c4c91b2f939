package io.warren.gateway.tunnel.gre;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.warren.routing.RouteTable;
import io.warren.testlab.Wait;
import io.warren.tun.TunMode;
import io.warren.tun.VirtioNetHeader;
import io.warren.tun.testing.MemoryTunDevice;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The offloaded data path without a kernel: two tunnel shells on in-memory TUN devices with a
 * virtio-net header, joined by an underlay that queues sends until {@code flush()} (as the raw
 * socket's sendmmsg does) and ends every delivery burst with {@code burstDone()}. A TSO
 * super-packet leaves as one run of GRE packets (one stride, consecutive sequence numbers, one flow
 * hash) and arrives as one coalesced GSO write carrying the same bytes.
 */
class GreTunnelOffloadTest {
    private static final int MTU = 1100;
    private static final int MSS = 1000;

    /** Queues copies of what is sent; flush delivers them to the peer and ends the burst. */
    static final class QueueingUnderlay implements GreUnderlay {
        final List<byte[]> queued = new ArrayList<>();
        final List<Integer> hashes = new ArrayList<>();
        final List<int[]> runs = new ArrayList<>();
        volatile Receiver receiver;
        QueueingUnderlay peer;

        @Override
        public void start(Receiver r) {
            receiver = r;
        }

        @Override
        public boolean usesFlowHash() {
            return true;
        }

        @Override
        public void send(ByteBuf gre) {
            send(gre, 0);
        }

        @Override
        public synchronized void send(ByteBuf gre, int flowHash) {
            queued.add(ByteBufUtil.getBytes(gre));
            hashes.add(flowHash);
        }

        @Override
        public synchronized void sendRun(ByteBuf buf, int offset, int length, int stride, int flowHash)
                throws java.io.IOException {
            runs.add(new int[] {length, stride});
            GreUnderlay.super.sendRun(buf, offset, length, stride, flowHash);
        }

        @Override
        public int flush() {
            List<byte[]> out;
            synchronized (this) {
                out = new ArrayList<>(queued);
                queued.clear();
            }
            Receiver r = peer.receiver;
            if (r != null && !out.isEmpty()) {
                for (byte[] gre : out) {
                    ByteBuf b = Unpooled.directBuffer(20 + gre.length);
                    try {
                        b.writerIndex(20).readerIndex(20);
                        b.writeBytes(gre);
                        r.received(b);
                    } finally {
                        b.release();
                    }
                }
                r.burstDone();
            }
            return 0;
        }

        synchronized List<Integer> hashes() {
            return new ArrayList<>(hashes);
        }

        synchronized List<int[]> runs() {
            return new ArrayList<>(runs);
        }

        @Override
        public void close() {
            receiver = null;
        }
    }

    private static GreTunnel tunnel(MemoryTunDevice tun, QueueingUnderlay ul, boolean sequence, String local,
                                    String remote) throws Exception {
        GreTunnelSettings s = new GreTunnelSettings(tun.name(), false, OptionalLong.of(7), sequence, true, MTU, true,
                InetAddress.getByName(local), InetAddress.getByName(remote));
        return new GreTunnel(new GreTunnelCore(s, new UnpooledByteBufAllocator(true), new RouteTable()), tun, ul, MTU,
                System::nanoTime).start();
    }

    private static MemoryTunDevice vnetTun(String name) {
        return new MemoryTunDevice(name, TunMode.TUN, true, MTU, MemoryTunDevice.DEFAULT_CAPACITY, false);
    }

    /** A TSO read: virtio-net header (NEEDS_CSUM, TCPV4, MSS) + one IPv4/TCP packet of {@code payload} bytes. */
    static byte[] superPacket(int srcPort, int payload) {
        int total = 40 + payload;
        ByteBuffer b = ByteBuffer.allocate(VirtioNetHeader.SIZE + total);
        new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 40, MSS, 20, 16).encode(b);
        b.put((byte) 0x45).put((byte) 0).putShort((short) total).putShort((short) 0x4321).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).putInt(0x0a010005).putInt(0x0a020009);
        b.putShort((short) srcPort).putShort((short) 5201).putInt(1_000_000).putInt(77).put((byte) 0x50)
                .put((byte) 0x18).putShort((short) 512).putShort((short) 0).putShort((short) 0);
        for (int i = 0; i < payload; i++) {
            b.put((byte) (i * 7 + srcPort));
        }
        return b.array();
    }

    @Test
    void aSuperPacketLeavesAsOneRunAndArrivesAsOneCoalescedWrite() throws Exception {
        MemoryTunDevice tunA = vnetTun("ga");
        MemoryTunDevice tunB = vnetTun("gb");
        QueueingUnderlay ulA = new QueueingUnderlay();
        QueueingUnderlay ulB = new QueueingUnderlay();
        ulA.peer = ulB;
        ulB.peer = ulA;
        try (GreTunnel a = tunnel(tunA, ulA, false, "192.0.2.1", "192.0.2.2");
             GreTunnel b = tunnel(tunB, ulB, false, "192.0.2.2", "192.0.2.1")) {
            byte[] sp = superPacket(40000, 5 * MSS);
            tunA.inject(sp);
            byte[] out = tunB.takeWritten(Duration.ofSeconds(5));
            assertNotNull(out, "coalesced write" + b.counters());
            VirtioNetHeader h = ((VirtioNetHeader.Ok) VirtioNetHeader.decode(ByteBuffer.wrap(out))).header();
            assertEquals(VirtioNetHeader.GSO_TCPV4, h.gsoType());
            assertEquals(MSS, h.gsoSize());
            assertEquals(sp.length, out.length);
            assertArrayEquals(Arrays.copyOfRange(sp, 10 + 40, sp.length), Arrays.copyOfRange(out, 10 + 40, out.length),
                    "payload");
            List<int[]> runs = ulA.runs();
            assertEquals(1, runs.size());
            assertEquals(a.core().greHeaderLength() + 40 + MSS, runs.get(0)[1], "stride");
            assertEquals(5 * (a.core().greHeaderLength() + 40 + MSS), runs.get(0)[0], "run length");
            assertEquals(5, b.core().counters().get(GreCounters.Traffic.RX_PACKETS));
            assertEquals(0, b.core().counters().droppedTotal(), b.counters().toString());
            List<Integer> hashes = ulA.hashes();
            assertEquals(5, hashes.size());
            assertTrue(hashes.stream().allMatch(x -> x.equals(hashes.get(0))), "one flow, one hash: " + hashes);

            // Another flow hashes differently; a plain (non-GSO) read goes out alone, unmerged.
            tunA.inject(superPacket(40001, 2 * MSS));
            assertNotNull(tunB.takeWritten(Duration.ofSeconds(5)));
            assertNotEquals(hashes.get(0), ulA.hashes().get(5));
            ByteBuf udp = TestPackets.ipv4(0x0a020009, 300, 64, true);
            byte[] plain = new byte[VirtioNetHeader.SIZE + 300];
            udp.getBytes(udp.readerIndex(), plain, VirtioNetHeader.SIZE, 300);
            udp.release();
            tunA.inject(plain);
            assertArrayEquals(plain, tunB.takeWritten(Duration.ofSeconds(5)), "GSO_NONE header, no flags, same packet");
        }
    }

    @Test
    void sequencedTunnelsNumberEverySegmentAndUseOneSourcePort() throws Exception {
        MemoryTunDevice tunA = vnetTun("ga");
        MemoryTunDevice tunB = vnetTun("gb");
        QueueingUnderlay ulA = new QueueingUnderlay();
        QueueingUnderlay ulB = new QueueingUnderlay();
        ulA.peer = ulB;
        ulB.peer = ulA;
        try (GreTunnel a = tunnel(tunA, ulA, true, "192.0.2.1", "192.0.2.2");
             GreTunnel b = tunnel(tunB, ulB, true, "192.0.2.2", "192.0.2.1")) {
            for (int port = 40000; port < 40003; port++) {
                tunA.inject(superPacket(port, 3 * MSS + 17));
                assertNotNull(tunB.takeWritten(Duration.ofSeconds(5)), b.counters().toString());
            }
            assertEquals(12, b.core().counters().get(GreCounters.Traffic.RX_PACKETS), b.counters().toString());
            assertEquals(0, b.core().counters().droppedTotal(), b.counters().toString());
            assertTrue(ulA.hashes().stream().allMatch(x -> x == 0), "RFC 2890 order needs one path");
        }
    }

    @Test
    void malformedSuperPacketsAreDroppedAndCounted() throws Exception {
        MemoryTunDevice tunA = vnetTun("ga");
        MemoryTunDevice tunB = vnetTun("gb");
        QueueingUnderlay ulA = new QueueingUnderlay();
        QueueingUnderlay ulB = new QueueingUnderlay();
        ulA.peer = ulB;
        ulB.peer = ulA;
        try (GreTunnel a = tunnel(tunA, ulA, false, "192.0.2.1", "192.0.2.2");
             GreTunnel b = tunnel(tunB, ulB, false, "192.0.2.2", "192.0.2.1")) {
            byte[] wrongType = superPacket(40000, 3 * MSS);
            wrongType[1] = VirtioNetHeader.GSO_TCPV6; // IPv4 packet announced as TCPv6
            byte[] tooBigSegments = superPacket(40000, 3 * 1200);
            tooBigSegments[4] = (byte) (1300 & 0xff); // gso_size 1300: segments beyond any MTU the shell reads
            tooBigSegments[5] = (byte) (1300 >>> 8);
            tunA.inject(wrongType);
            tunA.inject(tooBigSegments);
            tunA.inject(new byte[] {0, 0, 0});
            Wait.until(Duration.ofSeconds(5), "drops counted",
                    () -> a.core().counters().dropped(GreDrop.OUTBOUND_OFFLOAD_MALFORMED) == 3);
            tunA.inject(superPacket(40000, 2 * MSS));
            assertNotNull(tunB.takeWritten(Duration.ofSeconds(5)), "traffic continues");
        }
    }
}
