package io.warren.gateway.transport;

import static io.warren.gateway.transport.WireGuardInterfaceTest.ipv4;
import static io.warren.gateway.transport.WireGuardInterfaceTest.peer;
import static io.warren.gateway.transport.WireGuardInterfaceTest.state;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.session.DropReason;
import io.warren.gateway.uapi.PeerEndpoint;
import io.warren.tun.TunDevice;
import io.warren.tun.TunMode;
import io.warren.tun.testing.MemoryTunDevice;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An interface on several TUN queues (as with {@code IFF_MULTI_QUEUE}): one reader per queue,
 * all sealing for the same peer at once on their own lanes, outside the interface's lock. Every
 * packet injected on any queue arrives once and intact; nothing is dropped as a replay or a
 * failed authentication (counters reserved under the lock, datagrams leaving in any order).
 */
class WireGuardMultiQueueTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int QUEUES = 3;
    private static final int PER_QUEUE = 400;

    private Transports transports;
    private final List<MemoryTunDevice> queuesA = new ArrayList<>();
    private MemoryTunDevice tunB;
    private WireGuardInterface a;
    private WireGuardInterface b;

    @AfterEach
    void tearDown() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        transports.close();
    }

    @Test
    void readersOnEveryQueueSealForOnePeerAtOnce() throws Exception {
        transports = Transports.create(1);
        for (int i = 0; i < QUEUES; i++) {
            queuesA.add(new MemoryTunDevice("mqa", TunMode.TUN, false, 1420, 5000, false));
        }
        tunB = new MemoryTunDevice("mqb", TunMode.TUN, false, 1420, 5000, false);
        a = new WireGuardInterface("mqa", List.<TunDevice>copyOf(queuesA), () -> queuesA.forEach(MemoryTunDevice::close),
                1420, transports, System::nanoTime);
        b = new WireGuardInterface("mqb", tunB, 1420, transports);
        assertEquals(QUEUES, a.queueCount());
        NoisePrivateKey keyA = NoisePrivateKey.generate(RANDOM);
        NoisePrivateKey keyB = NoisePrivateKey.generate(RANDOM);
        b.reconcile(state(keyB, 0, peer(keyA, null, "10.0.0.1/32")));
        a.reconcile(state(keyA, 0, peer(keyB, PeerEndpoint.of(InetAddress.getLoopbackAddress().getAddress(), b.listenPort()),
                "10.0.0.2/32")));
        a.start();
        b.start();
        byte[] first = ipv4("10.0.0.1", "10.0.0.2", 10);
        queuesA.get(0).inject(first);
        assertArrayEquals(first, tunB.takeWritten(Duration.ofSeconds(10)), "handshake done");

        Set<Integer> sent = new HashSet<>();
        List<Thread> injectors = new ArrayList<>();
        for (int q = 0; q < QUEUES; q++) {
            int queue = q;
            List<byte[]> packets = new ArrayList<>();
            for (int i = 0; i < PER_QUEUE; i++) {
                int id = queue * PER_QUEUE + i;
                sent.add(id);
                packets.add(tagged(id));
            }
            injectors.add(new Thread(() -> {
                for (byte[] p : packets) {
                    queuesA.get(queue).inject(p);
                }
            }));
        }
        injectors.forEach(Thread::start);
        for (Thread t : injectors) {
            t.join();
        }
        Set<Integer> got = new HashSet<>();
        for (int n = 0; n < QUEUES * PER_QUEUE; n++) {
            byte[] w = tunB.takeWritten(Duration.ofSeconds(10));
            assertNotNull(w, "only " + n + " packets arrived");
            int id = ByteBuffer.wrap(w).getInt(28);
            assertArrayEquals(tagged(id), w, "packet " + id + " intact");
            assertEquals(true, got.add(id), "packet " + id + " delivered twice");
        }
        assertEquals(sent, got);
        assertEquals(0, b.counters().get(DropReason.REPLAYED_COUNTER));
        assertEquals(0, b.counters().get(DropReason.AUTHENTICATION_FAILED));
    }

    /** A 300-byte IPv4 packet 10.0.0.1 -> 10.0.0.2 whose payload starts with {@code id}. */
    private static byte[] tagged(int id) throws Exception {
        byte[] p = ipv4("10.0.0.1", "10.0.0.2", 272);
        ByteBuffer.wrap(p).putInt(28, id);
        return p;
    }
}
