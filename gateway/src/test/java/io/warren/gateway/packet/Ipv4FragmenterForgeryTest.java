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
 * {@link Ipv4Fragmenter} against forged packets and MTUs, one row per forgery: the number of
 * fragments, or "fits", or the refusal reason. Whatever the row, nothing is thrown (the input's
 * capacity is exactly the packet) and the input is not modified; fragments are checked by
 * {@link #checkFragments}: each a valid IPv4 packet within the MTU, data at offsets that are
 * multiples of 8 (RFC 791 §3.2), later fragments carrying only the copied options (RFC 791 §3.1),
 * and the whole reassembling, by a slow reference, to the original.
 */
class Ipv4FragmenterForgeryTest {
    /** Record Route (not copied), NOP, an option 0x82 (copied, length 4), padding. */
    private static final String OPTIONS = "07070400000000" + "01" + "82040a0b";

    static Stream<Arguments> rows() {
        List<Arguments> rows = new ArrayList<>();
        rows.add(row("1,000 bytes of UDP, MTU 576", udp(980), 576, "2"));
        rows.add(row("fits exactly", udp(980), 1000, "fits"));
        rows.add(row("one byte over", udp(980), 999, "2"));
        rows.add(row("DF set", udp(980).andThen(f -> f.flagsWord = 0x4000), 576, "DONT_FRAGMENT"));
        rows.add(row("DF and MF set", udp(980).andThen(f -> f.flagsWord = 0x6000), 576, "DONT_FRAGMENT"));
        rows.add(row("DF set but fits", udp(980).andThen(f -> f.flagsWord = 0x4000), 1500, "fits"));
        rows.add(row("MTU 68", udp(980), 68, "21"));
        rows.add(row("MTU 67", udp(980), 67, "MTU_TOO_SMALL"));
        rows.add(row("MTU 28", udp(980), 28, "MTU_TOO_SMALL"));
        rows.add(row("MTU 0", udp(980), 0, "MTU_TOO_SMALL"));
        rows.add(row("MTU -1", udp(980), -1, "MTU_TOO_SMALL"));
        rows.add(row("MTU MIN_VALUE", udp(980), Integer.MIN_VALUE, "MTU_TOO_SMALL"));
        rows.add(row("MTU 75 (55 bytes, 48 used)", udp(980), 75, "21"));
        rows.add(row("IHL 15, MTU 68: 8 bytes per fragment", udp(100)
                .andThen(f -> f.ipOptions = Bufs.decode("82040a0b" + "01".repeat(35) + "00")), 68, "4"));
        rows.add(row("IHL 15 of NOPs, MTU 67", udp(100).andThen(f -> f.ipOptions = Bufs.decode("01".repeat(40))),
                67, "MTU_TOO_SMALL"));
        rows.add(row("copied and uncopied options", udp(980).andThen(f -> f.ipOptions = Bufs.decode(OPTIONS)), 576, "2"));
        rows.add(row("option length 0", udp(980).andThen(f -> f.ipOptions = Bufs.decode("82000000")), 576, "MALFORMED"));
        rows.add(row("option length 1", udp(980).andThen(f -> f.ipOptions = Bufs.decode("82010000")), 576, "MALFORMED"));
        rows.add(row("option running past IHL", udp(980).andThen(f -> f.ipOptions = Bufs.decode("82080a0b")), 576, "MALFORMED"));
        rows.add(row("option type in the last byte", udp(980).andThen(f -> f.ipOptions = Bufs.decode("01010182")), 576, "MALFORMED"));
        rows.add(row("EOL then garbage", udp(980).andThen(f -> f.ipOptions = Bufs.decode("00ff0000")), 576, "2"));
        rows.add(row("a fragment itself (MF, offset 800)", udp(980).andThen(f -> f.flagsWord = 0x2000 | 100), 576, "2"));
        rows.add(row("last fragment at offset 800", udp(980).andThen(f -> f.flagsWord = 100), 576, "2"));
        rows.add(row("fragment at offset 65,000 with 980 bytes (ends past 65,535)",
                udp(980).andThen(f -> f.flagsWord = 65_000 / 8), 576, "MALFORMED"));
        rows.add(row("fragment at offset 65,528 (MF) with 980 bytes",
                udp(980).andThen(f -> f.flagsWord = 0x2000 | 0x1fff), 576, "MALFORMED"));
        rows.add(row("fragment at offset 64,528 with 980 bytes (ends at 65,508)",
                udp(980).andThen(f -> f.flagsWord = 64_528 / 8), 576, "2"));
        rows.add(row("fragment at offset 64,528 with 988 bytes (ends at 65,516)",
                udp(988).andThen(f -> f.flagsWord = 64_528 / 8), 576, "MALFORMED"));
        rows.add(row("reserved (evil) bit", udp(980).andThen(f -> f.flagsWord = 0x8000), 576, "2"));
        rows.add(row("IHL 4", udp(980).andThen(f -> f.ihl = 4), 576, "MALFORMED"));
        rows.add(row("IHL 15 without options", udp(980).andThen(f -> f.ihl = 15), 576, "MALFORMED"));
        rows.add(row("header checksum wrong", udp(980).andThen(f -> f.ipChecksum = 0x1234), 576, "MALFORMED"));
        rows.add(row("total length +1", udp(980).andThen(f -> f.length = 1001), 576, "MALFORMED"));
        rows.add(row("total length -1 (trailing byte ignored)", udp(980).andThen(f -> f.length = 999), 576, "2"));
        rows.add(row("total length 19", udp(980).andThen(f -> f.length = 19), 576, "MALFORMED"));
        rows.add(row("version 6", udp(980).andThen(f -> f.versionNibble = 6), 576, "MALFORMED"));
        rows.add(row("65,535 bytes, MTU 68", udp(65_515), 68, "1365"));
        return rows.stream();
    }

    private static Arguments row(String name, Consumer<Forge> forge, int mtu, String expected) {
        return Arguments.of(name, forge, mtu, expected);
    }

    private static Consumer<Forge> udp(int length) {
        return f -> {
            f.protocol = IpProtocols.UDP;
            f.flagsWord = 0;
            f.l4 = new byte[length];
            for (int i = 0; i < length; i++) {
                f.l4[i] = (byte) (i * 13 + 5);
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void forged(String name, Consumer<Forge> forge, int mtu, String expected) {
        Forge f = Forge.v4();
        forge.accept(f);
        assertEquals(expected, fragmentChecked(f.build(), mtu), name);
    }

    @Test
    void truncatedAtEveryLength() {
        Forge f = Forge.v4();
        udp(100).accept(f);
        f.ipOptions = Bufs.decode(OPTIONS);
        byte[] full = f.build();
        for (int n = 0; n < full.length; n++) {
            assertEquals("MALFORMED", fragmentChecked(Arrays.copyOf(full, n), 68), "cut at " + n);
        }
    }

    /** Fragments {@code packet} at {@code mtu}; returns the fragment count, "fits" or the refusal reason. */
    static String fragmentChecked(byte[] packet, int mtu) {
        ByteBuf in = Forge.exact(packet);
        try {
            Ipv4Fragmenter.Result result = Ipv4Fragmenter.fragment(Bufs.ALLOC, in, mtu);
            assertArrayEquals(packet, ByteBufUtil.getBytes(in, 0, in.writerIndex()));
            assertEquals(0, in.readerIndex());
            if (result instanceof Ipv4Fragmenter.Result.Fits) {
                assertTrue(TcpRef.ipEnd(packet) <= mtu);
                return "fits";
            }
            if (result instanceof Ipv4Fragmenter.Result.Refused r) {
                return r.reason().name();
            }
            List<ByteBuf> fragments = ((Ipv4Fragmenter.Result.Fragments) result).fragments();
            List<byte[]> bytes = new ArrayList<>();
            for (ByteBuf frag : fragments) {
                bytes.add(ByteBufUtil.getBytes(frag));
                frag.release();
            }
            checkFragments(packet, bytes, mtu);
            return Integer.toString(bytes.size());
        } finally {
            in.release();
        }
    }

    static void checkFragments(byte[] original, List<byte[]> fragments, int mtu) {
        int ihl = (original[0] & 0x0F) * 4;
        int total = Forge.get16(original, 2);
        int word = Forge.get16(original, 6);
        int baseOffset = (word & 0x1FFF) * 8;
        byte[] data = new byte[total - ihl];
        boolean[] seen = new boolean[data.length];
        byte[] later = copiedOptions(original, ihl);
        for (int i = 0; i < fragments.size(); i++) {
            byte[] frag = fragments.get(i);
            boolean first = i == 0;
            boolean last = i == fragments.size() - 1;
            int fihl = (frag[0] & 0x0F) * 4;
            assertEquals(4, (frag[0] & 0xF0) >>> 4);
            assertTrue(frag.length <= mtu, "fragment " + i + " of " + frag.length + " bytes, MTU " + mtu);
            assertEquals(frag.length, Forge.get16(frag, 2));
            assertEquals(0, Forge.checksum(frag, 0, fihl, 0), "header checksum of fragment " + i);
            // Every field but length, flags/offset, checksum and options is copied (RFC 791 §3.2).
            assertArrayEquals(Arrays.copyOfRange(original, 1, 2), Arrays.copyOfRange(frag, 1, 2));
            assertArrayEquals(Arrays.copyOfRange(original, 4, 6), Arrays.copyOfRange(frag, 4, 6));
            assertArrayEquals(Arrays.copyOfRange(original, 8, 10), Arrays.copyOfRange(frag, 8, 10));
            assertArrayEquals(Arrays.copyOfRange(original, 12, 20), Arrays.copyOfRange(frag, 12, 20));
            if (first) {
                assertArrayEquals(Arrays.copyOfRange(original, 20, ihl), Arrays.copyOfRange(frag, 20, fihl));
            } else {
                assertArrayEquals(later, Arrays.copyOfRange(frag, 20, fihl), "options of a later fragment");
            }
            int fword = Forge.get16(frag, 6);
            assertEquals(word & 0x8000, fword & 0x8000, "reserved bit");
            assertEquals(0, fword & 0x4000, "DF");
            boolean mf = (fword & 0x2000) != 0;
            assertEquals(!last || (word & 0x2000) != 0, mf, "MF of fragment " + i);
            int offset = (fword & 0x1FFF) * 8 - baseOffset;
            int length = frag.length - fihl;
            assertTrue(offset >= 0 && offset + length <= data.length, "fragment " + i + " inside the datagram");
            if (!last) {
                assertEquals(0, length % 8, "non-last fragment data a multiple of 8");
            }
            for (int j = 0; j < length; j++) {
                assertTrue(!seen[offset + j], "overlap at " + (offset + j));
                seen[offset + j] = true;
                data[offset + j] = frag[fihl + j];
            }
        }
        for (int j = 0; j < seen.length; j++) {
            assertTrue(seen[j], "hole at " + j);
        }
        assertArrayEquals(Arrays.copyOfRange(original, ihl, total), data, "reassembled data");
    }

    /** Reference: options with the copied flag, in order, padded with zeros to a multiple of 4. */
    private static byte[] copiedOptions(byte[] p, int ihl) {
        byte[] out = new byte[40];
        int n = 0;
        int at = 20;
        while (at < ihl) {
            int type = p[at] & 0xFF;
            if (type == 0) {
                break;
            }
            if (type == 1) {
                at++;
                continue;
            }
            int len = p[at + 1] & 0xFF;
            if ((type & 0x80) != 0) {
                System.arraycopy(p, at, out, n, len);
                n += len;
            }
            at += len;
        }
        return Arrays.copyOf(out, (n + 3) & ~3);
    }
}
