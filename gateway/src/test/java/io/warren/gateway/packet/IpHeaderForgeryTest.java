package io.warren.gateway.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Ipv4Header#check} and {@link Ipv6Header#check} against forged headers, one row per forged
 * field with the {@link IpCheck} expected, at index 0 and behind headroom, in buffers whose capacity
 * is exactly the packet (nothing may be read past it); and at every truncation and out-of-range index.
 */
class IpHeaderForgeryTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                row("IPv4 valid", 4, f -> { }, IpCheck.VALID),
                row("IPv4 version 6", 4, f -> f.versionNibble = 6, IpCheck.BAD_VERSION),
                row("IPv4 version 0", 4, f -> f.versionNibble = 0, IpCheck.BAD_VERSION),
                row("IPv4 IHL 0", 4, f -> f.ihl = 0, IpCheck.BAD_HEADER_LENGTH),
                row("IPv4 IHL 4", 4, f -> f.ihl = 4, IpCheck.BAD_HEADER_LENGTH),
                row("IPv4 IHL 6 without options", 4, f -> f.ihl = 6, IpCheck.BAD_CHECKSUM),
                row("IPv4 with a 20-byte payload", 4, f -> f.l4 = new byte[20], IpCheck.VALID),
                row("IPv4 IHL 15 past the buffer", 4, f -> {
                    f.ihl = 15;
                    f.l4 = new byte[10];
                }, IpCheck.TRUNCATED),
                row("IPv4 options", 4, f -> f.ipOptions = Bufs.decode("01".repeat(40)), IpCheck.VALID),
                row("IPv4 total length 0", 4, f -> f.length = 0, IpCheck.BAD_TOTAL_LENGTH),
                row("IPv4 total length 19", 4, f -> f.length = 19, IpCheck.BAD_TOTAL_LENGTH),
                row("IPv4 total length 20 (trailing bytes)", 4, f -> f.length = 20, IpCheck.VALID),
                row("IPv4 total length +1", 4, f -> f.length = 20 + f.l4.length + 1, IpCheck.TRUNCATED),
                row("IPv4 total length 0xffff", 4, f -> f.length = 0xffff, IpCheck.TRUNCATED),
                row("IPv4 total length < IHL with options", 4, f -> {
                    f.ipOptions = new byte[8];
                    f.length = 24;
                }, IpCheck.BAD_TOTAL_LENGTH),
                row("IPv4 checksum wrong", 4, f -> f.ipChecksum = 0x1234, IpCheck.BAD_CHECKSUM),
                row("IPv4 checksum 0", 4, f -> f.ipChecksum = 0, IpCheck.BAD_CHECKSUM),
                row("IPv6 valid", 6, f -> { }, IpCheck.VALID),
                row("IPv6 version 4", 6, f -> f.versionNibble = 4, IpCheck.BAD_VERSION),
                row("IPv6 version 15", 6, f -> f.versionNibble = 15, IpCheck.BAD_VERSION),
                row("IPv6 payload length +1", 6, f -> f.length = f.l4.length + 1, IpCheck.TRUNCATED),
                row("IPv6 payload length 0xffff", 6, f -> f.length = 0xffff, IpCheck.TRUNCATED),
                row("IPv6 payload length 0 (trailing bytes)", 6, f -> f.length = 0, IpCheck.VALID),
                row("IPv6 no payload", 6, f -> f.l4 = new byte[0], IpCheck.VALID));
    }

    private static Arguments row(String name, int version, Consumer<Forge> forge, IpCheck expected) {
        return Arguments.of(name, version, forge, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void forged(String name, int version, Consumer<Forge> forge, IpCheck expected) {
        Forge f = version == 4 ? Forge.v4() : Forge.v6();
        forge.accept(f);
        byte[] packet = f.build();
        assertEquals(expected, check(version, packet, 0), name);
        assertEquals(expected, check(version, packet, 7), name + " behind headroom");
    }

    @Test
    void everyTruncationAndIndex() {
        for (int v : new int[] {4, 6}) {
            Forge f = v == 4 ? Forge.v4() : Forge.v6();
            f.ipOptions = v == 4 ? Bufs.decode("01010100") : new byte[0];
            byte[] full = f.build();
            for (int n = 0; n < full.length; n++) {
                assertEquals(IpCheck.TRUNCATED, check(v, Arrays.copyOf(full, n), 0), "IPv" + v + " cut at " + n);
            }
            ByteBuf buf = Forge.exact(full);
            try {
                for (int index : new int[] {-1, -40, Integer.MIN_VALUE, 1, full.length, full.length + 1, Integer.MAX_VALUE}) {
                    IpCheck got = v == 4 ? Ipv4Header.check(buf, index) : Ipv6Header.check(buf, index);
                    assertEquals(index == 1 ? IpCheck.BAD_VERSION : IpCheck.TRUNCATED, got,
                            "IPv" + v + " index " + index);
                }
            } finally {
                buf.release();
            }
        }
    }

    private static IpCheck check(int version, byte[] packet, int headroom) {
        ByteBuf buf = Forge.exact(MssClampForgeryTest.concat(new byte[headroom], packet));
        try {
            buf.readerIndex(headroom);
            return version == 4 ? Ipv4Header.check(buf, headroom) : Ipv6Header.check(buf, headroom);
        } finally {
            buf.release();
        }
    }
}
