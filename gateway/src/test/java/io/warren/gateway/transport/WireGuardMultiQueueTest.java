package io.warren.gateway.transport;

import static io.warren.gateway.transport.WireGuardInterfaceTest.ipv4;
import static io.warren.gateway.transport.WireGuardInterfaceTest.peer;
import static io.warren.gateway.transport.WireGuardInterfaceTest.state;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.session.DropReason;
import io.warren.gateway.uapi.DeviceState;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An interface on several TUN queues (as with {@code IFF_MULTI_QUEUE}): one reader per queue,
 * all sealing for the same peer at once on their own lanes, outside the interface's lock. Every
 * packet injected on any queue arrives once and intact; nothing is dropped as a replay or a
 * failed authentication (counters reserved under the lock, datagrams leaving in any order).
 *
 * <p>And keypairs destroyed under that traffic, with the ciphers this JVM really uses (OpenSSL's
 * native contexts when libcrypto loads): another thread keeps removing and re-adding the peers on
 * both sides and replacing the sender's private key (every keypair destroyed, new handshakes). A
 * cipher freed under a seal or an open would crash the JVM (destroying at once, as before the
 * keypairs were reference-counted, does) or corrupt packets; here every packet that arrives is
 * intact, and the tunnel works once the churn stops.
 */
class WireGuardMultiQueueTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int QUEUES = 3;
    private static final int PER_QUEUE = 400;
    private static final long CHURN_NANOS = 2_000_000_000L;

    private Transports transports;
    private final List<MemoryTunDevice> queuesA = new ArrayList<>();
    private MemoryTunDevice tunB;
    private WireGuardInterface a;
    private WireGuardInterface b;
    private volatile boolean stop;

    @AfterEach
    void tearDown() {
        stop = true;
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        transports.close();
    }

    /** A on {@link #QUEUES} in-memory queues, B on one holding {@code capacityB} written packets. */
    private void interfaces(int capacityB) {
        transports = Transports.create(1);
        for (int i = 0; i < QUEUES; i++) {
            queuesA.add(new MemoryTunDevice("mqa", TunMode.TUN, false, 1420, 5000, false));
        }
        tunB = new MemoryTunDevice("mqb", TunMode.TUN, false, 1420, capacityB, false);
        a = new WireGuardInterface("mqa", List.<TunDevice>copyOf(queuesA), () -> queuesA.forEach(MemoryTunDevice::close),
                1420, transports, System::nanoTime);
        b = new WireGuardInterface("mqb", tunB, 1420, transports);
    }

    @Test
    void readersOnEveryQueueSealForOnePeerAtOnce() throws Exception {
        interfaces(5000);
        assertEquals(QUEUES, a.queueCount());
        WireGuardInterfaceTest.connect(a, b);
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

    @Test
    void removingPeersAndKeysUnderTrafficNeverCorruptsOrCrashes() throws Exception {
        interfaces(20_000);
        NoisePrivateKey[] keysA = {NoisePrivateKey.generate(RANDOM), NoisePrivateKey.generate(RANDOM)};
        NoisePrivateKey keyB = NoisePrivateKey.generate(RANDOM);
        PeerEndpoint toB = PeerEndpoint.of(InetAddress.getLoopbackAddress().getAddress(), 0);
        DeviceState withA = state(keyB, 0, peer(keysA[0], null, "10.0.0.1/32"), peer(keysA[1], null, "10.0.1.1/32"));
        DeviceState withoutA = state(keyB, 0, peer(keysA[1], null, "10.0.1.1/32"));
        b.reconcile(withA);
        toB = PeerEndpoint.of(InetAddress.getLoopbackAddress().getAddress(), b.listenPort());
        DeviceState withB0 = state(keysA[0], 0, peer(keyB, toB, "10.0.0.2/32"));
        DeviceState withB1 = state(keysA[1], 0, peer(keyB, toB, "10.0.0.2/32"));
        DeviceState withoutB = state(keysA[0], 0);
        a.reconcile(withB0);
        a.start();
        b.start();

        AtomicLong sent = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int q = 0; q < QUEUES; q++) {
            int queue = q;
            threads.add(new Thread(() -> {
                int id = queue << 24;
                while (!stop) {
                    try {
                        if (queuesA.get(queue).inject(tagged400(id++))) {
                            sent.incrementAndGet();
                        }
                        if ((id & 63) == 0) {
                            Thread.sleep(1);
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
            }));
        }
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        threads.add(new Thread(() -> {
            long end = System.nanoTime() + CHURN_NANOS;
            int round = 0;
            try {
                while (System.nanoTime() < end) {
                    switch (round++ % 6) {
                        case 0 -> a.reconcile(withoutB); // peer removed: the sending keypairs destroyed
                        case 1 -> a.reconcile(withB0);
                        case 2 -> b.reconcile(withoutA); // the receiving keypairs destroyed
                        case 3 -> b.reconcile(withA);
                        case 4 -> a.reconcile(withB1); // private key replaced: every session dropped
                        default -> a.reconcile(withB0);
                    }
                    Thread.sleep(15);
                }
                b.reconcile(withA);
                a.reconcile(withoutB);
                a.reconcile(withB0); // a fresh peer: handshakes at once
            } catch (Exception e) {
                failures.add(e);
            }
        }));
        threads.forEach(Thread::start);
        long delivered = 0;
        long corrupt = 0;
        long end = System.nanoTime() + CHURN_NANOS;
        while (System.nanoTime() < end) {
            byte[] w = tunB.takeWritten(Duration.ofMillis(50));
            if (w != null) {
                delivered++;
                if (w.length < 32 || !java.util.Arrays.equals(tagged400(ByteBuffer.wrap(w).getInt(28)), w)) {
                    corrupt++;
                }
            }
        }
        stop = true;
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(List.of(), failures);
        assertEquals(0, corrupt, "packets delivered corrupt");
        // A cipher used after its destroy throws (OpenSSL's wrapper checks) and would show here.
        assertEquals(0, a.counters().get(ShellCounters.Reason.OUTBOUND_SEAL_FAILED), "seals on destroyed ciphers");
        assertEquals(0, b.counters().get(io.warren.crypto.session.DropReason.AUTHENTICATION_FAILED),
                "opens on destroyed ciphers");
        assertTrue(delivered > 100, "traffic flowed during the churn: " + delivered + " of " + sent.get());
        // The tunnel works after the churn (packets injected during it may still come first).
        byte[] last = tagged400(0x7fff_0000);
        long deadline = System.nanoTime() + 10_000_000_000L;
        byte[] got = null;
        long nextInject = 0;
        while (System.nanoTime() < deadline && (got == null || !java.util.Arrays.equals(last, got))) {
            if (System.nanoTime() - nextInject >= 0) {
                queuesA.get(0).inject(last);
                nextInject = System.nanoTime() + 500_000_000L;
            }
            got = tunB.takeWritten(Duration.ofMillis(50));
        }
        assertArrayEquals(last, got);
    }

    private static byte[] tagged400(int id) throws Exception {
        byte[] p = ipv4("10.0.0.1", "10.0.0.2", 400);
        ByteBuffer.wrap(p).putInt(28, id);
        return p;
    }

    /** A 300-byte IPv4 packet 10.0.0.1 -> 10.0.0.2 whose payload starts with {@code id}. */
    private static byte[] tagged(int id) throws Exception {
        byte[] p = ipv4("10.0.0.1", "10.0.0.2", 272);
        ByteBuffer.wrap(p).putInt(28, id);
        return p;
    }
}
