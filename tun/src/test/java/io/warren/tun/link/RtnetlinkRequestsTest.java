package io.warren.tun.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/**
 * Byte-for-byte encodings (little-endian host, as on x86_64 and arm64): nlmsghdr 16 bytes, ifinfomsg 16,
 * ifaddrmsg 8, rtmsg 12, rtattr 4-byte header padded to 4. Expected bytes are written field by field
 * from the struct layouts of linux/netlink.h, linux/rtnetlink.h and linux/if_addr.h.
 */
class RtnetlinkRequestsTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[\\s|]", ""));
    }

    private static byte[] ip(String literal) throws Exception {
        return InetAddress.getByName(literal).getAddress();
    }

    @Test
    void setMtuIsSetlinkByNameWithIflaMtu() {
        byte[] expected = hex("30000000 1300 0500 0d0c0b0a 00000000"   // nlmsghdr len 48, RTM_SETLINK, REQUEST|ACK
                + "00 00 0000 00000000 00000000 00000000"             // ifinfomsg: by name, no flag change
                + "0800 0300 77743000"                                // IFLA_IFNAME "wt0\0"
                + "0800 0400 28230000");                              // IFLA_MTU 9000
        assertArrayEquals(expected, RtnetlinkRequests.setMtu(0x0a0b0c0d, "wt0", 9000, LE));
    }

    @Test
    void setIpv4ForwardingNestsDevconfUnderAfSpecAndAfInet() {
        byte[] expected = hex("3c000000 1300 0500 0d0c0b0a 00000000"   // len 60, RTM_SETLINK, REQUEST|ACK
                + "00 00 0000 00000000 00000000 00000000"
                + "0800 0300 77743000"                                // IFLA_IFNAME "wt0\0"
                + "1400 1a00"                                         // IFLA_AF_SPEC (26), len 20
                + "1000 0200"                                         //   AF_INET, len 16
                + "0c00 0100"                                         //     IFLA_INET_CONF, len 12
                + "0800 0100 01000000");                              //       [IPV4_DEVCONF_FORWARDING] = 1
        assertArrayEquals(expected, RtnetlinkRequests.setIpv4Forwarding(0x0a0b0c0d, "wt0", true, LE));
        byte[] off = RtnetlinkRequests.setIpv4Forwarding(0x0a0b0c0d, "wt0", false, LE);
        assertEquals(0, off[off.length - 4]);
    }

    @Test
    void setUpAndDownChangeOnlyIffUp() {
        byte[] up = hex("2c000000 1300 0500 04030201 00000000"
                + "00 00 0000 00000000 01000000 01000000"             // ifi_flags IFF_UP, ifi_change IFF_UP
                + "0a00 0300 75706c6e6b00 0000");                     // "uplnk\0" (len 10) padded to 12
        assertArrayEquals(up, RtnetlinkRequests.setUp(0x01020304, "uplnk", true, LE));
        byte[] down = RtnetlinkRequests.setUp(0x01020304, "uplnk", false, LE);
        assertEquals(0, down[16 + 8]);
        assertEquals(1, down[16 + 12]);
    }

    @Test
    void getLinkByName() {
        byte[] expected = hex("34000000 1200 0500 78563412 00000000"  // len 52, RTM_GETLINK, REQUEST|ACK
                + "00 00 0000 00000000 00000000 00000000"
                + "1400 0300 6162636465666768696a6b6c6d6e6f00");      // 15-byte name + NUL: len 20
        assertArrayEquals(expected, RtnetlinkRequests.getLink(0x12345678, "abcdefghijklmno", LE));
    }

    @Test
    void newAddressV4() throws Exception {
        byte[] expected = hex("28000000 1400 0506 44332211 00000000"  // RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE
                + "02 18 00 00 07000000"                              // AF_INET /24 flags 0 scope universe ifindex 7
                + "0800 0200 0a010203"                                // IFA_LOCAL 10.1.2.3
                + "0800 0100 0a010203");                              // IFA_ADDRESS 10.1.2.3
        assertArrayEquals(expected, RtnetlinkRequests.newAddress(0x11223344, 7, ip("10.1.2.3"), 24, LE));
    }

    @Test
    void newAddressV6IsNodad() throws Exception {
        byte[] expected = hex("40000000 1400 0506 44332211 00000000"
                + "0a 40 02 00 07000000"                              // AF_INET6 /64 IFA_F_NODAD scope universe
                + "1400 0200 fd000000000000000000000000000001"
                + "1400 0100 fd000000000000000000000000000001");
        assertArrayEquals(expected, RtnetlinkRequests.newAddress(0x11223344, 7, ip("fd00::1"), 64, LE));
    }

    @Test
    void deleteAddressAndScopes() throws Exception {
        byte[] del = RtnetlinkRequests.deleteAddress(0x11223344, 9, ip("fe80::1"), 64, LE);
        assertArrayEquals(hex("1500 0500"), java.util.Arrays.copyOfRange(del, 4, 8));      // RTM_DELADDR, REQUEST|ACK
        assertEquals((byte) 253, del[16 + 3]);                                             // link-local: RT_SCOPE_LINK
        assertEquals(254, RtnetlinkRequests.addressScope(ip("127.0.0.9")));
        assertEquals(254, RtnetlinkRequests.addressScope(ip("::1")));
        assertEquals(0, RtnetlinkRequests.addressScope(ip("fd00::1")));
    }

    @Test
    void newRouteV4WithMetric() throws Exception {
        byte[] expected = hex("34000000 1800 0506 88776655 00000000"  // RTM_NEWROUTE, REQUEST|ACK|EXCL|CREATE
                + "02 10 00 00 fe 04 fd 01 00000000"                  // AF_INET /16, main, static, scope link, unicast
                + "0800 0100 0a090000"                                // RTA_DST 10.9.0.0
                + "0800 0400 07000000"                                // RTA_OIF 7
                + "0800 0600 64000000");                              // RTA_PRIORITY 100
        assertArrayEquals(expected, RtnetlinkRequests.newRoute(0x55667788, ip("10.9.0.0"), 16, 7, 100, LE));
    }

    @Test
    void defaultRouteV6OmitsRtaDstAndDeleteMatchesAnyScope() throws Exception {
        byte[] expected = hex("2c000000 1900 0500 88776655 00000000"  // RTM_DELROUTE, REQUEST|ACK
                + "0a 00 00 00 fe 04 ff 01 00000000"                  // AF_INET6 /0, scope nowhere
                + "0800 0400 03000000"
                + "0800 0600 e8030000");                              // metric 1000
        assertArrayEquals(expected, RtnetlinkRequests.deleteRoute(0x55667788, ip("::"), 0, 3, 1000, LE));
    }

    @Test
    void bigEndianHostsGetHostOrderHeaders() {
        byte[] be = RtnetlinkRequests.setMtu(0x0a0b0c0d, "wt0", 9000, ByteOrder.BIG_ENDIAN);
        assertArrayEquals(hex("00000030 0013 0005 0a0b0c0d"), java.util.Arrays.copyOf(be, 12));
        assertArrayEquals(hex("0008 0004 00002328"), java.util.Arrays.copyOfRange(be, 40, 48));
    }

    @Test
    void callerErrorsAreRejectedBeforeEncoding() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> RtnetlinkRequests.setMtu(1, "", 1500, LE));
        assertThrows(IllegalArgumentException.class, () -> RtnetlinkRequests.setMtu(1, "abcdefghijklmnop", 1500, LE));
        assertThrows(IllegalArgumentException.class, () -> RtnetlinkRequests.setMtu(1, "a/b", 1500, LE));
        assertThrows(IllegalArgumentException.class, () -> RtnetlinkRequests.newAddress(1, 7, ip("10.0.0.1"), 33, LE));
        assertThrows(IllegalArgumentException.class, () -> RtnetlinkRequests.newAddress(1, 7, ip("fd00::1"), -1, LE));
        assertThrows(IllegalArgumentException.class, () -> RtnetlinkRequests.newAddress(1, 0, ip("10.0.0.1"), 8, LE));
        assertThrows(IllegalArgumentException.class, () -> RtnetlinkRequests.newRoute(1, new byte[5], 8, 1, 0, LE));
        assertThrows(IllegalArgumentException.class, () -> RtnetlinkRequests.newRoute(1, ip("10.0.0.0"), 8, 1, -1, LE));
    }
}
