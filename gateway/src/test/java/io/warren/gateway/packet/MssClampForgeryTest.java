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
 * {@link MssClamp} against forged SYNs, one row per forged field with the expected outcome. Whatever
 * the row, nothing is thrown (the buffer's capacity is exactly the packet, so a read past it would),
 * the indices do not move, an untouched outcome leaves every byte as it was, and a rewrite changes
 * only MSS values and the TCP checksum, keeps the checksum's residue (RFC 1624 §3: valid stays valid)
 * and leaves no MSS option a receiver would honour above the limit (RFC 9293 §3.7.1, RFC 6691).
 */
class MssClampForgeryTest {
    private static final MssClamp.Outcome CLAMPED = MssClamp.Outcome.CLAMPED;
    private static final MssClamp.Outcome UNCHANGED = MssClamp.Outcome.UNCHANGED;
    private static final MssClamp.Outcome NO_MSS = MssClamp.Outcome.NO_MSS_OPTION;
    private static final MssClamp.Outcome NOT_SYN = MssClamp.Outcome.NOT_SYN;
    private static final MssClamp.Outcome NOT_TCP = MssClamp.Outcome.NOT_TCP;
    private static final MssClamp.Outcome MAL = MssClamp.Outcome.MALFORMED;
    private static final int LIMIT = 1360;
    /** A Linux SYN's options: MSS 1460, SACK permitted, timestamps, NOP, window scale 7. */
    private static final String LINUX_SYN = "020405b4" + "0402" + "080a1122334400000000" + "01" + "030307";

    static Stream<Arguments> rows() {
        List<Arguments> rows = new ArrayList<>();
        for (int v : new int[] {4, 6}) {
            String n = "IPv" + v + " ";
            rows.add(row(n + "valid SYN-ACK", v, f -> { }, CLAMPED));
            rows.add(row(n + "SYN alone", v, f -> f.l4[13] = 0x02, CLAMPED));
            rows.add(row(n + "SYN+FIN+RST+PSH+URG", v, f -> f.l4[13] = 0x2f, CLAMPED));
            rows.add(row(n + "ACK without SYN", v, f -> f.l4[13] = 0x10, NOT_SYN));
            rows.add(row(n + "no flags", v, f -> f.l4[13] = 0, NOT_SYN));
            rows.add(row(n + "MSS = limit", v, opts("02040550"), UNCHANGED));
            rows.add(row(n + "MSS below limit", v, opts("02040200"), UNCHANGED));
            rows.add(row(n + "MSS 0", v, opts("02040000"), UNCHANGED));
            rows.add(row(n + "MSS 65535", v, opts("0204ffff"), CLAMPED));
            rows.add(row(n + "Linux SYN options", v, opts(LINUX_SYN), CLAMPED));
            rows.add(row(n + "MSS after NOP (odd offset)", v, opts("01020405b4"), CLAMPED));
            rows.add(row(n + "MSS after three NOPs", v, opts("010101020405b4"), CLAMPED));
            rows.add(row(n + "MSS in the last 4 bytes of a 60-byte header", v,
                    opts("01".repeat(36) + "020405b4"), CLAMPED));
            rows.add(row(n + "MSS at odd offset ending at the header's end", v,
                    opts("01".repeat(35) + "020405b4" + "00"), CLAMPED));
            rows.add(row(n + "NOP run, no MSS", v, opts("01".repeat(40)), NO_MSS));
            rows.add(row(n + "EOL run", v, opts("00".repeat(40)), NO_MSS));
            rows.add(row(n + "EOL before MSS", v, opts("00020405b4"), NO_MSS));
            rows.add(row(n + "no options", v, opts(""), NO_MSS));
            rows.add(row(n + "option length 0", v, opts("0800020405b4"), MAL));
            rows.add(row(n + "option length 1", v, opts("0801020405b4"), MAL));
            rows.add(row(n + "option running past data offset", v, opts("080a05b4"), MAL));
            rows.add(row(n + "option kind in the last byte", v, opts("01010108"), MAL));
            rows.add(row(n + "MSS kind in the last byte", v, opts("01010102"), MAL));
            rows.add(row(n + "MSS length 3", v, opts("020305b4"), MAL));
            rows.add(row(n + "MSS length 255", v, opts("02ff05b4"), MAL));
            rows.add(row(n + "MSS then option length 0", v, opts("020405b4" + "0800"), CLAMPED));
            rows.add(row(n + "MSS below limit then option length 0", v, opts("02040200" + "0800"), UNCHANGED));
            rows.add(row(n + "two MSS options, the second above the limit", v, opts("020403e8" + "02042328"), CLAMPED));
            rows.add(row(n + "two MSS options, both above the limit", v, opts("02042328" + "020405b4"), CLAMPED));
            rows.add(row(n + "ten MSS options", v, opts("02042328".repeat(10)), CLAMPED));
            rows.add(row(n + "MSS length 2, then MSS", v, opts("0202" + "020405b4"), CLAMPED));
            rows.add(row(n + "MSS length 6, then MSS", v, opts("020605b40000" + "020405b4"), CLAMPED));
            rows.add(row(n + "MSS length 2 alone", v, opts("0202"), NO_MSS));
            rows.add(row(n + "data offset 0", v, f -> f.l4[12] = 0, MAL));
            rows.add(row(n + "data offset 4", v, f -> f.l4[12] = 0x40, MAL));
            rows.add(row(n + "data offset 15 past the packet", v, f -> f.l4[12] = (byte) 0xf0, MAL));
            rows.add(row(n + "data offset 5 (options become data)", v, f -> f.l4[12] = 0x50, NO_MSS));
            rows.add(row(n + "TCP header of 19 bytes", v, f -> f.l4 = Arrays.copyOf(f.l4, 19), MAL));
            rows.add(row(n + "TCP header of 0 bytes", v, f -> f.l4 = new byte[0], MAL));
            rows.add(row(n + "SYN with 1000 data bytes", v, f -> f.l4 = Forge.tcp(0x02, Bufs.decode("020405b4"), 1000), CLAMPED));
            rows.add(row(n + "wrong TCP checksum", v, f -> {
                f.l4Checksum = false;
                f.l4[16] = 0x12;
            }, CLAMPED));
            rows.add(row(n + "UDP", v, f -> f.protocol = IpProtocols.UDP, NOT_TCP));
            rows.add(row(n + "ICMP", v, f -> f.protocol = v == 4 ? IpProtocols.ICMP : IpProtocols.ICMPV6, NOT_TCP));
            rows.add(row(n + "version 5", v, f -> f.versionNibble = 5, MAL));
            rows.add(row(n + "length +1", v, f -> f.length = len(f) + 1, MAL));
            rows.add(row(n + "length -1", v, f -> f.length = len(f) - 1, MAL));
            rows.add(row(n + "length 0", v, f -> f.length = 0, MAL));
            rows.add(row(n + "length 0xffff", v, f -> f.length = 0xffff, MAL));
        }
        rows.add(row("IPv4 IHL 0", 4, f -> f.ihl = 0, MAL));
        rows.add(row("IPv4 IHL 4", 4, f -> f.ihl = 4, MAL));
        rows.add(row("IPv4 IHL 6 without options", 4, f -> f.ihl = 6, MAL));
        rows.add(row("IPv4 IHL 15 past the packet", 4, f -> f.ihl = 15, MAL));
        rows.add(row("IPv4 options (NOP NOP NOP EOL)", 4, f -> f.ipOptions = Bufs.decode("01010100"), CLAMPED));
        rows.add(row("IPv4 40 bytes of options", 4, f -> f.ipOptions = Bufs.decode("01".repeat(39) + "00"), CLAMPED));
        rows.add(row("IPv4 header checksum wrong", 4, f -> f.ipChecksum = 0x1234, MAL));
        rows.add(row("IPv4 total length < IHL", 4, f -> f.length = 19, MAL));
        rows.add(row("IPv4 first fragment (MF)", 4, f -> f.flagsWord = 0x2000, CLAMPED));
        rows.add(row("IPv4 fragment offset 8", 4, f -> f.flagsWord = 0x0001, NOT_TCP));
        rows.add(row("IPv4 last fragment offset 65528", 4, f -> f.flagsWord = 0x1fff, NOT_TCP));
        rows.add(row("IPv6 hop-by-hop (PadN)", 6, ext(0, "0600010400000000"), CLAMPED));
        rows.add(row("IPv6 destination options 16 bytes", 6, ext(60, "0601010c" + "00".repeat(12)), CLAMPED));
        rows.add(row("IPv6 routing header", 6, ext(43, "0600000000000000"), CLAMPED));
        rows.add(row("IPv6 first fragment (M)", 6, ext(44, "0600000112345678"), CLAMPED));
        rows.add(row("IPv6 atomic fragment", 6, ext(44, "0600000012345678"), CLAMPED));
        rows.add(row("IPv6 non-first fragment", 6, ext(44, "0600000812345678"), NOT_TCP));
        rows.add(row("IPv6 hop-by-hop, fragment, destination options", 6,
                ext(0, "2c00010400000000" + "3c00000112345678" + "0600010400000000"), CLAMPED));
        rows.add(row("IPv6 extension header running past the payload", 6, ext(0, "06ff010400000000"), NOT_TCP));
        rows.add(row("IPv6 extension header cut short", 6, ext(0, "06000104").andThen(f -> f.l4 = new byte[0]), NOT_TCP));
        rows.add(row("IPv6 17 destination options headers", 6, ext(60, "3c00010400000000".repeat(16) + "0600010400000000"), NOT_TCP));
        rows.add(row("IPv6 AH (not walked)", 6, ext(51, "0602000000000000000000000000"), NOT_TCP));
        rows.add(row("IPv6 no next header (59)", 6, ext(59, ""), NOT_TCP));
        return rows.stream();
    }

    private static Arguments row(String name, int version, Consumer<Forge> forge, MssClamp.Outcome expected) {
        return Arguments.of(name, version, forge, expected);
    }

    private static Consumer<Forge> opts(String hex) {
        return f -> f.l4 = Forge.tcp(0x12, Bufs.decode(hex), 0);
    }

    private static Consumer<Forge> ext(int first, String hex) {
        return f -> {
            f.firstExt = first;
            f.ext = Bufs.decode(hex);
            if (first == 59 || hex.isEmpty()) {
                f.ext = new byte[0];
                f.protocol = first;
            }
        };
    }

    private static int len(Forge f) {
        return f.version == 4 ? 20 + f.ipOptions.length + f.l4.length : f.ext.length + f.l4.length;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void forged(String name, int version, Consumer<Forge> forge, MssClamp.Outcome expected) {
        Forge f = version == 4 ? Forge.v4() : Forge.v6();
        forge.accept(f);
        byte[] before = f.build();
        assertEquals(expected, clampChecked(before, LIMIT), name);
    }

    @Test
    void truncatedAtEveryLength() {
        for (Forge f : new Forge[] {Forge.v4(), Forge.v6()}) {
            f.l4 = Forge.tcp(0x12, Bufs.decode(LINUX_SYN), 0);
            byte[] full = f.build();
            for (int n = 0; n < full.length; n++) {
                // The bytes cut short, then the length field forged to match the cut.
                assertEquals(MAL, clampChecked(Arrays.copyOf(full, n), LIMIT), "cut at " + n);
                Forge g = f.version == 4 ? Forge.v4() : Forge.v6();
                g.l4 = f.l4;
                g.length = Math.max(0, n - (f.version == 4 ? 0 : 40));
                assertEquals(MAL, clampChecked(Arrays.copyOf(g.build(), n), LIMIT), "cut and length at " + n);
            }
        }
    }

    /**
     * Clamps {@code packet} in an exact-capacity buffer and checks the invariants of the class
     * comment; also clamps a copy with headroom and trailing bytes and expects the same.
     */
    static MssClamp.Outcome clampChecked(byte[] packet, int limit) {
        ByteBuf exact = Forge.exact(packet);
        ByteBuf roomy = Forge.exact(concat(new byte[] {1, 2, 3, 4, 5}, packet, new byte[] {6, 7, 8}));
        roomy.readerIndex(5);
        try {
            MssClamp.Outcome outcome = MssClamp.clamp(exact, limit);
            assertEquals(0, exact.readerIndex());
            assertEquals(packet.length, exact.writerIndex());
            byte[] after = ByteBufUtil.getBytes(exact);
            if (outcome != CLAMPED) {
                assertArrayEquals(packet, after, "untouched when " + outcome);
            } else {
                checkRewrite(packet, after, limit);
            }
            MssClamp.Outcome shifted = MssClamp.clamp(roomy, limit);
            assertEquals(5, roomy.readerIndex());
            byte[] whole = ByteBufUtil.getBytes(roomy, 0, roomy.writerIndex());
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, Arrays.copyOf(whole, 5));
            assertArrayEquals(new byte[] {6, 7, 8}, Arrays.copyOfRange(whole, whole.length - 3, whole.length));
            if (outcome == shifted) {
                assertArrayEquals(after, Arrays.copyOfRange(whole, 5, whole.length - 3));
            } else {
                // Only the length checks may differ: the trailing bytes make a too-long length fit.
                assertEquals(MAL, outcome);
            }
            return outcome;
        } finally {
            exact.release();
            roomy.release();
        }
    }

    private static void checkRewrite(byte[] before, byte[] after, int limit) {
        int tcp = TcpRef.tcpOffset(before);
        assertTrue(tcp > 0);
        int headerEnd = tcp + ((before[tcp + 12] & 0xF0) >>> 2);
        for (int i = 0; i < before.length; i++) {
            if (before[i] != after[i]) {
                assertTrue(i >= tcp && i < headerEnd, "byte " + i + " outside the TCP header changed");
            }
        }
        assertEquals(TcpRef.checksumResidue(before), TcpRef.checksumResidue(after), "checksum residue");
        for (int mss : TcpRef.mssValues(after)) {
            assertTrue(mss <= limit, "an MSS option " + mss + " above " + limit + " is left");
        }
        List<Integer> was = TcpRef.mssValues(before);
        List<Integer> now = TcpRef.mssValues(after);
        assertEquals(was.size(), now.size());
        for (int i = 0; i < was.size(); i++) {
            assertEquals(Math.min(was.get(i), limit), now.get(i), "MSS only ever lowered");
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
