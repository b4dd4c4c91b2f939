package io.warren.gateway.unixsocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Connection admission, pure: limits per user, reserved slots, who is displaced. */
class AdmissionTest {
    private static final Peer ALICE = new Peer("alice", false);
    private static final Peer BOB = new Peer("bob", false);
    private static final Peer ROOT = new Peer("root", true);

    private final Set<String> busy = new HashSet<>();
    private final Admission<String> admission = new Admission<>(6, 2, 2);

    private Admission.Decision<String> decide(Peer peer) {
        return admission.decide(peer, c -> !busy.contains(c));
    }

    /** Admits {@code name} for {@code peer} like the reactor does; returns the displaced one or null. */
    private String connect(Peer peer, String name) {
        Admission.Decision<String> d = decide(peer);
        assertTrue(d.admit(), name + " admitted");
        if (d.victim() != null) {
            admission.remove(d.victim());
        }
        admission.add(peer, name);
        return d.victim();
    }

    @Test
    void aUserOverItsShareDisplacesItsOwnOldestIdleConnection() {
        assertNull(connect(ALICE, "a1"));
        assertNull(connect(ALICE, "a2"));
        assertNull(connect(BOB, "b1"));
        assertEquals("a1", connect(ALICE, "a3"));
        busy.add("a2");
        assertEquals("a3", connect(ALICE, "a4"), "busy connections are never displaced");
        busy.add("a4");
        assertFalse(decide(ALICE).admit(), "nothing of its own to displace: refused");
        assertEquals(1, admission.of("bob"), "another user's connection is never touched");
    }

    @Test
    void unprivilegedUsersTogetherLeaveTheReservedSlotsAlone() {
        connect(ALICE, "a1");
        connect(ALICE, "a2");
        connect(BOB, "b1");
        connect(BOB, "b2");
        busy.addAll(Set.of("a1", "a2", "b1", "b2"));
        assertFalse(decide(new Peer("carol", false)).admit(), "4 = 6 - 2 reserved: full for the unprivileged");
        assertNull(connect(ROOT, "r1"));
        assertNull(connect(ROOT, "r2"));
        assertEquals(6, admission.total());
    }

    @Test
    void aPrivilegedNewcomerOverTheTotalDisplacesUnprivilegedIdleConnectionsFirst() {
        connect(ROOT, "r1");
        connect(ALICE, "a1");
        connect(ALICE, "a2");
        connect(BOB, "b1");
        connect(ROOT, "r2");
        connect(ROOT, "r3");
        assertEquals("a1", connect(ROOT, "r4"), "oldest idle unprivileged, though r1 is older");
        busy.addAll(Set.of("a2", "b1"));
        assertEquals("r1", connect(ROOT, "r5"), "then the oldest idle of anybody");
        busy.addAll(Set.of("r2", "r3", "r4", "r5"));
        assertFalse(decide(ROOT).admit(), "all busy: refused");
    }

    @Test
    void removeIsIdempotentAndFreesTheSlot() {
        connect(ALICE, "a1");
        connect(ALICE, "a2");
        admission.remove("a1");
        admission.remove("a1");
        assertEquals(1, admission.of("alice"));
        assertEquals(1, admission.total());
        assertNull(connect(ALICE, "a3"));
    }

    @Test
    void badLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Admission<String>(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Admission<String>(4, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Admission<String>(4, 1, 4));
    }
}
