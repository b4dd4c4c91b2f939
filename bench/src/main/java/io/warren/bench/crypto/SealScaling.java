package io.warren.bench.crypto;

import io.warren.crypto.noise.StaticIdentity;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.primitives.PresharedKey;
import io.warren.crypto.session.Device;
import io.warren.crypto.session.Outcome;
import io.warren.crypto.session.Peer;
import io.warren.crypto.session.PeerConfig;
import io.warren.crypto.session.SealBatch;
import io.warren.crypto.session.TransportAeadFactory;
import io.warren.gateway.libcrypto.TransportAeadChoice;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How sealing for ONE peer scales with threads, as the WireGuard interface's TUN readers do it:
 * under one lock each thread reserves a batch of 32 packets ({@link Peer#reserve}: keypair,
 * counter, padding, timers), then seals it with the lock released on its own lane
 * ({@link SealBatch#sealAll}); against that, the one-call {@link Peer#encapsulate} under the lock
 * (the AEAD inside the lock, as before the split). Wall-clock packets per second for 1 and 2
 * threads, alternating (1/2/1/2...), median and spread of the rounds; run it on an otherwise
 * quiet box with at least two cores.
 *
 * <p>Usage: {@code java -cp <bench classpath> io.warren.bench.crypto.SealScaling [rounds [size
 * [seconds]]]} (defaults 5, 1420, 2).
 */
public final class SealScaling {
    private static final int BATCH = 32;
    private static final int HEADROOM = 64;

    private final ReentrantLock lock = new ReentrantLock();
    private final Peer peer;
    private final int size;

    private SealScaling(int size, int lanes, TransportAeadFactory aead) {
        this.size = size;
        SecureRandom random = new SecureRandom();
        NoisePrivateKey ka = NoisePrivateKey.generate(random);
        NoisePrivateKey kb = NoisePrivateKey.generate(random);
        Device a = new Device(new StaticIdentity(ka), random, System::nanoTime);
        Device b = new Device(new StaticIdentity(kb), random, System::nanoTime);
        PeerConfig config = new PeerConfig(1420, 0, aead, lanes);
        peer = a.addPeer(kb.publicKey(), PresharedKey.NONE, config);
        b.addPeer(ka.publicKey(), PresharedKey.NONE, config);
        InetSocketAddress from = new InetSocketAddress("192.0.2.1", 51820);
        long now = System.nanoTime();
        Outcome.Queued q = (Outcome.Queued) peer.encapsulate(packet(), now);
        Device.Routed r = (Device.Routed) b.receive(q.datagrams().get(0), from, now, false);
        ByteBuffer response = ((Outcome.WriteToNetwork) r.outcome()).datagrams().get(0);
        a.receive(response, from, now, false);
        if (peer.keypairs().current() == null) {
            throw new IllegalStateException("no session");
        }
    }

    private ByteBuffer packet() {
        ByteBuffer b = ByteBuffer.allocateDirect(HEADROOM + size + 64);
        b.position(HEADROOM);
        b.put((byte) 0x45).put((byte) 0).putShort((short) size);
        while (b.position() < HEADROOM + size) {
            b.put((byte) 7);
        }
        return b.flip().position(HEADROOM);
    }

    /** Packets sealed per second by {@code threads} threads in {@code nanos}. */
    private double run(int threads, boolean split, long nanos) throws InterruptedException {
        AtomicLong sealed = new AtomicLong();
        long end = System.nanoTime() + nanos;
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int lane = t;
            workers[t] = new Thread(() -> {
                ByteBuffer[] ring = new ByteBuffer[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    ring[i] = packet();
                }
                SealBatch seals = new SealBatch(BATCH, lane);
                long n = 0;
                while (System.nanoTime() < end) {
                    for (ByteBuffer b : ring) {
                        b.clear().position(HEADROOM).limit(HEADROOM + size);
                    }
                    lock.lock();
                    try {
                        for (int i = 0; i < BATCH; i++) {
                            if (split) {
                                peer.reserve(ring[i], System.nanoTime(), seals, i, null);
                            } else {
                                peer.encapsulate(ring[i], System.nanoTime());
                            }
                        }
                    } finally {
                        lock.unlock();
                    }
                    if (split) {
                        seals.sealAll();
                        seals.clear();
                    }
                    n += BATCH;
                }
                sealed.addAndGet(n);
            });
        }
        long start = System.nanoTime();
        for (Thread w : workers) {
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        return sealed.get() * 1e9 / (System.nanoTime() - start);
    }

    public static void main(String[] args) throws InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1420;
        long nanos = (long) ((args.length > 2 ? Double.parseDouble(args[2]) : 2) * 1e9);
        TransportAeadFactory aead = TransportAeadChoice.forThisJvm();
        System.out.println("java " + Runtime.version() + ", " + aead + ", " + size + "-byte packets, one peer, "
                + Runtime.getRuntime().availableProcessors() + " CPUs; packets/s");
        SealScaling s = new SealScaling(size, 2, aead);
        String[] names = {"seal outside the lock, 1 thread", "seal outside the lock, 2 threads",
            "seal under the lock,   1 thread", "seal under the lock,   2 threads"};
        double[][] results = new double[names.length][rounds];
        s.run(2, true, nanos); // warm-up
        s.run(2, false, nanos);
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < names.length; k++) {
                results[k][r] = s.run(k % 2 == 0 ? 1 : 2, k < 2, nanos);
            }
        }
        for (int k = 0; k < names.length; k++) {
            double[] v = results[k].clone();
            Arrays.sort(v);
            System.out.printf("%s: median %.0f (min %.0f, max %.0f)%n", names[k], v[v.length / 2], v[0], v[v.length - 1]);
        }
    }
}
