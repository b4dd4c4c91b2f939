package io.warren.crypto.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Random local indices without collision, lookup, hand-over and removal. */
class IndexTableTest {

    @Test
    void collidingRandomIndexIsRetried() {
        IndexTable<String> t = new IndexTable<>();
        ScriptedRandom rnd = new ScriptedRandom(0x7a, 0x7a, 0x7a, 0x80000001);
        assertEquals(0x7a, t.allocate("handshake-1", rnd));
        assertEquals(0x80000001, t.allocate("handshake-2", rnd), "two collisions skipped");
        assertEquals("handshake-1", t.lookup(0x7a));
        assertEquals("handshake-2", t.lookup(0x80000001));
        assertNull(t.lookup(5));
        assertEquals(2, t.size());
    }

    @Test
    void replaceAndRemoveRespectTheOwner() {
        IndexTable<String> t = new IndexTable<>();
        int i = t.allocate("handshake", new ScriptedRandom(0x1234));
        assertFalse(t.replace(i, "someone-else", "keypair"));
        assertTrue(t.replace(i, "handshake", "keypair"));
        assertEquals("keypair", t.lookup(i));
        assertFalse(t.remove(i, "handshake"));
        assertTrue(t.remove(i, "keypair"));
        assertFalse(t.remove(i));
        assertEquals(0, t.size());
    }
}
