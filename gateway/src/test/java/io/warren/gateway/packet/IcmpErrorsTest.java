package io.warren.gateway.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IcmpErrorsTest {

    private static final int GATEWAY_V4 = 0x0a090807;
    private static final byte[] GATEWAY_V6 = Bufs.decode("20010db80000ffff0000000000000009");
    /** Expected error for {@link Fixtures#V4_SYN}, gateway 10.9.8.7, MTU 1400, ID 0x4242. */
    private static final String V4_FRAG_NEEDED = "45c0004842420000400163a20a090807c0000201"
            + "0304e3d900000578" + Fixtures.V4_SYN;
    /** Expected Packet Too Big for {@link Fixtures#V6_SYN}, gateway 2001:db8:0:ffff::9, MTU 1400. */
    private static final String V6_PTB = "6000000000483a4020010db80000ffff000000000000000920010db800000001"
            + "0000000000000001" + "0200449100000578" + Fixtures.V6_SYN;

    private final Bufs bufs = new Bufs();

    @AfterEach
    void release() {
        bufs.close();
    }

    private ByteBuf built(IcmpErrorResult result) {
        IcmpErrorResult.Built built = assertInstanceOf(IcmpErrorResult.Built.class, result);
        return bufs.own(built.packet());
    }

    private IcmpErrorResult.Reason suppressed(IcmpErrorResult result) {
        return assertInstanceOf(IcmpErrorResult.Suppressed.class, result).reason();
    }

    @Test
    void fragmentationNeededIsByteExact() {
        ByteBuf offending = bufs.hex(Fixtures.V4_SYN, 16);
        ByteBuf error = built(IcmpErrors.fragmentationNeeded(Bufs.ALLOC, offending, GATEWAY_V4, 1400, 0x4242));
        assertEquals(V4_FRAG_NEEDED, Bufs.hexOf(error));
        assertEquals(16, offending.readerIndex());
    }

    @Test
    void fragmentationNeededQuotesAtMost576Bytes() {
        ByteBuf offending = bigV4(1500);
        ByteBuf error = built(IcmpErrors.fragmentationNeeded(Bufs.ALLOC, offending, GATEWAY_V4, 1400, 1));
        assertEquals(576, error.readableBytes());
        assertEquals(576, Ipv4Header.totalLength(error, 0));
        assertEquals(IpCheck.VALID, Ipv4Header.check(error, 0));
        assertEquals(0, InetChecksum.compute(error, 20, 556));
        assertEquals(0, error.slice(28, 548).compareTo(offending.slice(0, 548)));
    }

    @Test
    void fragmentationNeededSuppressed() {
        assertEquals(IcmpErrorResult.Reason.MALFORMED, suppressed(IcmpErrors.fragmentationNeeded(
                Bufs.ALLOC, bufs.hex(Fixtures.V4_SYN.substring(0, 30)), GATEWAY_V4, 1400, 1)));
        assertEquals(IcmpErrorResult.Reason.MALFORMED, suppressed(IcmpErrors.fragmentationNeeded(
                Bufs.ALLOC, bufs.hex(Fixtures.V6_SYN), GATEWAY_V4, 1400, 1)));
        ByteBuf fragment = bufs.hex(Fixtures.V4_SYN);
        fragment.setShort(6, 0x0001);
        Ipv4Header.updateHeaderChecksum(fragment, 0);
        assertEquals(IcmpErrorResult.Reason.NON_INITIAL_FRAGMENT, suppressed(
                IcmpErrors.fragmentationNeeded(Bufs.ALLOC, fragment, GATEWAY_V4, 1400, 1)));
        for (int source : new int[] {0x00000001, 0x7f000001, 0xe0000001, 0xffffffff}) {
            ByteBuf bad = bufs.hex(Fixtures.V4_SYN);
            bad.setInt(12, source);
            Ipv4Header.updateHeaderChecksum(bad, 0);
            assertEquals(IcmpErrorResult.Reason.INVALID_SOURCE, suppressed(
                    IcmpErrors.fragmentationNeeded(Bufs.ALLOC, bad, GATEWAY_V4, 1400, 1)));
        }
        ByteBuf icmpError = v4Icmp(3);
        assertEquals(IcmpErrorResult.Reason.ICMP_ERROR_MESSAGE, suppressed(
                IcmpErrors.fragmentationNeeded(Bufs.ALLOC, icmpError, GATEWAY_V4, 1400, 1)));
        built(IcmpErrors.fragmentationNeeded(Bufs.ALLOC, v4Icmp(8), GATEWAY_V4, 1400, 1));
    }

    @Test
    void packetTooBigIsByteExact() {
        ByteBuf offending = bufs.hex(Fixtures.V6_SYN, 7);
        ByteBuf error = built(IcmpErrors.packetTooBig(Bufs.ALLOC, offending, GATEWAY_V6, 1400));
        assertEquals(V6_PTB, Bufs.hexOf(error));
    }

    @Test
    void packetTooBigFitsIn1280() {
        ByteBuf offending = bigV6(1500);
        ByteBuf error = built(IcmpErrors.packetTooBig(Bufs.ALLOC, offending, GATEWAY_V6, 1400));
        assertEquals(1280, error.readableBytes());
        assertEquals(1240, Ipv6Header.payloadLength(error, 0));
        long acc = Ipv6Header.pseudoHeaderSum(error, 0, IpProtocols.ICMPV6, 1240);
        assertEquals(0, InetChecksum.finish(InetChecksum.sum(error, 40, 1240, acc)));
        assertEquals(0, error.slice(48, 1232).compareTo(offending.slice(0, 1232)));
    }

    @Test
    void packetTooBigSuppressed() {
        assertEquals(IcmpErrorResult.Reason.MALFORMED, suppressed(
                IcmpErrors.packetTooBig(Bufs.ALLOC, bufs.hex(Fixtures.V4_SYN), GATEWAY_V6, 1400)));
        ByteBuf unspecified = bufs.hex(Fixtures.V6_SYN);
        unspecified.setZero(8, 16);
        assertEquals(IcmpErrorResult.Reason.INVALID_SOURCE, suppressed(
                IcmpErrors.packetTooBig(Bufs.ALLOC, unspecified, GATEWAY_V6, 1400)));
        ByteBuf multicast = bufs.hex(Fixtures.V6_SYN);
        multicast.setByte(8, 0xff);
        assertEquals(IcmpErrorResult.Reason.INVALID_SOURCE, suppressed(
                IcmpErrors.packetTooBig(Bufs.ALLOC, multicast, GATEWAY_V6, 1400)));
        assertEquals(IcmpErrorResult.Reason.ICMP_ERROR_MESSAGE, suppressed(
                IcmpErrors.packetTooBig(Bufs.ALLOC, v6Icmp(1), GATEWAY_V6, 1400)));
        built(IcmpErrors.packetTooBig(Bufs.ALLOC, v6Icmp(128), GATEWAY_V6, 1400));
        // RFC 4443 §2.4 (e.3): Packet Too Big is sent even for a multicast destination.
        ByteBuf toMulticast = bufs.hex(Fixtures.V6_SYN);
        toMulticast.setByte(24, 0xff);
        built(IcmpErrors.packetTooBig(Bufs.ALLOC, toMulticast, GATEWAY_V6, 1400));
    }

    @Test
    void randomGarbageNeverThrows() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(1191);
        byte[][] bases = {Bufs.decode(Fixtures.V4_SYN), Bufs.decode(Fixtures.V6_SYN)};
        for (int i = 0; i < 5000; i++) {
            byte[] data = bases[i & 1].clone();
            for (int flips = random.nextInt(1, 5); flips > 0; flips--) {
                data[random.nextInt(data.length)] = (byte) random.nextInt(256);
            }
            ByteBuf buf = bufs.bytes(java.util.Arrays.copyOf(data, random.nextInt(data.length + 1)), 0);
            if ((i & 1) == 0 && buf.readableBytes() >= 20 && Ipv4Header.headerLength(buf, 0) <= buf.readableBytes()) {
                Ipv4Header.updateHeaderChecksum(buf, 0);
            }
            for (IcmpErrorResult result : new IcmpErrorResult[] {
                    IcmpErrors.fragmentationNeeded(Bufs.ALLOC, buf, GATEWAY_V4, 1400, i),
                    IcmpErrors.packetTooBig(Bufs.ALLOC, buf, GATEWAY_V6, 1400)}) {
                if (result instanceof IcmpErrorResult.Built built) {
                    built.packet().release();
                }
            }
            if (i % 500 == 0) {
                bufs.close();
            }
        }
    }

    private ByteBuf v4Icmp(int type) {
        ByteBuf buf = bufs.hex("452c00241c46400040010000c0000201c6336402" + String.format("%02x", type)
                + "0000000102030405");
        buf.setShort(2, buf.readableBytes());
        Ipv4Header.updateHeaderChecksum(buf, 0);
        return buf;
    }

    private ByteBuf v6Icmp(int type) {
        return bufs.hex("62cbeef100083a4020010db800000001000000000000000120010db800000002"
                + "0000000000000002" + String.format("%02x", type) + "00000000000001");
    }

    private ByteBuf bigV4(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 7 + 1);
        }
        ByteBuf buf = bufs.bytes(data, 0);
        buf.setBytes(0, Bufs.decode(Fixtures.V4_SYN.substring(0, 40)));
        buf.setShort(2, length);
        Ipv4Header.updateHeaderChecksum(buf, 0);
        return buf;
    }

    private ByteBuf bigV6(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 5 + 3);
        }
        ByteBuf buf = bufs.bytes(data, 0);
        buf.setBytes(0, Bufs.decode(Fixtures.V6_SYN.substring(0, 80)));
        buf.setShort(4, length - 40);
        buf.setByte(6, IpProtocols.UDP);
        return buf;
    }
}
