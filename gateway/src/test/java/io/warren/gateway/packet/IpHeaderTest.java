package io.warren.gateway.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IpHeaderTest {

    private final Bufs bufs = new Bufs();

    @AfterEach
    void release() {
        bufs.close();
    }

    @Test
    void ipv4AccessorsReadEveryField() {
        // IHL 6 with a Router Alert option, MF set, fragment offset 0x1abc units, 24 data bytes.
        ByteBuf buf = bufs.hex("462c0030 1c463abc 40060000 c0000201 c6336402 94040000"
                + "00112233445566778899aabbccddeeff0011223344556677", 3);
        Ipv4Header.updateHeaderChecksum(buf, 3);
        assertEquals(IpCheck.VALID, Ipv4Header.check(buf, 3));
        assertEquals(4, Ipv4Header.version(buf, 3));
        assertEquals(24, Ipv4Header.headerLength(buf, 3));
        assertEquals(0x2c, Ipv4Header.tos(buf, 3));
        assertEquals(0x30, Ipv4Header.totalLength(buf, 3));
        assertEquals(0x1c46, Ipv4Header.identification(buf, 3));
        assertFalse(Ipv4Header.dontFragment(buf, 3));
        assertTrue(Ipv4Header.moreFragments(buf, 3));
        assertEquals(0x1abc * 8, Ipv4Header.fragmentOffset(buf, 3));
        assertEquals(0x40, Ipv4Header.ttl(buf, 3));
        assertEquals(6, Ipv4Header.protocol(buf, 3));
        assertEquals(0xc0000201, Ipv4Header.source(buf, 3));
        assertEquals(0xc6336402, Ipv4Header.destination(buf, 3));
    }

    @Test
    void ipv4CheckRejectsEachMalformation() {
        ByteBuf good = bufs.hex(Fixtures.V4_SYN);
        assertEquals(IpCheck.VALID, Ipv4Header.check(good, 0));
        assertTrue(Ipv4Header.dontFragment(good, 0));

        ByteBuf v6 = bufs.hex("65" + Fixtures.V4_SYN.substring(2));
        assertEquals(IpCheck.BAD_VERSION, Ipv4Header.check(v6, 0));
        ByteBuf ihl = bufs.hex("44" + Fixtures.V4_SYN.substring(2));
        assertEquals(IpCheck.BAD_HEADER_LENGTH, Ipv4Header.check(ihl, 0));
        ByteBuf shortTotal = bufs.hex(Fixtures.V4_SYN.substring(0, 4) + "0013" + Fixtures.V4_SYN.substring(8));
        assertEquals(IpCheck.BAD_TOTAL_LENGTH, Ipv4Header.check(shortTotal, 0));
        ByteBuf longTotal = bufs.hex(Fixtures.V4_SYN.substring(0, 4) + "0100" + Fixtures.V4_SYN.substring(8));
        assertEquals(IpCheck.TRUNCATED, Ipv4Header.check(longTotal, 0));
        ByteBuf bigIhl = bufs.hex("4f" + Fixtures.V4_SYN.substring(2));
        assertEquals(IpCheck.TRUNCATED, Ipv4Header.check(bigIhl, 0));
        ByteBuf badSum = bufs.hex(Fixtures.V4_SYN.substring(0, 20) + "3224" + Fixtures.V4_SYN.substring(24));
        assertEquals(IpCheck.BAD_CHECKSUM, Ipv4Header.check(badSum, 0));
    }

    @Test
    void ipv4CheckTruncatedAtEveryLength() {
        byte[] full = Bufs.decode(Fixtures.V4_SYN);
        for (int n = 0; n < full.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(full, n);
            assertEquals(IpCheck.TRUNCATED, Ipv4Header.check(bufs.bytes(cut, 0), 0), "length " + n);
        }
    }

    @Test
    void ipv6AccessorsReadEveryField() {
        ByteBuf buf = bufs.hex(Fixtures.V6_SYN, 5);
        assertEquals(IpCheck.VALID, Ipv6Header.check(buf, 5));
        assertEquals(0x2c, Ipv6Header.trafficClass(buf, 5));
        assertEquals(0xbeef1, Ipv6Header.flowLabel(buf, 5));
        assertEquals(24, Ipv6Header.payloadLength(buf, 5));
        assertEquals(6, Ipv6Header.nextHeader(buf, 5));
        assertEquals(64, Ipv6Header.hopLimit(buf, 5));
        byte[] src = new byte[16];
        Ipv6Header.source(buf, 5, src);
        assertArrayEquals(Bufs.decode("20010db8000000010000000000000001"), src);
        byte[] dst = new byte[16];
        Ipv6Header.destination(buf, 5, dst);
        assertArrayEquals(Bufs.decode("20010db8000000020000000000000002"), dst);
        assertEquals(5 + 40, Ipv6Header.upperLayerIndex(buf, 5));
        assertEquals(IpProtocols.TCP, Ipv6Header.upperLayerProtocol(buf, 5));
    }

    @Test
    void ipv6WalksExtensionHeaders() {
        // Hop-by-hop (8 bytes, PadN) then destination options (16 bytes) then UDP.
        String hbh = "3c00 0104 00000000";
        String dst = "1101 0106 000000000000 000000000000";
        String udp = "1234567800080000";
        String payload = (hbh + dst + udp).replace(" ", "");
        String header = "60000000" + String.format("%04x", payload.length() / 2) + "0040"
                + "20010db8000000010000000000000001" + "20010db8000000020000000000000002";
        ByteBuf buf = bufs.hex(header + payload);
        assertEquals(IpCheck.VALID, Ipv6Header.check(buf, 0));
        assertEquals(40 + 8 + 16, Ipv6Header.upperLayerIndex(buf, 0));
        assertEquals(IpProtocols.UDP, Ipv6Header.upperLayerProtocol(buf, 0));
        // Truncate the payload inside the destination options header: the walk fails, no throw.
        ByteBuf cut = bufs.hex(header.substring(0, 8) + "000c" + header.substring(12) + payload.substring(0, 24));
        assertEquals(-1, Ipv6Header.upperLayerIndex(cut, 0));
    }

    @Test
    void ipv6CheckTruncatedAndBadVersion() {
        byte[] full = Bufs.decode(Fixtures.V6_SYN);
        for (int n = 0; n < full.length; n++) {
            assertEquals(IpCheck.TRUNCATED, Ipv6Header.check(bufs.bytes(java.util.Arrays.copyOf(full, n), 0), 0));
        }
        assertEquals(IpCheck.BAD_VERSION, Ipv6Header.check(bufs.hex(Fixtures.V4_SYN + "0000000000000000000000000000"), 0));
    }

    @Test
    void randomGarbageNeverThrows() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 5000; i++) {
            byte[] data = new byte[random.nextInt(0, 90)];
            random.nextBytes(data);
            if (data.length > 0) {
                data[0] = (byte) ((random.nextBoolean() ? 0x40 : 0x60) | (data[0] & 0x0F));
            }
            ByteBuf buf = bufs.bytes(data, 0);
            Ipv4Header.check(buf, 0);
            if (Ipv6Header.check(buf, 0) == IpCheck.VALID) {
                Ipv6Header.upperLayerIndex(buf, 0);
            }
            buf.release();
        }
    }
}
