package io.warren.gateway.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.gateway.uapi.UapiKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tap-to-timer queue under a flood from one authenticated peer. */
class CoordInboxTest {
    private static UapiKey key(int n) {
        byte[] b = new byte[32];
        b[0] = (byte) n;
        return UapiKey.of(b);
    }

    @Test
    void aFloodingPeerCannotPushOutEveryoneElse() {
        CoordInbox inbox = new CoordInbox(256, 16);
        UapiKey mallory = key(9);
        int accepted = 0;
        for (int i = 0; i < 10_000; i++) {
            accepted += inbox.offer(mallory, new CoordMessage.Hello(i)) ? 1 : 0;
        }
        assertEquals(16, accepted, "one sender gets its share, not the whole queue");
        for (int spoke = 1; spoke <= 8; spoke++) {
            assertTrue(inbox.offer(key(spoke), new CoordMessage.Hello(1_000 + spoke)), "spoke " + spoke + " still heard");
        }
        List<UapiKey> from = new ArrayList<>();
        for (CoordInbox.Received r; (r = inbox.poll()) != null; ) {
            from.add(r.from());
        }
        assertEquals(24, from.size());
        assertEquals(0, inbox.senders(), "nothing left behind once drained");
        assertTrue(inbox.offer(mallory, new CoordMessage.Hello(1)), "after a drain the share is free again");
    }

    @Test
    void theQueueStaysBoundedWithManySenders() {
        CoordInbox inbox = new CoordInbox(32, 4);
        int accepted = 0;
        for (int i = 0; i < 1_000; i++) {
            accepted += inbox.offer(key(i % 250), new CoordMessage.Hello(i)) ? 1 : 0;
        }
        assertEquals(32, accepted);
        assertFalse(inbox.offer(key(251), new CoordMessage.Hello(0)));
        assertTrue(inbox.senders() <= 32, "refused senders hold no share");
        for (int i = 0; i < 32; i++) {
            inbox.poll();
        }
        assertNull(inbox.poll());
        assertEquals(0, inbox.senders());
    }
}
