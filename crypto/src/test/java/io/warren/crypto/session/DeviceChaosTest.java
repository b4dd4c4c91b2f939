package io.warren.crypto.session;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.noise.StaticIdentity;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.primitives.PresharedKey;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Two devices over a hostile network on a fake clock (whitepaper §5.4, §6): datagrams are lost,
 * duplicated, delayed, reordered and replayed long after, while both sides send and run their
 * timers. Nothing throws, no index leaks (at most previous, current and next keypair and one
 * initiation per peer), and once the network behaves, data flows both ways again.
 */
class DeviceChaosTest {
    static final long MS = 1_000_000L;
    static final long S = 1_000 * MS;
    static final InetSocketAddress FROM_A = new InetSocketAddress("192.0.2.10", 51820);
    static final InetSocketAddress FROM_B = new InetSocketAddress("192.0.2.20", 51821);

    record InFlight(long at, boolean toB, byte[] bytes) {
    }

    final List<InFlight> network = new ArrayList<>();
    final List<byte[]> seen = new ArrayList<>();
    final AtomicLong wall = new AtomicLong(1_700_000_000_000_000_000L);
    int deliveredAtA;
    int deliveredAtB;

    @Test
    void lossDuplicationReorderingAndReplaysNeverBreakTheSessions() throws Exception {
        for (long seed = 1; seed <= 6; seed++) {
            run(seed);
        }
    }

    private void run(long seed) throws Exception {
        network.clear();
        seen.clear();
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed);
        SplittableRandom chaos = new SplittableRandom(seed);
        StaticIdentity idA = new StaticIdentity(NoisePrivateKey.generate(random));
        StaticIdentity idB = new StaticIdentity(NoisePrivateKey.generate(random));
        Device a = new Device(idA, random, () -> wall.addAndGet(50 * MS));
        Device b = new Device(idB, random, () -> wall.addAndGet(50 * MS));
        Peer bAtA = a.addPeer(idB.publicKey(), PresharedKey.NONE, PeerConfig.defaults());
        Peer aAtB = b.addPeer(idA.publicKey(), PresharedKey.NONE, PeerConfig.defaults());
        long now = 10_000 * S;
        long chaosEnds = now + 600 * S;
        long end = chaosEnds + 120 * S;
        int deliveredBeforeCalm = 0;
        for (; now < end; now += 37 * MS) {
            boolean hostile = now < chaosEnds;
            if (chaos.nextInt(20) == 0) {
                send(bAtA.encapsulate(Packets.ipv4(60, 2, chaos.nextInt(1000)), now), true, now, hostile, chaos);
            }
            if (chaos.nextInt(25) == 0) {
                send(aAtB.encapsulate(Packets.ipv4(60, 3, chaos.nextInt(1000)), now), false, now, hostile, chaos);
            }
            if (hostile && !seen.isEmpty() && chaos.nextInt(10) == 0) { // replay anything ever sent
                byte[] old = seen.get(chaos.nextInt(seen.size()));
                network.add(new InFlight(now, chaos.nextBoolean(), old));
            }
            final long t = now;
            if (a.timersDue(t)) {
                a.updateTimers(t, (p, actions, at) -> actions.forEach(act -> timerSend(act, true, t, hostile, chaos)));
            }
            if (b.timersDue(t)) {
                b.updateTimers(t, (p, actions, at) -> actions.forEach(act -> timerSend(act, false, t, hostile, chaos)));
            }
            deliver(a, b, now, hostile, chaos);
            assertTrue(a.liveIndices() <= 4, "A holds " + a.liveIndices() + " indices, seed " + seed);
            assertTrue(b.liveIndices() <= 4, "B holds " + b.liveIndices() + " indices, seed " + seed);
            if (now < chaosEnds) {
                deliveredBeforeCalm = deliveredAtA + deliveredAtB;
            }
        }
        assertTrue(deliveredBeforeCalm > 0, "seed " + seed + ": some data crossed the chaos");
        int afterA = deliveredAtA;
        int afterB = deliveredAtB;
        // calm: both directions work within a couple of handshakes
        for (int i = 0; i < 40; i++, now += 500 * MS) {
            send(bAtA.encapsulate(Packets.ipv4(60, 2, i), now), true, now, false, chaos);
            send(aAtB.encapsulate(Packets.ipv4(60, 3, i), now), false, now, false, chaos);
            final long t = now;
            a.updateTimers(t, (p, actions, at) -> actions.forEach(act -> timerSend(act, true, t, false, chaos)));
            b.updateTimers(t, (p, actions, at) -> actions.forEach(act -> timerSend(act, false, t, false, chaos)));
            deliver(a, b, now + 100 * MS, false, chaos);
        }
        assertTrue(deliveredAtA > afterA && deliveredAtB > afterB,
                "seed " + seed + ": data flows again (" + deliveredBeforeCalm + " during chaos)");
    }

    private void timerSend(Outcome.TimerAction act, boolean toB, long now, boolean hostile, SplittableRandom chaos) {
        if (act instanceof Outcome.Send s) {
            enqueue(s.datagram(), toB, now, hostile, chaos);
        }
    }

    private void send(Object outcome, boolean toB, long now, boolean hostile, SplittableRandom chaos) {
        List<ByteBuffer> d = outcome instanceof Outcome.WriteToNetwork w ? w.datagrams()
                : outcome instanceof Outcome.Queued q ? q.datagrams()
                : outcome instanceof Outcome.WriteToTunnel t ? t.datagrams() : List.of();
        for (ByteBuffer b : d) {
            enqueue(b, toB, now, hostile, chaos);
        }
    }

    private void enqueue(ByteBuffer datagram, boolean toB, long now, boolean hostile, SplittableRandom chaos) {
        byte[] bytes = Packets.bytes(datagram);
        seen.add(bytes);
        if (hostile && chaos.nextInt(5) == 0) {
            return; // lost
        }
        int copies = hostile && chaos.nextInt(6) == 0 ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long delay = hostile ? chaos.nextLong(0, 3 * S) : 10 * MS;
            network.add(new InFlight(now + delay, toB, bytes));
        }
    }

    private void deliver(Device a, Device b, long now, boolean hostile, SplittableRandom chaos) {
        List<InFlight> due = new ArrayList<>();
        network.removeIf(f -> {
            if (f.at() <= now) {
                due.add(f);
                return true;
            }
            return false;
        });
        for (InFlight f : due) {
            Device to = f.toB() ? b : a;
            Device.Received r = to.receive(ByteBuffer.wrap(f.bytes().clone()), f.toB() ? FROM_A : FROM_B, now, false);
            if (r instanceof Device.Routed routed) {
                Outcome.Decapsulated o = routed.outcome();
                if (o instanceof Outcome.WriteToTunnel) {
                    if (f.toB()) {
                        deliveredAtB++;
                    } else {
                        deliveredAtA++;
                    }
                }
                send(o, !f.toB(), now, hostile, chaos);
            }
        }
    }
}
