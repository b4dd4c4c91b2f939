package io.warren.crypto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.noise.StaticIdentity;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.primitives.NoisePublicKey;
import io.warren.crypto.primitives.PresharedKey;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The device's timer bound ({@link Device#timersDue}): the shell's fixed tick does O(1) work and
 * allocates nothing while no deadline of any peer is due, however many peers there are, and every
 * deadline armed on the data path is still fired by a walk (fake clock throughout).
 */
class DeviceTimersTest {
    static final long T0 = 500 * PeerTest.S;
    static final long S = PeerTest.S;
    static final int PEERS = 1000;

    Device device;
    Peer first;
    NoisePublicKey firstKey;
    final List<Peer> firedPeers = new ArrayList<>();
    final List<Outcome.TimerAction> fired = new ArrayList<>();
    final Device.TimerSink sink = (peer, actions, now) -> {
        firedPeers.add(peer);
        fired.addAll(actions);
    };

    @BeforeEach
    void thousandPeers() throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(0x71de_71deL);
        device = new Device(new StaticIdentity(NoisePrivateKey.generate(random)), random, () -> 1_700_000_000_000_000_011L);
        for (int i = 0; i < PEERS; i++) {
            NoisePublicKey key = new StaticIdentity(NoisePrivateKey.generate(random)).publicKey();
            Peer p = device.addPeer(key, PresharedKey.NONE, PeerConfig.defaults());
            if (first == null) {
                first = p;
                firstKey = key;
            }
        }
    }

    @Test
    void idleTableIsNeverDueAndTheTickAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long t = T0;
        for (int i = 0; i < 20_000; i++) { // warm up past the allocation of the first calls
            assertFalse(device.timersDue(t += 100_000_000L));
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        boolean any = false;
        for (int i = 0; i < 100_000; i++) { // ~2.8 h of 100 ms ticks
            any |= device.timersDue(t += 100_000_000L);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertFalse(any);
        assertEquals(0, allocated, "bytes allocated by 100,000 idle ticks of " + PEERS + " peers");
    }

    @Test
    void deadlineArmedOnTheDataPathIsDueThenFiredByOneWalk() {
        PeerTest.only(first.encapsulate(Packets.ipv4(60, 2, 1), T0)); // initiation: retransmit armed
        assertFalse(device.timersDue(T0 + ProtocolTimers.REKEY_TIMEOUT - 1), "before REKEY_TIMEOUT");
        long late = T0 + ProtocolTimers.REKEY_TIMEOUT + S / 2; // past any jitter (< 1/3 s)
        assertTrue(device.timersDue(late));
        device.updateTimers(late, sink);
        assertEquals(List.of(first), firedPeers, "only the peer with a due deadline reaches the sink");
        Outcome.Send retry = assertInstanceOf(Outcome.Send.class, fired.get(0));
        assertSame(Outcome.SendKind.INITIATION, retry.kind());
        assertFalse(device.timersDue(late), "the walk left the next retransmit as the bound");
        assertFalse(device.timersDue(late + ProtocolTimers.REKEY_TIMEOUT - 1));
        assertTrue(device.timersDue(late + ProtocolTimers.REKEY_TIMEOUT + S / 2));
    }

    @Test
    void staleBoundCostsOneWalkThatFiresNothing() {
        PeerTest.only(first.encapsulate(Packets.ipv4(60, 2, 1), T0));
        long late = T0 + ProtocolTimers.REKEY_TIMEOUT + S / 2;
        first.updateTimers(T0 + S); // a direct call outside a walk fires nothing and changes no bound
        assertTrue(device.timersDue(late));
        // The only armed peer goes away: the bound is stale (early), one walk clears it.
        device.removePeer(firstKey);
        device.updateTimers(late, sink);
        assertTrue(fired.isEmpty());
        assertFalse(device.timersDue(late + 1000 * S), "nothing armed any more");
    }

    @Test
    void failedWalkWalksAgainAtTheNextTick() {
        PeerTest.only(first.encapsulate(Packets.ipv4(60, 2, 1), T0));
        long late = T0 + ProtocolTimers.REKEY_TIMEOUT + S / 2;
        Device.TimerSink failing = (peer, actions, now) -> {
            throw new IllegalStateException("sink failed");
        };
        assertThrows(IllegalStateException.class, () -> device.updateTimers(late, failing));
        assertTrue(device.timersDue(late), "peers after the failure were not offered: walk again");
    }
}
