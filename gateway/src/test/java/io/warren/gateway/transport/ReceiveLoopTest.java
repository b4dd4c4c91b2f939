package io.warren.gateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.session.DropReason;
import io.warren.tun.testing.MemoryTunDevice;
import io.warren.tun.udp.UdpReceiveBatch;
import io.warren.tun.udp.UdpSocket;
import io.warren.tun.udp.UdpSource;
import io.warren.tun.udp.UdpWire;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receive loop into a whole interface: GRO runs split into the per-datagram path, bad receives
 * dropped and counted, a failing datagram not stopping the loop, close and rebind stopping threads.
 */
class ReceiveLoopTest {
    private static final UdpSource FROM = UdpSource.of(new InetSocketAddress("192.0.2.7", 40000));
    private static final NoisePrivateKey KEY = NoisePrivateKey.generate(new SecureRandom());

    private Transports transports;
    private WireGuardInterface iface;
    private final List<Integer> tapped = new CopyOnWriteArrayList<>();
    private final List<InetSocketAddress> sources = new CopyOnWriteArrayList<>();
    private volatile boolean throwInTap;

    @BeforeEach
    void setUp() throws Exception {
        transports = Transports.create(1);
        iface = new WireGuardInterface("wrcv", new MemoryTunDevice("wrcv"), 1420, transports);
        iface.reconcile(WireGuardInterfaceTest.state(KEY, 0));
        iface.setDatagramTap((d, s) -> {
            if (throwInTap) {
                throwInTap = false;
                throw new IllegalStateException("a tap that fails once");
            }
            tapped.add(d.remaining());
            sources.add(s.address());
            return false;
        });
    }

    @AfterEach
    void tearDown() {
        iface.close();
        transports.close();
    }

    /** {@code sizes} datagrams back to back, each starting with {@code types[i]}. */
    private static ByteBuffer run(int[] sizes, int[] types) {
        int total = java.util.Arrays.stream(sizes).sum();
        ByteBuffer b = ByteBuffer.allocateDirect(64 + total);
        b.position(64);
        for (int i = 0; i < sizes.length; i++) {
            b.put((byte) types[i]);
            b.position(b.position() + sizes[i] - 1);
        }
        return b.flip().position(64);
    }

    private ReceiveLoop loop() {
        return new ReceiveLoop(iface, null, null);
    }

    @Test
    void aForgedDatagramInTheMiddleOfARunIsDroppedAndTheRestStillProcessed() {
        // transport data (type 4) for an unknown receiver, junk (type 9), transport data, a short last one
        loop().dispatch(run(new int[] {148, 148, 148, 64}, new int[] {4, 9, 4, 4}), 148, FROM);
        assertEquals(List.of(148, 148, 148, 64), tapped);
        assertEquals(1, iface.counters().get(DropReason.UNKNOWN_MESSAGE_TYPE));
        assertEquals(3, iface.counters().get(DropReason.UNKNOWN_RECEIVER_INDEX)
                + iface.counters().get(DropReason.MESSAGE_TRUNCATED));
    }

    @Test
    void aPlainDatagramIsOneDatagram() {
        loop().dispatch(run(new int[] {148}, new int[] {9}), 0, FROM);
        assertEquals(List.of(148), tapped);
        assertEquals(1, iface.counters().get(DropReason.UNKNOWN_MESSAGE_TYPE));
    }

    @Test
    void aSegmentSizeLargerThanTheRunIsOneDatagram() {
        loop().dispatch(run(new int[] {500}, new int[] {9}), 65_535, FROM);
        assertEquals(List.of(500), tapped);
    }

    @Test
    void manyFullRunsAreSplitCompletely() {
        int[] sizes = new int[45];
        int[] types = new int[45];
        java.util.Arrays.fill(sizes, 1452);
        java.util.Arrays.fill(types, 4);
        loop().dispatch(run(sizes, types), 1452, FROM);
        assertEquals(45, tapped.size());
        assertEquals(45 * 1452, tapped.stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void anUnreadableSegmentSizeDropsTheReceiveAndCountsIt() {
        loop().dispatch(run(new int[] {100, 100}, new int[] {4, 4}), UdpWire.MALFORMED, FROM);
        assertEquals(List.of(), tapped);
        assertEquals(1, iface.counters().get(ShellCounters.Reason.INBOUND_GRO_MALFORMED));
    }

    @Test
    void anExceptionWhileHandlingOneDatagramIsCountedAndTheNextIsHandled() {
        throwInTap = true;
        ReceiveLoop loop = loop();
        loop.dispatch(run(new int[] {148}, new int[] {9}), 0, FROM);
        loop.dispatch(run(new int[] {148}, new int[] {9}), 0, FROM);
        assertEquals(1, iface.counters().get(ShellCounters.Reason.INBOUND_FAILED));
        assertEquals(List.of(148), tapped);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(5);
        }
    }

    private static Thread thread(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name) && t.isAlive()) {
                return t;
            }
        }
        return null;
    }

    @Test
    void overTheSocketJunkIsCountedOversizedIsTruncatedAndSourcesAreRight() throws Exception {
        try (DatagramChannel v4 = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel v6 = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            v4.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            InetSocketAddress to4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), iface.listenPort());
            InetSocketAddress to6 = new InetSocketAddress(InetAddress.getByName("::1"), iface.listenPort());
            v4.send(ByteBuffer.allocate(10_000), to4); // longer than a receive slot
            v4.send(ByteBuffer.wrap(new byte[] {9, 0, 0, 0, 1}), to4);
            await(() -> tapped.size() == 1, "the junk datagram");
            assertEquals(1, iface.counters().get(ShellCounters.Reason.INBOUND_TRUNCATED));
            assertEquals(1, iface.counters().get(DropReason.UNKNOWN_MESSAGE_TYPE));
            assertEquals(v4.getLocalAddress(), sources.get(0));
            assertInstanceOf(Inet4Address.class, sources.get(0).getAddress());

            throwInTap = true;
            v6.send(ByteBuffer.wrap(new byte[] {9, 0, 0, 0}), to6);
            v6.send(ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 7}), to6); // a cut handshake initiation
            await(() -> tapped.size() == 2, "the datagram after the failing one");
            assertEquals(1, iface.counters().get(ShellCounters.Reason.INBOUND_FAILED));
            assertEquals(v6.getLocalAddress(), sources.get(1));
            // The tap saw the failing datagram; the cut initiation behind it may still be in flight.
            await(() -> iface.counters().get(DropReason.MESSAGE_TRUNCATED) == 1, "the cut initiation counted");
        }
    }

    @Test
    void closeStopsTheReceiveThreadAndARebindReplacesIt() throws Exception {
        String name = "warren-" + iface.name() + "-udp";
        Thread first = thread(name);
        assertTrue(first != null, "receiving after the first reconcile");
        int oldPort = iface.listenPort();
        int newPort;
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(0));
            newPort = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        iface.reconcile(WireGuardInterfaceTest.state(KEY, newPort));
        assertEquals(newPort, iface.listenPort());
        first.join(2000);
        assertFalse(first.isAlive(), "the old socket's thread stopped");
        Thread second = thread(name);
        assertTrue(second != null, "a new thread receives on the new port");
        try (DatagramChannel v4 = DatagramChannel.open(StandardProtocolFamily.INET)) {
            v4.send(ByteBuffer.wrap(new byte[] {9, 0, 0, 0}), new InetSocketAddress(InetAddress.getByName("127.0.0.1"), newPort));
            await(() -> tapped.size() == 1, "a datagram on the new port");
        }
        try (DatagramChannel old = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            old.bind(new InetSocketAddress(oldPort)); // the old socket is closed: its port is free
        }
        long start = System.nanoTime();
        iface.close();
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "close wakes the receive thread at once");
        second.join(2000);
        assertFalse(second.isAlive());
    }

    @Test
    void oneWakeupSaysWhetherTheQueueWasDrained() throws Exception {
        try (UdpSocket socket = UdpSocket.bind(0, 1 << 20);
             DatagramChannel v4 = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ReceiveLoop loop = new ReceiveLoop(iface, socket, new UdpReceiveBatch(2, 2048, 64));
            InetSocketAddress to = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), socket.localPort());
            for (int i = 0; i < 3; i++) {
                v4.send(ByteBuffer.wrap(new byte[] {9, 0, 0, 0}), to);
            }
            Thread.sleep(20); // loopback delivers at once; give the third datagram time all the same
            assertEquals(ReceiveLoop.FULL, loop.once(false), "two slots filled: more may be queued");
            assertEquals(ReceiveLoop.DRAINED, loop.once(false), "one datagram for two slots");
            assertEquals(List.of(4, 4, 4), tapped);
            v4.send(ByteBuffer.wrap(new byte[] {9, 0, 0, 0}), to);
            assertEquals(ReceiveLoop.DRAINED, loop.once(true), "waits first, then receives");
            assertEquals(4, tapped.size());
            loop.stop();
            assertEquals(ReceiveLoop.STOP, loop.once(true));
        }
    }
}
