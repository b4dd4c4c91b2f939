package io.warren.crypto.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.noise.SessionKeys;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** previous/current/next rotation as wireguard-go's BeginSymmetricSession and ReceivedWithKeypair. */
class KeypairsTest {
    private final List<Integer> removed = new ArrayList<>();
    private final Keypairs keypairs = new Keypairs(kp -> removed.add(kp.localIndex()));

    private static Keypair keypair(int localIndex, boolean initiator) {
        byte[] send = new byte[32];
        byte[] receive = new byte[32];
        java.util.Arrays.fill(send, (byte) localIndex);
        java.util.Arrays.fill(receive, (byte) ~localIndex);
        return new Keypair(new SessionKeys(send, receive, localIndex, localIndex + 1000, initiator), 77L,
                AeadImplementation.BOUNCY_CASTLE);
    }

    @Test
    void initiatorKeypairGoesStraightToCurrent() {
        Keypair k1 = keypair(1, true);
        Keypair k2 = keypair(2, true);
        Keypair k3 = keypair(3, true);
        keypairs.install(k1);
        assertSame(k1, keypairs.current());
        keypairs.install(k2);
        assertSame(k2, keypairs.current());
        assertSame(k1, keypairs.previous());
        keypairs.install(k3);
        assertSame(k2, keypairs.previous());
        assertEquals(List.of(1), removed);
        assertTrue(k1.isDestroyed());
    }

    @Test
    void responderKeypairWaitsInNextUntilConfirmed() {
        Keypair k1 = keypair(1, true);
        Keypair k2 = keypair(2, false);
        keypairs.install(k1);
        keypairs.install(k2);
        assertSame(k1, keypairs.current());
        assertSame(k2, keypairs.next());
        assertFalse(keypairs.received(k1), "data on current confirms nothing");
        assertTrue(keypairs.received(k2));
        assertSame(k2, keypairs.current());
        assertSame(k1, keypairs.previous());
        assertNull(keypairs.next());
        assertFalse(keypairs.received(k2), "only once");
    }

    @Test
    void responderDropsPreviousAndUnconfirmedNext() {
        Keypair k1 = keypair(1, true);
        Keypair k2 = keypair(2, true);
        keypairs.install(k1);
        keypairs.install(k2); // previous = k1
        Keypair r1 = keypair(3, false);
        keypairs.install(r1);
        assertNull(keypairs.previous());
        assertEquals(List.of(1), removed);
        Keypair r2 = keypair(4, false);
        keypairs.install(r2); // replaces the unconfirmed next
        assertSame(r2, keypairs.next());
        assertEquals(List.of(1, 3), removed);
        assertSame(r2, keypairs.byLocalIndex(4));
        assertSame(k2, keypairs.byLocalIndex(2));
        assertNull(keypairs.byLocalIndex(3));
    }

    @Test
    void initiatorWithPendingNextMovesNextToPrevious() {
        Keypair k1 = keypair(1, true);
        Keypair r = keypair(2, false);
        Keypair k3 = keypair(3, true);
        keypairs.install(k1);
        keypairs.install(r);
        keypairs.install(k3);
        assertSame(k3, keypairs.current());
        assertSame(r, keypairs.previous());
        assertNull(keypairs.next());
        assertEquals(List.of(1), removed);
        keypairs.clear();
        assertEquals(List.of(1, 2, 3), removed);
        assertNull(keypairs.current());
    }
}
