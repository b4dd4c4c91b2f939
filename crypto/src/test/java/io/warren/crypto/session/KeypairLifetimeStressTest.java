package io.warren.crypto.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * Sealing and opening outside the peers' lock while keypairs rotate, expire and are destroyed:
 * two sealing threads (their own lanes) and one opening thread race a thread that rekeys and
 * clears keypairs (what a peer removal or the key zeroing timer does), all through the
 * two-halves API as the shell uses it. The ciphers are {@link CheckedAead}s: any use after
 * destroy, or by two threads at once (where a native context would crash or corrupt), is
 * counted. Also checked: every datagram's (receiver index, counter) is sealed once, every
 * delivered packet is what was sent and is delivered once, replays are refused, and at the end
 * every cipher was destroyed and no reference is left.
 */
class KeypairLifetimeStressTest {
    static final long S = PeerTest.S;
    static final int PACKET = 120;
    static final long RUN_NANOS = 1_000_000_000L;
    static final long MAX_NANOS = 20_000_000_000L;
    static final long ROTATE_NANOS = 10_000_000L;

    final ReentrantLock lock = new ReentrantLock();
    final AtomicLong clock = new AtomicLong(PeerTest.T0);
    final CheckedAead.Factory aead = new CheckedAead.Factory(AeadImplementation.BOUNCY_CASTLE);
    final ConcurrentLinkedQueue<byte[]> toB = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<byte[]> toA = new ConcurrentLinkedQueue<>();
    final Set<Long> sealedCounters = ConcurrentHashMap.newKeySet();
    final Set<Integer> delivered = ConcurrentHashMap.newKeySet();
    final AtomicLong counterReused = new AtomicLong();
    final AtomicLong wrongPlaintext = new AtomicLong();
    final AtomicLong deliveredTwice = new AtomicLong();
    final AtomicLong nextId = new AtomicLong(1);
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong rotations = new AtomicLong();
    volatile boolean stop;
    Peer a;
    Peer b;

    static ByteBuffer packet(int id) {
        ByteBuffer p = Packets.ipv4(PACKET, 2, id);
        p.putInt(p.position() + 20, id);
        return p;
    }

    static void send(ConcurrentLinkedQueue<byte[]> wire, List<ByteBuffer> datagrams) {
        for (ByteBuffer d : datagrams) {
            wire.add(Packets.bytes(d));
        }
    }

    @Test
    void sealAndOpenOutsideTheLockWhileKeypairsRotateAndAreDestroyed() throws Exception {
        PeerConfig config = new PeerConfig(1420, 0, aead, 2);
        a = new Peer(new FakeHandshaker(11), new CountingIndices(0x1100_0001), PeerTest.NO_JITTER, () -> 1L, config);
        b = new Peer(new FakeHandshaker(22), new CountingIndices(0x2200_0001), PeerTest.NO_JITTER, () -> 2L, config);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        threads.add(new Thread(() -> sealer(0)));
        threads.add(new Thread(() -> sealer(1)));
        threads.add(new Thread(this::opener));
        threads.add(new Thread(this::rotator));
        for (Thread t : threads) {
            t.setUncaughtExceptionHandler((th, e) -> failures.add(e));
            t.start();
        }
        // Until enough happened (a loaded box may run the threads slowly), at most MAX_NANOS.
        long start = System.nanoTime();
        while (System.nanoTime() - start < MAX_NANOS
                && (System.nanoTime() - start < RUN_NANOS || accepted.get() < 2000 || rotations.get() < 20)) {
            Thread.sleep(50);
        }
        stop = true;
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(List.of(), failures);
        System.out.println("stress: " + accepted.get() + " packets delivered, " + rotations.get() + " rotations, "
                + sealedCounters.size() + " sealed, " + aead.made.size() + " ciphers made");
        lock.lock();
        try {
            a.keypairs().clear();
            b.keypairs().clear();
        } finally {
            lock.unlock();
        }
        aead.assertNoMisuse();
        assertEquals(0, counterReused.get(), "a (receiver index, counter) sealed twice");
        assertEquals(0, wrongPlaintext.get(), "a delivered packet differs from the one sent");
        assertEquals(0, deliveredTwice.get(), "a packet delivered twice");
        assertEquals(aead.made.size(), aead.destroyed(), "every cipher destroyed once its last user is done");
        assertTrue(accepted.get() >= 2000, "traffic flowed: " + accepted.get());
        assertTrue(rotations.get() >= 20, "keypairs rotated: " + rotations.get());
    }

    private void sealer(int lane) {
        SealBatch seals = new SealBatch(8, lane);
        while (!stop) {
            lock.lock();
            try {
                for (int i = 0; i < 8; i++) {
                    Outcome.Encapsulated e = a.reserve(packet((int) nextId.getAndIncrement()), clock.get(), seals, i, null);
                    if (e instanceof Outcome.Reserved r) {
                        send(toB, r.datagrams());
                    } else if (e instanceof Outcome.Queued q) {
                        send(toB, q.datagrams());
                    }
                }
            } finally {
                lock.unlock();
            }
            try {
                seals.sealAll();
                for (int k = 0; k < seals.size(); k++) {
                    ByteBuffer d = seals.buffer(k);
                    long key = ((long) TransportData.receiverIndex(d) << 32) ^ TransportData.counter(d);
                    if (!sealedCounters.add(key)) {
                        counterReused.incrementAndGet();
                    }
                    toB.add(Packets.bytes(d));
                }
            } finally {
                seals.clear();
            }
        }
    }

    private void opener() {
        OpenBatch opens = new OpenBatch(16);
        List<byte[]> held = new ArrayList<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        while (!stop) {
            lock.lock();
            try {
                for (byte[] d = toB.poll(); d != null && !opens.isFull(); d = opens.isFull() ? null : toB.poll()) {
                    ByteBuffer datagram = ByteBuffer.allocateDirect(d.length).put(d).flip();
                    if (TransportData.messageType(datagram) != Constants.MESSAGE_DATA) {
                        Outcome.Decapsulated o = b.decapsulate(datagram, clock.get());
                        if (o instanceof Outcome.WriteToNetwork w) {
                            send(toA, w.datagrams());
                        }
                        continue;
                    }
                    if (random.nextInt(50) == 0) {
                        held.add(d.clone()); // replayed later: must be refused
                    }
                    b.admit(datagram, opens, null);
                }
                if (held.size() > 4 && !opens.isFull()) {
                    byte[] replay = held.remove(0);
                    b.admit(ByteBuffer.allocateDirect(replay.length).put(replay).flip(), opens, null);
                }
            } finally {
                lock.unlock();
            }
            if (opens.isEmpty()) {
                Thread.yield();
            }
            opens.openAll(clock.get());
            lock.lock();
            try {
                for (int k = 0; k < opens.size(); k++) {
                    Outcome.Decapsulated o = b.accept(opens, k, clock.get());
                    if (o instanceof Outcome.WriteToTunnel t) {
                        check(t.packet());
                        send(toA, t.datagrams());
                    } else if (o instanceof Outcome.WriteToNetwork w) {
                        send(toA, w.datagrams());
                    }
                }
            } finally {
                opens.clear();
                lock.unlock();
            }
        }
    }

    private void check(ByteBuffer plaintext) {
        int id = plaintext.getInt(plaintext.position() + 20);
        byte[] want = Packets.bytes(packet(id));
        byte[] got = Packets.bytes(plaintext);
        if (!java.util.Arrays.equals(want, got)) {
            wrongPlaintext.incrementAndGet();
        }
        if (!delivered.add(id)) {
            deliveredTwice.incrementAndGet();
        }
        accepted.incrementAndGet();
    }

    /** Handles what B sent A (responses, keepalives); rekeys or clears now and then. */
    private void rotator() {
        int round = 0;
        long nextRotation = System.nanoTime() + ROTATE_NANOS;
        while (!stop) {
            lock.lock();
            try {
                for (byte[] d = toA.poll(); d != null; d = toA.poll()) {
                    ByteBuffer datagram = ByteBuffer.allocateDirect(d.length).put(d).flip();
                    Outcome.Decapsulated o = a.decapsulate(datagram, clock.get());
                    if (o instanceof Outcome.WriteToNetwork w) {
                        send(toB, w.datagrams());
                    } else if (o instanceof Outcome.WriteToTunnel t) {
                        send(toB, t.datagrams());
                    }
                }
                if (System.nanoTime() - nextRotation >= 0) {
                    nextRotation = System.nanoTime() + ROTATE_NANOS;
                    round++;
                    clock.addAndGet(ProtocolTimers.REKEY_TIMEOUT + S); // a new initiation may go out
                    Keypair current = a.keypairs().current();
                    if (round % 2 == 0 || current == null) {
                        a.keypairs().clear(); // as a peer removal or the zeroing timer
                        if (round % 4 == 0) {
                            b.keypairs().clear();
                        }
                    } else {
                        current.setSendNonceForTest(Constants.REKEY_AFTER_MESSAGES + 1); // rekey on next send
                    }
                    rotations.incrementAndGet();
                }
            } finally {
                lock.unlock();
            }
            try {
                Thread.sleep(1); // leaves the lock to the others (a spinning taker starves them on 2 cores)
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
