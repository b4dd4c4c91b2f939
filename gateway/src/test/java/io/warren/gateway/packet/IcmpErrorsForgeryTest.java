package io.warren.gateway.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link IcmpErrors} against forged offending packets, one row per forged field: the error is built
 * (null in the row) or suppressed for the reason named. Whatever the row, nothing is thrown (the
 * offending buffer's capacity is exactly the packet), the offending packet is not modified, and a
 * built error is a valid packet: IPv4 header and ICMP checksums verify, addressed to the offending
 * source, no longer than 576 bytes (RFC 1812 §4.3.2.3) or 1280 bytes (RFC 4443 §2.4 (c)), quoting
 * as much of the offending packet as fits, byte for byte.
 */
class IcmpErrorsForgeryTest {
    private static final IcmpErrorResult.Reason MAL = IcmpErrorResult.Reason.MALFORMED;
    private static final IcmpErrorResult.Reason ICMP_ERR = IcmpErrorResult.Reason.ICMP_ERROR_MESSAGE;
    private static final IcmpErrorResult.Reason FRAG = IcmpErrorResult.Reason.NON_INITIAL_FRAGMENT;
    private static final IcmpErrorResult.Reason SRC = IcmpErrorResult.Reason.INVALID_SOURCE;
    private static final IcmpErrorResult.Reason DST = IcmpErrorResult.Reason.INVALID_DESTINATION;
    private static final int GATEWAY_V4 = 0x0a090807;
    private static final byte[] GATEWAY_V6 = Bufs.decode("20010db80000ffff0000000000000009");
    private static final int MTU = 1400;

    static Stream<Arguments> rows() {
        List<Arguments> rows = new ArrayList<>();
        for (int v : new int[] {4, 6}) {
            String n = "IPv" + v + " ";
            int icmp = v == 4 ? IpProtocols.ICMP : IpProtocols.ICMPV6;
            rows.add(row(n + "TCP SYN", v, f -> { }, null));
            rows.add(row(n + "UDP 1,472 bytes", v, udp(1472), null));
            rows.add(row(n + "UDP 65,000 bytes", v, udp(65_000), null));
            rows.add(row(n + "no payload", v, f -> {
                f.protocol = IpProtocols.UDP;
                f.l4 = new byte[0];
            }, null));
            rows.add(row(n + "version 5", v, f -> f.versionNibble = 5, MAL));
            rows.add(row(n + "length +1", v, f -> f.length = f.build().length - (v == 4 ? 0 : 40) + 1, MAL));
            rows.add(row(n + "length 0xffff", v, f -> f.length = 0xffff, MAL));
            rows.add(row(n + "ICMP echo request", v, icmp(icmp, v == 4 ? 8 : 128), null));
            rows.add(row(n + "ICMP echo reply", v, icmp(icmp, v == 4 ? 0 : 129), null));
            rows.add(row(n + "ICMP without a type byte", v, f -> {
                f.protocol = icmp;
                f.l4 = new byte[0];
            }, ICMP_ERR));
        }
        for (int type : new int[] {13, 17, 42}) {
            rows.add(row("IPv4 ICMP query type " + type, 4, icmp(IpProtocols.ICMP, type), null));
        }
        for (int type : new int[] {3, 4, 5, 11, 12, 31, 40, 6, 19, 255}) {
            rows.add(row("IPv4 ICMP error type " + type, 4, icmp(IpProtocols.ICMP, type), ICMP_ERR));
        }
        rows.add(row("IPv4 ICMP error behind IP options", 4, icmp(IpProtocols.ICMP, 3)
                .andThen(f -> f.ipOptions = Bufs.decode("01010100")), ICMP_ERR));
        rows.add(row("IPv4 ICMP error, non-first fragment", 4, icmp(IpProtocols.ICMP, 3)
                .andThen(f -> f.flagsWord = 0x0001), FRAG));
        rows.add(row("IPv4 fragment offset 8", 4, f -> f.flagsWord = 0x0001, FRAG));
        rows.add(row("IPv4 fragment offset 65528", 4, f -> f.flagsWord = 0x1fff, FRAG));
        rows.add(row("IPv4 first fragment (MF)", 4, f -> f.flagsWord = 0x2000, null));
        rows.add(row("IPv4 source 0.0.0.0", 4, f -> f.src4 = 0, SRC));
        rows.add(row("IPv4 source 0.1.2.3", 4, f -> f.src4 = 0x00010203, SRC));
        rows.add(row("IPv4 source 127.0.0.1", 4, f -> f.src4 = 0x7f000001, SRC));
        rows.add(row("IPv4 source 224.0.0.1", 4, f -> f.src4 = 0xe0000001, SRC));
        rows.add(row("IPv4 source 239.255.255.250", 4, f -> f.src4 = 0xeffffffa, SRC));
        rows.add(row("IPv4 source 240.0.0.1 (class E)", 4, f -> f.src4 = 0xf0000001, SRC));
        rows.add(row("IPv4 source 255.255.255.255", 4, f -> f.src4 = -1, SRC));
        rows.add(row("IPv4 source 223.255.255.254", 4, f -> f.src4 = 0xdffffffe, null));
        rows.add(row("IPv4 destination 224.0.0.5", 4, f -> f.dst4 = 0xe0000005, DST));
        rows.add(row("IPv4 destination 239.255.255.250", 4, f -> f.dst4 = 0xeffffffa, DST));
        rows.add(row("IPv4 destination 255.255.255.255", 4, f -> f.dst4 = -1, DST));
        rows.add(row("IPv4 destination 223.255.255.255", 4, f -> f.dst4 = 0xdfffffff, null));
        rows.add(row("IPv4 destination 240.0.0.1 (class E, not a group)", 4, f -> f.dst4 = 0xf0000001, null));
        rows.add(row("IPv4 40 bytes of options", 4, f -> f.ipOptions = Bufs.decode("01".repeat(39) + "00"), null));
        rows.add(row("IPv4 IHL 0", 4, f -> f.ihl = 0, MAL));
        rows.add(row("IPv4 IHL 4", 4, f -> f.ihl = 4, MAL));
        rows.add(row("IPv4 IHL 15 without options", 4, f -> f.ihl = 15, MAL));
        rows.add(row("IPv4 header checksum wrong", 4, f -> f.ipChecksum = 0x1234, MAL));
        rows.add(row("IPv4 total length < IHL", 4, f -> f.length = 19, MAL));
        rows.add(row("IPv4 total length 0", 4, f -> f.length = 0, MAL));
        rows.add(row("IPv4 total length -1", 4, f -> f.length = 20 + f.l4.length - 1, null));
        for (int type : new int[] {1, 2, 3, 4, 100, 127}) {
            rows.add(row("IPv6 ICMPv6 error type " + type, 6, icmp(IpProtocols.ICMPV6, type), ICMP_ERR));
        }
        rows.add(row("IPv6 ICMPv6 Redirect (RFC 4443 §2.4 (e.2))", 6, icmp(IpProtocols.ICMPV6, 137), ICMP_ERR));
        rows.add(row("IPv6 ICMPv6 Neighbor Advertisement", 6, icmp(IpProtocols.ICMPV6, 136), null));
        rows.add(row("IPv6 ICMPv6 error behind hop-by-hop", 6, icmp(IpProtocols.ICMPV6, 1)
                .andThen(f -> {
                    f.firstExt = 0;
                    f.ext = Bufs.decode("3a00010400000000");
                }), ICMP_ERR));
        rows.add(row("IPv6 ICMPv6 error in a first fragment", 6, icmp(IpProtocols.ICMPV6, 1)
                .andThen(f -> {
                    f.firstExt = 44;
                    f.ext = Bufs.decode("3a00000112345678");
                }), ICMP_ERR));
        rows.add(row("IPv6 ICMPv6 header missing behind hop-by-hop", 6, f -> {
            f.protocol = IpProtocols.ICMPV6;
            f.firstExt = 0;
            f.ext = Bufs.decode("3a00010400000000");
            f.l4 = new byte[0];
        }, ICMP_ERR));
        rows.add(row("IPv6 non-first fragment (RFC 4443 sends)", 6, f -> {
            f.firstExt = 44;
            f.ext = Bufs.decode("0600000812345678");
        }, null));
        rows.add(row("IPv6 source ::", 6, f -> f.src6 = new byte[16], SRC));
        rows.add(row("IPv6 source ff02::1", 6, f -> f.src6 = Bufs.decode("ff020000000000000000000000000001"), SRC));
        rows.add(row("IPv6 destination ff02::1 (RFC 4443 §2.4 (e.3) sends)", 6,
                f -> f.dst6 = Bufs.decode("ff020000000000000000000000000001"), null));
        rows.add(row("IPv6 payload length -1", 6, f -> f.length = f.l4.length - 1, null));
        return rows.stream();
    }

    private static Arguments row(String name, int version, Consumer<Forge> forge, IcmpErrorResult.Reason expected) {
        return Arguments.of(name, version, forge, expected);
    }

    private static Consumer<Forge> udp(int length) {
        return f -> {
            f.protocol = IpProtocols.UDP;
            f.l4 = new byte[length - (f.version == 4 ? 20 : 40)];
            for (int i = 0; i < f.l4.length; i++) {
                f.l4[i] = (byte) (i * 31 + 7);
            }
        };
    }

    private static Consumer<Forge> icmp(int protocol, int type) {
        return f -> {
            f.protocol = protocol;
            f.l4 = Bufs.decode("00001234567890abcdef");
            f.l4[0] = (byte) type;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void forged(String name, int version, Consumer<Forge> forge, IcmpErrorResult.Reason expected) {
        Forge f = version == 4 ? Forge.v4() : Forge.v6();
        forge.accept(f);
        assertEquals(expected, errorChecked(f.build(), version), name);
    }

    @Test
    void truncatedAtEveryLength() {
        for (int v : new int[] {4, 6}) {
            Forge f = v == 4 ? Forge.v4() : Forge.v6();
            byte[] full = f.build();
            for (int n = 0; n < full.length; n++) {
                assertEquals(MAL, errorChecked(Arrays.copyOf(full, n), v), "IPv" + v + " cut at " + n);
            }
        }
    }

    /**
     * Builds the error for {@code packet} (ICMPv4 when {@code version} is 4, else ICMPv6) and checks
     * the invariants of the class comment.
     *
     * @return null when built, else the reason it was suppressed
     */
    static IcmpErrorResult.Reason errorChecked(byte[] packet, int version) {
        ByteBuf offending = Forge.exact(packet);
        try {
            IcmpErrorResult result = version == 4
                    ? IcmpErrors.fragmentationNeeded(Bufs.ALLOC, offending, GATEWAY_V4, MTU, 0x4242)
                    : IcmpErrors.packetTooBig(Bufs.ALLOC, offending, GATEWAY_V6, MTU);
            assertArrayEquals(packet, ByteBufUtil.getBytes(offending, 0, offending.writerIndex()));
            assertEquals(0, offending.readerIndex());
            if (result instanceof IcmpErrorResult.Suppressed s) {
                return s.reason();
            }
            ByteBuf error = ((IcmpErrorResult.Built) result).packet();
            try {
                checkError(packet, ByteBufUtil.getBytes(error), version);
            } finally {
                error.release();
            }
            return null;
        } finally {
            offending.release();
        }
    }

    private static void checkError(byte[] offending, byte[] error, int version) {
        int offendingLength = TcpRef.ipEnd(offending);
        if (version == 4) {
            assertEquals(0x45, error[0] & 0xFF);
            assertEquals(error.length, Forge.get16(error, 2));
            assertEquals(0, Forge.checksum(error, 0, 20, 0), "IPv4 header checksum");
            assertEquals(IpProtocols.ICMP, error[9]);
            assertEquals(GATEWAY_V4, Forge.get32(error, 12));
            assertEquals(Forge.get32(offending, 12), Forge.get32(error, 16), "sent to the offending source");
            assertEquals(0, Forge.checksum(error, 20, error.length - 20, 0), "ICMP checksum");
            assertEquals(3, error[20]);
            assertEquals(4, error[21]);
            assertEquals(MTU, Forge.get16(error, 26));
            int quote = Math.min(offendingLength, 576 - 28);
            assertEquals(28 + quote, error.length);
            assertTrue(error.length <= 576);
            assertArrayEquals(Arrays.copyOf(offending, quote), Arrays.copyOfRange(error, 28, error.length));
        } else {
            assertEquals(6, (error[0] & 0xF0) >>> 4);
            assertEquals(error.length - 40, Forge.get16(error, 4));
            assertEquals(IpProtocols.ICMPV6, error[6]);
            assertArrayEquals(GATEWAY_V6, Arrays.copyOfRange(error, 8, 24));
            assertArrayEquals(Arrays.copyOfRange(offending, 8, 24), Arrays.copyOfRange(error, 24, 40));
            long pseudo = Forge.sumOf(error, 8, 32) + IpProtocols.ICMPV6 + (error.length - 40);
            assertEquals(0, Forge.checksum(error, 40, error.length - 40, pseudo), "ICMPv6 checksum");
            assertEquals(2, error[40]);
            assertEquals(0, error[41]);
            assertEquals(MTU, Forge.get32(error, 44));
            int quote = Math.min(offendingLength, 1280 - 48);
            assertEquals(48 + quote, error.length);
            assertTrue(error.length <= 1280);
            assertArrayEquals(Arrays.copyOf(offending, quote), Arrays.copyOfRange(error, 48, error.length));
        }
    }
}
