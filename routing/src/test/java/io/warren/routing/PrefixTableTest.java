package io.warren.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Edge cases of {@link PrefixTable}: /0, host prefixes, nesting, removal of covering prefixes. */
class PrefixTableTest {

    private static int v4(String a) {
        return IpPrefix.of(a + "/32").v4Address();
    }

    @Test
    void defaultRouteAndHostRoutesV4() {
        PrefixTable<String> t = new PrefixTable<>();
        t.put(IpPrefix.of("0.0.0.0/0"), "default");
        t.put(IpPrefix.of("255.255.255.255/32"), "bcast");
        t.put(IpPrefix.of("192.0.2.77/32"), "host");
        assertEquals("default", t.lookupV4(v4("198.51.100.9")));
        assertEquals("bcast", t.lookupV4(-1));
        assertEquals("default", t.lookupV4(v4("255.255.255.254")));
        assertEquals("host", t.lookupV4(v4("192.0.2.77")));
        assertEquals("default", t.lookupV4(v4("192.0.2.76")));
        assertEquals(3, t.size());
    }

    @Test
    void defaultRouteAndHostRoutesV6() {
        PrefixTable<String> t = new PrefixTable<>();
        t.put(IpPrefix.of("::/0"), "default");
        IpPrefix host = IpPrefix.of("2001:db8:1:2:3:4:5:6/128");
        t.put(host, "host");
        t.put(IpPrefix.of("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"), "last");
        assertEquals("host", t.lookupV6(host.hi(), host.lo()));
        assertEquals("default", t.lookupV6(host.hi(), host.lo() ^ 1));
        assertEquals("last", t.lookupV6(-1, -1));
        assertEquals("default", t.lookupV6(-1, -2));
        assertNull(t.lookupV4(1), "families are separate");
    }

    @Test
    void nestedPrefixesAndRemovalOfTheCoveringOne() {
        PrefixTable<String> t = new PrefixTable<>();
        t.put(IpPrefix.of("10.0.0.0/8"), "a");
        t.put(IpPrefix.of("10.1.0.0/16"), "b");
        t.put(IpPrefix.of("10.1.2.0/23"), "c");
        t.put(IpPrefix.of("10.1.3.128/25"), "d");
        assertEquals("d", t.lookupV4(v4("10.1.3.200")));
        assertEquals("c", t.lookupV4(v4("10.1.3.1")));
        assertEquals("c", t.lookupV4(v4("10.1.2.1")));
        assertEquals("b", t.lookupV4(v4("10.1.4.1")));
        assertEquals("a", t.lookupV4(v4("10.2.0.1")));
        assertNull(t.lookupV4(v4("11.0.0.1")));

        assertEquals("a", t.remove(IpPrefix.of("10.0.0.0/8")));
        assertNull(t.lookupV4(v4("10.2.0.1")));
        assertEquals("b", t.lookupV4(v4("10.1.4.1")), "covered prefixes survive");
        assertEquals("d", t.lookupV4(v4("10.1.3.200")));

        assertEquals("c", t.remove(IpPrefix.of("10.1.2.0/23")));
        assertEquals("b", t.lookupV4(v4("10.1.3.1")));
        assertNull(t.remove(IpPrefix.of("10.1.2.0/23")), "second remove finds nothing");
        assertNull(t.remove(IpPrefix.of("10.1.2.0/24")), "a covered but absent prefix");
        assertEquals(2, t.size());

        assertNull(t.put(IpPrefix.of("10.0.0.0/8"), "a2"), "re-insert");
        assertEquals("a2", t.lookupV4(v4("10.2.0.1")));
        assertEquals("a2", t.put(IpPrefix.of("10.0.0.0/8"), "a3"), "replace returns the old value");
        assertEquals("a3", t.get(IpPrefix.of("10.0.0.0/8")));
        assertNull(t.get(IpPrefix.of("10.0.0.0/9")), "get is exact");
        assertEquals(3, t.size());
    }

    @Test
    void prefixesOnEveryStrideBoundary() {
        PrefixTable<Integer> t = new PrefixTable<>();
        int a = v4("172.31.250.129");
        for (int len = 0; len <= 32; len++) {
            t.put(IpPrefix.v4(a, len), len);
        }
        for (int len = 0; len <= 32; len++) {
            // an address that matches exactly the first len bits of a
            int probe = len == 32 ? a : a ^ (1 << (31 - len));
            assertEquals(len, t.lookupV4(probe), "len " + len);
        }
        IpPrefix six = IpPrefix.of("2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff/128");
        for (int len = 0; len <= 128; len++) {
            t.put(IpPrefix.v6(six.hi(), six.lo(), len), 1000 + len);
        }
        for (int len = 0; len <= 128; len++) {
            long hi = six.hi();
            long lo = six.lo();
            if (len < 64) {
                hi ^= 1L << (63 - len);
            } else if (len < 128) {
                lo ^= 1L << (127 - len);
            }
            assertEquals(1000 + len, t.lookupV6(hi, lo), "v6 len " + len);
        }
        assertEquals(33 + 129, t.size());
        List<IpPrefix> all = t.prefixes();
        assertEquals(162, all.size());
        assertTrue(all.contains(IpPrefix.of("172.31.250.128/25")));
    }

    @Test
    void lookupFromBuffersInAnyByteOrderAndOutOfRange() {
        PrefixTable<String> t = new PrefixTable<>();
        t.put(IpPrefix.of("198.51.100.0/24"), "v4");
        t.put(IpPrefix.of("2001:db8::/32"), "v6");
        ByteBuffer buf = ByteBuffer.allocateDirect(40);
        buf.put(16, (byte) 198).put(17, (byte) 51).put(18, (byte) 100).put(19, (byte) 7);
        byte[] six = IpPrefix.of("2001:db8:0:1::9/128").address();
        for (int i = 0; i < 16; i++) {
            buf.put(24 + i, six[i]);
        }
        assertEquals("v4", t.lookupV4(buf, 16));
        assertEquals("v6", t.lookupV6(buf, 24));
        buf.order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("v4", t.lookupV4(buf, 16), "byte order of the buffer is ignored");
        assertEquals("v6", t.lookupV6(buf, 24));
        assertNull(t.lookupV4(buf, 37), "truncated");
        assertNull(t.lookupV6(buf, 25), "truncated");
        assertNull(t.lookupV4(buf, -1), "negative offset");
        assertEquals(0, buf.position(), "position untouched");
    }

    @Test
    void batchUpdateIsPublishedOnceAndNullIsNotAValue() {
        PrefixTable<String> t = new PrefixTable<>();
        t.update(e -> {
            e.put(IpPrefix.of("10.0.0.0/8"), "x");
            assertEquals("x", e.get(IpPrefix.of("10.0.0.0/8")), "editor sees its own changes");
            assertNull(t.get(IpPrefix.of("10.0.0.0/8")), "readers do not, yet");
            e.put(IpPrefix.of("fd00::/8"), "y");
        });
        assertEquals(2, t.size());
        assertThrows(IllegalArgumentException.class, () -> t.put(IpPrefix.of("10.0.0.0/8"), null));
        t.clear();
        assertEquals(0, t.size());
        assertNull(t.lookupV4(v4("10.0.0.1")));
    }

    @Test
    void statsCountNodesAndBytes() {
        PrefixTable<String> t = new PrefixTable<>();
        assertEquals(2, t.stats().nodesV4() + t.stats().nodesV6());
        t.put(IpPrefix.of("10.20.30.0/24"), "x");
        PrefixTable.Stats s = t.stats();
        assertEquals(4, s.nodesV4(), "a /24 lives at depth 3: root + 3 nodes");
        assertTrue(s.bytesV4() > 4 * 56 && s.bytesV4() < 4 * 200, "bytes " + s.bytesV4());
    }
}
