package io.warren.gateway.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MssClampTest {

    private final Bufs bufs = new Bufs();

    @AfterEach
    void release() {
        bufs.close();
    }

    /** Full recompute of the TCP checksum including the pseudo-header: 0 when valid. */
    private static int verifyTcp(ByteBuf packet) {
        int ip = packet.readerIndex();
        if (Ipv4Header.version(packet, ip) == 4) {
            int ihl = Ipv4Header.headerLength(packet, ip);
            int len = Ipv4Header.totalLength(packet, ip) - ihl;
            long acc = Ipv4Header.pseudoHeaderSum(packet, ip, IpProtocols.TCP, len);
            return InetChecksum.finish(InetChecksum.sum(packet, ip + ihl, len, acc));
        }
        int len = Ipv6Header.payloadLength(packet, ip);
        long acc = Ipv6Header.pseudoHeaderSum(packet, ip, IpProtocols.TCP, len);
        return InetChecksum.finish(InetChecksum.sum(packet, ip + 40, len, acc));
    }

    @Test
    void clampsIpv4SynAckByteExact() {
        ByteBuf packet = bufs.hex(Fixtures.V4_SYN, 10);
        assertEquals(0, verifyTcp(packet));
        assertEquals(MssClamp.Outcome.CLAMPED, MssClamp.clamp(packet, 1360));
        assertEquals(Fixtures.V4_SYN_CLAMPED, Bufs.hexOf(packet));
        assertEquals(0, verifyTcp(packet));
        assertEquals(10, packet.readerIndex());
    }

    @Test
    void clampsIpv6SynAckByteExact() {
        ByteBuf packet = bufs.hex(Fixtures.V6_SYN);
        assertEquals(MssClamp.Outcome.CLAMPED, MssClamp.clamp(packet, 1360));
        assertEquals(Fixtures.V6_SYN_CLAMPED, Bufs.hexOf(packet));
        assertEquals(0, verifyTcp(packet));
    }

    @Test
    void clampsMssAtOddOffset() {
        ByteBuf packet = bufs.hex(Fixtures.V4_SYN_ODD);
        assertEquals(0, verifyTcp(packet));
        assertEquals(MssClamp.Outcome.CLAMPED, MssClamp.clamp(packet, 1000));
        assertEquals(1000, packet.getUnsignedShort(20 + 20 + 3));
        assertEquals(0, verifyTcp(packet));
    }

    @Test
    void randomMssAndLimitsKeepChecksumValid() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 500; i++) {
            ByteBuf packet = bufs.hex(random.nextBoolean() ? Fixtures.V4_SYN_ODD : Fixtures.V6_SYN);
            int mssIndex = Ipv4Header.version(packet, 0) == 4 ? 43 : 62;
            int mss = random.nextInt(0x10000);
            // Rewrite the MSS and fix the checksum the slow way, then clamp incrementally.
            packet.setShort(mssIndex, mss);
            int tcp = Ipv4Header.version(packet, 0) == 4 ? 20 : 40;
            packet.setShort(tcp + 16, 0);
            packet.setShort(tcp + 16, verifyTcp(packet));
            int limit = random.nextInt(0x10000);
            MssClamp.Outcome outcome = MssClamp.clamp(packet, limit);
            assertEquals(mss > limit ? MssClamp.Outcome.CLAMPED : MssClamp.Outcome.UNCHANGED, outcome);
            assertEquals(Math.min(mss, limit), packet.getUnsignedShort(mssIndex));
            assertEquals(0, verifyTcp(packet), "mss " + mss + " limit " + limit);
        }
    }

    @Test
    void leavesOtherPacketsAlone() {
        assertEquals(MssClamp.Outcome.UNCHANGED, MssClamp.clamp(bufs.hex(Fixtures.V4_SYN), 1460));
        ByteBuf ack = bufs.hex(Fixtures.V4_SYN);
        ack.setByte(33, 0x10);
        assertEquals(MssClamp.Outcome.NOT_SYN, MssClamp.clamp(ack, 1000));
        ByteBuf noMss = bufs.hex(Fixtures.V4_SYN);
        noMss.setInt(40, 0x01010100);
        assertEquals(MssClamp.Outcome.NO_MSS_OPTION, MssClamp.clamp(noMss, 1000));
        ByteBuf udp = bufs.hex(Fixtures.V4_SYN);
        udp.setByte(9, IpProtocols.UDP);
        Ipv4Header.updateHeaderChecksum(udp, 0);
        assertEquals(MssClamp.Outcome.NOT_TCP, MssClamp.clamp(udp, 1000));
        assertEquals(MssClamp.Outcome.MALFORMED, MssClamp.clamp(bufs.hex(""), 1000));
        assertEquals(MssClamp.Outcome.MALFORMED, MssClamp.clamp(bufs.hex("7000"), 1000));
    }

    @Test
    void malformedOptionsAreNotTouched() {
        // MSS option with length 3, option running past the header, and a zero-length option.
        for (String options : new String[] {"020305b4", "080a05b4", "0800 05b4"}) {
            ByteBuf packet = bufs.hex(Fixtures.V4_SYN.substring(0, 80) + options.replace(" ", ""));
            String before = Bufs.hexOf(packet);
            assertEquals(MssClamp.Outcome.MALFORMED, MssClamp.clamp(packet, 1000), options);
            assertEquals(before, Bufs.hexOf(packet));
        }
    }

    @Test
    void truncatedAtEveryLengthIsMalformed() {
        byte[] full = Bufs.decode(Fixtures.V6_SYN);
        for (int n = 0; n < full.length; n++) {
            ByteBuf cut = bufs.bytes(java.util.Arrays.copyOf(full, n), 0);
            if (n >= 6) {
                cut.setShort(4, Math.max(0, n - 40));
            }
            assertEquals(MssClamp.Outcome.MALFORMED, MssClamp.clamp(cut, 1000), "length " + n);
        }
    }

    @Test
    void randomGarbageNeverThrows() {
        SplittableRandom random = new SplittableRandom(3);
        byte[] base = Bufs.decode(Fixtures.V4_SYN_ODD);
        for (int i = 0; i < 5000; i++) {
            byte[] data = base.clone();
            for (int flips = random.nextInt(1, 6); flips > 0; flips--) {
                data[random.nextInt(data.length)] = (byte) random.nextInt(256);
            }
            ByteBuf buf = bufs.bytes(java.util.Arrays.copyOf(data, random.nextInt(data.length + 1)), 0);
            MssClamp.clamp(buf, random.nextInt(0x10000));
        }
    }
}
