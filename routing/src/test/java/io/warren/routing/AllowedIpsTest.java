package io.warren.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cryptokey routing: ownership moves, removals, atomic replace and the inbound source check. */
class AllowedIpsTest {

    /** A peer as the gateway would hold it; identity matters, fields are non-zero. */
    private record Peer(String name, int index) {
    }

    private static final Peer ALICE = new Peer("alice", 7);
    private static final Peer BOB = new Peer("bob", 9);

    private static int v4(String a) {
        return IpPrefix.of(a).v4Address();
    }

    @Test
    void insertingAPrefixHeldByAnotherPeerMovesIt() {
        AllowedIps<Peer> t = new AllowedIps<>();
        t.insert(IpPrefix.of("10.1.0.0/16"), ALICE);
        t.insert(IpPrefix.of("10.1.2.0/24"), ALICE);
        t.insert(IpPrefix.of("10.1.2.0/24"), BOB);
        assertEquals(BOB, t.lookupV4(v4("10.1.2.3")));
        assertEquals(ALICE, t.lookupV4(v4("10.1.3.3")));
        assertEquals(List.of(IpPrefix.of("10.1.0.0/16")), t.prefixes(ALICE));
        assertEquals(List.of(IpPrefix.of("10.1.2.0/24")), t.prefixes(BOB));
        assertEquals(2, t.size());
    }

    @Test
    void removeByPeerLeavesOtherPeersAndUncoversShorterPrefixes() {
        AllowedIps<Peer> t = new AllowedIps<>();
        t.insert(IpPrefix.of("0.0.0.0/0"), ALICE);
        t.insert(IpPrefix.of("192.0.2.0/24"), BOB);
        t.insert(IpPrefix.of("2001:db8::/32"), BOB);
        IpPrefix six = IpPrefix.of("2001:db8::77");
        assertEquals(BOB, t.lookupV6(six.hi(), six.lo()));
        t.removeByPeer(BOB);
        assertEquals(ALICE, t.lookupV4(v4("192.0.2.1")));
        assertNull(t.lookupV6(six.hi(), six.lo()));
        assertEquals(List.of(), t.prefixes(BOB));
        assertEquals(List.of(ALICE), t.peers());
        t.removeByPeer(BOB); // idempotent
        assertEquals(ALICE, t.remove(IpPrefix.of("0.0.0.0/0")));
        assertNull(t.remove(IpPrefix.of("0.0.0.0/0")));
        assertEquals(0, t.size());
        assertEquals(List.of(), t.peers());
    }

    @Test
    void replaceSetsExactlyTheNewListAndTakesFromOthers() {
        AllowedIps<Peer> t = new AllowedIps<>();
        t.insert(IpPrefix.of("10.0.0.0/24"), ALICE);
        t.insert(IpPrefix.of("10.0.1.0/24"), ALICE);
        t.insert(IpPrefix.of("10.0.9.0/24"), BOB);
        t.replace(ALICE, List.of(IpPrefix.of("10.0.1.0/24"), IpPrefix.of("10.0.9.0/24"), IpPrefix.of("fd00::/8")));
        assertNull(t.lookupV4(v4("10.0.0.1")), "dropped from the list");
        assertEquals(ALICE, t.lookupV4(v4("10.0.1.1")));
        assertEquals(ALICE, t.lookupV4(v4("10.0.9.1")), "taken from bob");
        assertEquals(List.of(), t.prefixes(BOB));
        assertEquals(3, t.prefixes(ALICE).size());
        t.replace(ALICE, List.of());
        assertEquals(0, t.size());
    }

    @Test
    void readersNeverSeeAHalfAppliedReplace() throws InterruptedException {
        AllowedIps<Peer> t = new AllowedIps<>();
        List<IpPrefix> whole = List.of(IpPrefix.of("10.0.0.0/8"));
        List<IpPrefix> halves = List.of(IpPrefix.of("10.0.0.0/9"), IpPrefix.of("10.128.0.0/9"));
        t.replace(ALICE, whole);
        int probe = v4("10.1.2.3");
        int[] misses = {0};
        Thread reader = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (t.lookupV4(probe) != ALICE) {
                    misses[0]++;
                }
            }
        });
        reader.start();
        for (int i = 0; i < 500; i++) {
            t.replace(ALICE, i % 2 == 0 ? halves : whole);
        }
        reader.interrupt();
        reader.join();
        assertEquals(0, misses[0], "the address belongs to alice before and after every replace");
    }

    @Test
    void sourceCheckForDecryptedPackets() {
        AllowedIps<Peer> t = new AllowedIps<>();
        t.insert(IpPrefix.of("10.0.0.0/8"), ALICE);
        t.insert(IpPrefix.of("10.66.0.0/16"), BOB);
        t.insert(IpPrefix.of("fd00:1::/48"), BOB);
        assertTrue(t.allowsSourceV4(ALICE, v4("10.1.1.1")));
        assertFalse(t.allowsSourceV4(ALICE, v4("10.66.1.1")), "more specific belongs to bob");
        assertTrue(t.allowsSourceV4(BOB, v4("10.66.1.1")));
        assertFalse(t.allowsSourceV4(BOB, v4("11.0.0.1")), "no owner");
        assertTrue(t.allowsSourceV4(new Peer("bob", 9), v4("10.66.1.1")), "equal peer object");
        IpPrefix src = IpPrefix.of("fd00:1::5");
        assertTrue(t.allowsSourceV6(BOB, src.hi(), src.lo()));
        assertFalse(t.allowsSourceV6(ALICE, src.hi(), src.lo()));

        ByteBuffer ip = ByteBuffer.allocate(40);
        ip.put(12, (byte) 10).put(13, (byte) 66).put(14, (byte) 3).put(15, (byte) 4);
        assertTrue(t.allowsSourceV4(BOB, ip, 12));
        assertEquals(BOB, t.lookupV4(ip, 12));
        assertFalse(t.allowsSourceV4(BOB, ip, 38), "truncated packet is not allowed");
        byte[] a = src.address();
        for (int i = 0; i < 16; i++) {
            ip.put(8 + i, a[i]);
        }
        assertTrue(t.allowsSourceV6(BOB, ip, 8));
        assertEquals(BOB, t.lookupV6(ip, 8));
        assertFalse(t.allowsSourceV6(BOB, ip, 30));
    }
}
