package io.warren.tun.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The sockaddr and cmsg layouts as the kernel writes them (native byte order, x86_64). */
class UdpWireTest {
    /** A buffer as recvmmsg leaves its name or control area: native order, at offset 8 of a larger one. */
    private static ByteBuffer area() {
        return ByteBuffer.allocate(128).order(ByteOrder.nativeOrder());
    }

    private static void sockaddrIn(ByteBuffer b, int at, byte[] v4, int port) {
        b.putShort(at, (short) UdpLibC.AF_INET);
        b.put(at + 2, (byte) (port >>> 8)).put(at + 3, (byte) port);
        for (int i = 0; i < 4; i++) {
            b.put(at + 4 + i, v4[i]);
        }
        b.putLong(at + 8, 0x1122334455667788L); // sin_zero: ignored
    }

    private static void sockaddrIn6(ByteBuffer b, int at, byte[] v6, int port, int scope) {
        b.putShort(at, (short) UdpLibC.AF_INET6);
        b.put(at + 2, (byte) (port >>> 8)).put(at + 3, (byte) port);
        b.putInt(at + 4, 0x0abcdef0); // flow info: ignored
        for (int i = 0; i < 16; i++) {
            b.put(at + 8 + i, v6[i]);
        }
        b.putInt(at + 24, scope);
    }

    private static UdpSource parsed(ByteBuffer b, int at, int len) {
        UdpSource s = new UdpSource();
        assertTrue(UdpWire.parseSource(b, at, len, s));
        return s;
    }

    @Test
    void ipv4SourceMatchesItsEndpointAndBuildsAnIpv4Address() throws Exception {
        ByteBuffer b = area();
        sockaddrIn(b, 8, new byte[] {(byte) 198, 51, 100, (byte) 201}, 51820);
        UdpSource s = parsed(b, 8, UdpWire.SOCKADDR_IN);
        InetSocketAddress want = new InetSocketAddress(InetAddress.getByName("198.51.100.201"), 51820);
        assertTrue(s.matches(UdpEndpoint.of(want)));
        assertFalse(s.matches(UdpEndpoint.of(new InetSocketAddress(want.getAddress(), 51821))));
        assertFalse(s.matches(UdpEndpoint.of(new InetSocketAddress(InetAddress.getByName("198.51.100.202"), 51820))));
        assertFalse(s.matches(null));
        assertEquals(want, s.address());
        assertInstanceOf(Inet4Address.class, s.address().getAddress());
        assertTrue(s.isIpv4());
        assertEquals(51820, s.port());
    }

    @Test
    void ipv4MappedSourceOfADualStackSocketIsTheIpv4Endpoint() throws Exception {
        ByteBuffer b = area();
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[13] = 1;
        mapped[14] = 2;
        mapped[15] = 3;
        sockaddrIn6(b, 0, mapped, 65535, 0);
        UdpSource s = parsed(b, 0, UdpWire.SOCKADDR_IN6);
        InetSocketAddress want = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 65535);
        assertTrue(s.matches(UdpEndpoint.of(want)));
        assertEquals(want, s.address());
        assertInstanceOf(Inet4Address.class, s.address().getAddress());
    }

    @Test
    void ipv6SourceWithScopeIdKeepsIt() throws Exception {
        ByteBuffer b = area();
        byte[] ll = InetAddress.getByName("fe80::1234:5678:9abc:def0").getAddress();
        sockaddrIn6(b, 16, ll, 1, 7);
        UdpSource s = parsed(b, 16, UdpWire.SOCKADDR_IN6);
        Inet6Address a = assertInstanceOf(Inet6Address.class, s.address().getAddress());
        assertEquals(7, a.getScopeId());
        assertTrue(s.matches(UdpEndpoint.of(new InetSocketAddress(Inet6Address.getByAddress(null, ll, 7), 1))));
        assertFalse(s.matches(UdpEndpoint.of(new InetSocketAddress(Inet6Address.getByAddress(null, ll, 8), 1))));
        assertFalse(s.matches(UdpEndpoint.of(new InetSocketAddress(InetAddress.getByAddress(ll), 1))));

        byte[] global = InetAddress.getByName("2001:db8:ffff::8000:1").getAddress();
        sockaddrIn6(b, 16, global, 443, 0);
        UdpSource g = parsed(b, 16, UdpWire.SOCKADDR_IN6);
        assertEquals(new InetSocketAddress(InetAddress.getByAddress(global), 443), g.address());
        assertFalse(g.isIpv4());
    }

    @Test
    void theSameSourceBuildsItsAddressOnce() throws Exception {
        ByteBuffer b = area();
        sockaddrIn(b, 0, new byte[] {127, 0, 0, 1}, 9);
        UdpSource s = parsed(b, 0, UdpWire.SOCKADDR_IN);
        UdpEndpoint first = s.endpoint();
        assertTrue(UdpWire.parseSource(b, 0, UdpWire.SOCKADDR_IN, s));
        assertSame(first, s.endpoint());
        sockaddrIn(b, 0, new byte[] {127, 0, 0, 2}, 9);
        assertTrue(UdpWire.parseSource(b, 0, UdpWire.SOCKADDR_IN, s));
        assertNotSame(first, s.endpoint());
    }

    @Test
    void shortOrForeignSocketAddressesAreRefused() {
        ByteBuffer b = area();
        UdpSource s = new UdpSource();
        sockaddrIn(b, 0, new byte[] {1, 2, 3, 4}, 5);
        assertFalse(UdpWire.parseSource(b, 0, UdpWire.SOCKADDR_IN - 1, s), "cut IPv4");
        assertFalse(UdpWire.parseSource(b, 0, 0, s), "no name at all");
        assertFalse(UdpWire.parseSource(b, 120, 16, s), "past the buffer");
        sockaddrIn6(b, 0, new byte[16], 5, 0);
        assertFalse(UdpWire.parseSource(b, 0, 24, s), "cut IPv6");
        b.putShort(0, (short) 1); // AF_UNIX
        assertFalse(UdpWire.parseSource(b, 0, 28, s), "not IP");
    }

    /** Writes a cmsghdr with {@code dataLength} bytes of data at {@code at}; returns the next aligned offset. */
    private static int cmsg(ByteBuffer b, int at, long len, int level, int type, int value) {
        b.putLong(at, len).putInt(at + 8, level).putInt(at + 12, type);
        if (len >= 20) {
            b.putInt(at + 16, value);
        }
        return at + (int) ((len + 7) & ~7);
    }

    @Test
    void groSegmentSizeIsFoundAmongControlMessages() {
        ByteBuffer b = area();
        int end = cmsg(b, 0, 20, UdpLibC.SOL_UDP, UdpLibC.UDP_GRO, 1452);
        assertEquals(24, end);
        assertEquals(1452, UdpWire.groSegmentSize(b, 0, end));
        // after an unrelated message (IP_TOS, one byte), at a non-zero offset
        int at = cmsg(b, 8, 17, 0, 1, 0);
        int after = cmsg(b, at, 20, UdpLibC.SOL_UDP, UdpLibC.UDP_GRO, 1280);
        assertEquals(1280, UdpWire.groSegmentSize(b, 8, after - 8));
        assertEquals(0, UdpWire.groSegmentSize(b, 8, at - 8), "no GRO message: a plain datagram");
        assertEquals(0, UdpWire.groSegmentSize(b, 0, 0), "no control data");
        assertEquals(0, UdpWire.groSegmentSize(b, 0, 7), "a tail shorter than a header holds nothing");
    }

    @Test
    void malformedControlDataIsReportedNeverThrown() {
        ByteBuffer b = area();
        cmsg(b, 0, 20, UdpLibC.SOL_UDP, UdpLibC.UDP_GRO, 1452);
        assertEquals(UdpWire.MALFORMED, UdpWire.groSegmentSize(b, 0, 18), "cmsg_len past the control data");
        cmsg(b, 0, 8, UdpLibC.SOL_UDP, UdpLibC.UDP_GRO, 0);
        assertEquals(UdpWire.MALFORMED, UdpWire.groSegmentSize(b, 0, 24), "cmsg_len shorter than its header");
        cmsg(b, 0, 18, UdpLibC.SOL_UDP, UdpLibC.UDP_GRO, 0);
        b.putShort(16, (short) 1400);
        assertEquals(UdpWire.MALFORMED, UdpWire.groSegmentSize(b, 0, 24), "GRO data cut to two bytes");
        cmsg(b, 0, 20, UdpLibC.SOL_UDP, UdpLibC.UDP_GRO, 0);
        assertEquals(UdpWire.MALFORMED, UdpWire.groSegmentSize(b, 0, 24), "segment size 0");
        cmsg(b, 0, 20, UdpLibC.SOL_UDP, UdpLibC.UDP_GRO, -5);
        assertEquals(UdpWire.MALFORMED, UdpWire.groSegmentSize(b, 0, 24), "negative segment size");
        b.putLong(0, Long.MAX_VALUE);
        assertEquals(UdpWire.MALFORMED, UdpWire.groSegmentSize(b, 0, 24), "absurd cmsg_len");
        assertEquals(UdpWire.MALFORMED, UdpWire.groSegmentSize(b, 120, 24), "past the buffer");
    }

    @Test
    void unresolvedEndpointMatchesNothing() {
        ByteBuffer b = area();
        sockaddrIn(b, 0, new byte[] {0, 0, 0, 0}, 0);
        UdpSource s = parsed(b, 0, UdpWire.SOCKADDR_IN);
        assertFalse(s.matches(UdpEndpoint.of(InetSocketAddress.createUnresolved("example.invalid", 0))));
    }
}
