package io.warren.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.session.DropReason;
import io.warren.tun.testing.MemoryTunDevice;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GRO runs through the handler into a whole interface: every datagram of a run reaches the per-datagram path. */
class InboundHandlerTest {
    private static final InetSocketAddress FROM = new InetSocketAddress("192.0.2.7", 40000);
    private static final InetSocketAddress TO = new InetSocketAddress("192.0.2.1", 51820);

    private Transports transports;
    private WireGuardInterface iface;
    private EmbeddedChannel channel;
    private final List<Integer> tapped = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        transports = Transports.create(1);
        iface = new WireGuardInterface("wgro", new MemoryTunDevice("wgro"), 1420, transports);
        iface.reconcile(WireGuardInterfaceTest.state(NoisePrivateKey.generate(new SecureRandom()), 0));
        iface.setDatagramTap((d, s) -> {
            tapped.add(d.remaining());
            return false;
        });
        channel = new EmbeddedChannel(new InboundHandler(iface));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        iface.close();
        transports.close();
    }

    /** {@code sizes} datagrams back to back, each starting with {@code types[i]}. */
    private static ByteBuf run(int[] sizes, int[] types) {
        ByteBuf b = Unpooled.directBuffer();
        for (int i = 0; i < sizes.length; i++) {
            b.writeByte(types[i]);
            b.writeZero(sizes[i] - 1);
        }
        return b;
    }

    @Test
    void aForgedDatagramInTheMiddleOfARunIsDroppedAndTheRestStillProcessed() {
        // transport data (type 4) for an unknown receiver, junk (type 9), transport data, a short last one
        ByteBuf b = run(new int[] {148, 148, 148, 64}, new int[] {4, 9, 4, 4});
        channel.writeInbound(new SegmentedDatagramPacket(b, 148, TO, FROM));
        assertEquals(List.of(148, 148, 148, 64), tapped);
        assertEquals(1, iface.counters().get(DropReason.UNKNOWN_MESSAGE_TYPE));
        assertEquals(3, iface.counters().get(DropReason.UNKNOWN_RECEIVER_INDEX)
                + iface.counters().get(DropReason.MESSAGE_TRUNCATED));
        assertEquals(0, b.refCnt(), "released");
    }

    @Test
    void aPlainDatagramIsOneDatagram() {
        channel.writeInbound(new DatagramPacket(run(new int[] {148}, new int[] {9}), TO, FROM));
        assertEquals(List.of(148), tapped);
        assertEquals(1, iface.counters().get(DropReason.UNKNOWN_MESSAGE_TYPE));
    }

    @Test
    void aSegmentSizeLargerThanTheRunIsOneDatagram() {
        channel.writeInbound(new SegmentedDatagramPacket(run(new int[] {500}, new int[] {9}), 65_535, TO, FROM));
        assertEquals(List.of(500), tapped);
    }

    @Test
    void manyFullRunsAreSplitCompletely() {
        int[] sizes = new int[45];
        int[] types = new int[45];
        java.util.Arrays.fill(sizes, 1452);
        java.util.Arrays.fill(types, 4);
        channel.writeInbound(new SegmentedDatagramPacket(run(sizes, types), 1452, TO, FROM));
        assertEquals(45, tapped.size());
        assertEquals(45 * 1452, tapped.stream().mapToInt(Integer::intValue).sum());
    }
}
