package io.warren.gateway.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DhcpCodecTest {

    /** Every field non-zero: a relayed REQUEST with sname, file, and options 53, 50, 54, 61, 12, 55, 82. */
    private static final String HEADER = "01" + "01" + "06" + "02" // op htype hlen hops
            + "a1b2c3d4" // xid
            + "0102" + "8000" // secs flags (BROADCAST)
            + "0a000102" + "0a000103" + "0a000104" + "0a000105" // ciaddr yiaddr siaddr giaddr
            + "0211223344a5" + "00".repeat(10); // chaddr

    private static String fixture() {
        String sname = "73727631" + "00".repeat(60); // "srv1"
        String file = "626f6f742e62696e" + "00".repeat(120); // "boot.bin"
        String options = "63825363"
                + "350103" // 53 REQUEST
                + "3204" + "0a090064" // 50 10.9.0.100
                + "3604" + "0a090001" // 54 10.9.0.1
                + "3d07" + "010211223344a5" // 61
                + "0c04" + "686f7374" // 12 "host"
                + "3703" + "01030f" // 55 [1,3,15]
                + "5206" + "010461626364" // 82 circuit id "abcd"
                + "00" + "ff";
        return HEADER + sname + file + options;
    }

    private static DhcpMessage decoded(ByteBuf b) {
        return assertInstanceOf(DhcpDecodeResult.Decoded.class, DhcpCodec.decode(b)).message();
    }

    private static DhcpDropReason dropped(ByteBuf b) {
        return assertInstanceOf(DhcpDecodeResult.Dropped.class, DhcpCodec.decode(b)).reason();
    }

    private static ByteBuf hex(String h) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(h));
    }

    @Test
    void decodesEveryField() {
        DhcpMessage m = decoded(hex(fixture()));
        assertEquals(1, m.op());
        assertEquals(1, m.htype());
        assertEquals(6, m.hlen());
        assertEquals(2, m.hops());
        assertEquals(0xa1b2c3d4, m.xid());
        assertEquals(0x0102, m.secs());
        assertTrue(m.broadcast());
        assertEquals(Msgs.ip("10.0.1.2"), m.ciaddr());
        assertEquals(Msgs.ip("10.0.1.3"), m.yiaddr());
        assertEquals(Msgs.ip("10.0.1.4"), m.siaddr());
        assertEquals(Msgs.ip("10.0.1.5"), m.giaddr());
        assertEquals("02:11:22:33:44:a5", DhcpText.hex(m.hardwareAddress()));
        assertEquals("srv1", new String(m.sname()).trim());
        assertEquals("boot.bin", new String(m.file()).trim());
        assertEquals(DhcpMessageType.DHCPREQUEST, m.type());
        assertEquals(Msgs.ip("10.9.0.100"), m.options().requestedAddress().getAsInt());
        assertEquals(Msgs.ip("10.9.0.1"), m.options().serverId().getAsInt());
        assertEquals("01:02:11:22:33:44:a5", DhcpText.hex(m.options().clientId().orElseThrow()));
        assertEquals("host", m.options().hostName().orElseThrow());
        assertArrayEquals(new int[] {1, 3, 15}, m.options().parameterRequestList());
        assertEquals("01:04:61:62:63:64", DhcpText.hex(m.options().relayAgentInfo().orElseThrow()));
    }

    @Test
    void encodeIsByteExactAndRoundTrips() {
        DhcpMessage m = decoded(hex(fixture()));
        ByteBuf out = Unpooled.buffer();
        assertEquals(0, DhcpCodec.encode(m, 576, out));
        // the encoder drops pads and keeps order: the fixture without its "00" pad before end
        String expected = fixture().replace("00ff", "ff");
        String got = ByteBufUtil.hexDump(out);
        assertEquals(expected, got.substring(0, expected.length()));
        assertEquals(DhcpWire.MIN_REPLY_LENGTH, out.readableBytes()); // padded to 300
        assertEquals(m, decoded(out));
    }

    @Test
    void truncatedAtEveryLengthIsDropped() {
        byte[] full = ByteBufUtil.decodeHexDump(fixture());
        for (int n = 0; n < DhcpWire.MIN_LENGTH; n++) {
            assertEquals(DhcpDropReason.TRUNCATED, dropped(Unpooled.wrappedBuffer(Arrays.copyOf(full, n))), "length " + n);
        }
        for (int n = DhcpWire.MIN_LENGTH; n < full.length - 1; n++) {
            DhcpDecodeResult r = DhcpCodec.decode(Unpooled.wrappedBuffer(Arrays.copyOf(full, n)));
            DhcpDropReason reason = assertInstanceOf(DhcpDecodeResult.Dropped.class, r, "length " + n).reason();
            assertTrue(reason == DhcpDropReason.OPTION_OVERFLOW || reason == DhcpDropReason.MISSING_END, reason + " at " + n);
        }
    }

    @Test
    void datagramsLongerThanTheMaximumAreTooLongNotMalformed() {
        byte[] full = ByteBufUtil.decodeHexDump(fixture());
        // options, end, then padding up to the maximum: a valid message
        byte[] longest = Arrays.copyOf(full, DhcpWire.MAX_MESSAGE);
        assertInstanceOf(DhcpDecodeResult.Decoded.class, DhcpCodec.decode(Unpooled.wrappedBuffer(longest)));
        // what the shell sees of a longer datagram: its buffer (one byte longer than the maximum) filled,
        // the rest cut by the kernel, here in the middle of a long option with no end option
        byte[] cut = Arrays.copyOf(Arrays.copyOf(full, DhcpWire.OFF_OPTIONS + 3), DhcpWire.MAX_MESSAGE + 1);
        for (int at = DhcpWire.OFF_OPTIONS + 3; at < cut.length; at += 257) {
            cut[at] = (byte) 224;
            if (at + 1 < cut.length) {
                cut[at + 1] = (byte) 255;
            }
        }
        assertEquals(DhcpDropReason.TOO_LONG, dropped(Unpooled.wrappedBuffer(cut)));
        assertEquals(DhcpDropReason.TOO_LONG, dropped(Unpooled.wrappedBuffer(Arrays.copyOf(full, 65507))));
    }

    @Test
    void headerFaults() {
        assertEquals(DhcpDropReason.BAD_OP, dropped(hex("03" + fixture().substring(2))));
        assertEquals(DhcpDropReason.BAD_OP, dropped(hex("00" + fixture().substring(2))));
        assertEquals(DhcpDropReason.BAD_HLEN, dropped(hex("0101" + "11" + fixture().substring(6))));
        assertEquals(DhcpDropReason.BAD_MAGIC, dropped(hex(fixture().replace("63825363", "63825364"))));
    }

    private static String withOptions(String options) {
        return HEADER + "00".repeat(64 + 128) + "63825363" + options;
    }

    @Test
    void optionFaults() {
        assertEquals(DhcpDropReason.OPTION_OVERFLOW, dropped(hex(withOptions("350101" + "0c09" + "6162"))));
        assertEquals(DhcpDropReason.OPTION_OVERFLOW, dropped(hex(withOptions("350101" + "0c")))); // no length byte
        assertEquals(DhcpDropReason.BAD_OPTION_LENGTH, dropped(hex(withOptions("35020101" + "ff"))));
        assertEquals(DhcpDropReason.BAD_OPTION_LENGTH, dropped(hex(withOptions("350101" + "3203" + "0a0000" + "ff"))));
        assertEquals(DhcpDropReason.BAD_OPTION_LENGTH, dropped(hex(withOptions("350101" + "3d01" + "01" + "ff"))));
        assertEquals(DhcpDropReason.BAD_OPTION_LENGTH, dropped(hex(withOptions("350101" + "0c00" + "ff"))));
        assertEquals(DhcpDropReason.MISSING_END, dropped(hex(withOptions("350101" + "000000"))));
        assertEquals(DhcpDropReason.MISSING_MESSAGE_TYPE, dropped(hex(withOptions("0c0161" + "ff"))));
        assertEquals(DhcpDropReason.UNKNOWN_MESSAGE_TYPE, dropped(hex(withOptions("350109" + "ff"))));
        assertEquals(DhcpDropReason.UNKNOWN_MESSAGE_TYPE, dropped(hex(withOptions("350100" + "ff"))));
    }

    @Test
    void overloadedFileAndSnameAreReadInOrder() {
        // options: 53, 52=3 (both); file: 12 "ab"; sname: 12 "cd" (concatenated, RFC 3396) and 51
        String sname = "0c02" + "6364" + "3304" + "00000e10" + "ff" + "00".repeat(64 - 11);
        String file = "0c02" + "6162" + "ff" + "00".repeat(128 - 5);
        String m = HEADER + sname + file + "63825363" + "350101" + "340103" + "ff";
        DhcpMessage d = decoded(hex(m));
        assertEquals("abcd", d.options().hostName().orElseThrow());
        assertEquals(3600, d.options().leaseTime().getAsInt());
    }

    @Test
    void overloadFaultsAreDropped() {
        String fileWithOverload = "340101" + "ff" + "00".repeat(124); // 52 inside file: a loop
        assertEquals(DhcpDropReason.BAD_OVERLOAD,
                dropped(hex(HEADER + "00".repeat(64) + fileWithOverload + "63825363" + "350101" + "340101" + "ff")));
        assertEquals(DhcpDropReason.BAD_OVERLOAD, dropped(hex(withOptions("350101" + "340104" + "ff"))));
        assertEquals(DhcpDropReason.BAD_OPTION_LENGTH, dropped(hex(withOptions("350101" + "34020101" + "ff"))));
        // file overloaded but holding no end option
        assertEquals(DhcpDropReason.MISSING_END,
                dropped(hex(HEADER + "00".repeat(64) + "0c7e" + "61".repeat(126) + "63825363" + "350101" + "340101" + "ff")));
    }

    @Test
    void oversizedDatagramWithPaddingDecodes() {
        String m = withOptions("350101" + "ff");
        m += "00".repeat(DhcpWire.MAX_MESSAGE - m.length() / 2);
        assertEquals(DhcpMessageType.DHCPDISCOVER, decoded(hex(m)).type());
        assertEquals(DhcpDropReason.TOO_LONG, dropped(hex(m + "00")));
    }

    @Test
    void longOptionsAreSplitAndOverloadUsedWhenNeeded() {
        byte[] big = new byte[300]; // > 255: split in two TLVs (RFC 3396)
        Arrays.fill(big, (byte) 7);
        DhcpMessage m = Msgs.from(5, DhcpMessageType.DHCPACK).option(43, big).option(77, new byte[100]).build();
        ByteBuf out = Unpooled.buffer();
        assertEquals(0, DhcpCodec.encode(m, 576, out));
        assertTrue(out.readableBytes() <= 576);
        DhcpMessage back = decoded(out);
        assertArrayEquals(big, back.options().get(43).orElseThrow());
        assertArrayEquals(new byte[100], back.options().get(77).orElseThrow());
        assertTrue(back.options().has(DhcpWire.OPT_OVERLOAD), "option 52 was used");
    }

    @Test
    void randomBytesAndMutationsNeverThrow() {
        SplittableRandom rnd = new SplittableRandom(42);
        byte[] valid = ByteBufUtil.decodeHexDump(fixture());
        for (int i = 0; i < 20_000; i++) {
            byte[] b;
            if (i % 2 == 0) {
                b = valid.clone();
                for (int k = 0; k < 1 + rnd.nextInt(6); k++) {
                    b[DhcpWire.MIN_LENGTH - 4 + rnd.nextInt(b.length - DhcpWire.MIN_LENGTH + 4)] = (byte) rnd.nextInt(256);
                }
                if (rnd.nextBoolean()) {
                    b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
                }
            } else {
                b = new byte[rnd.nextInt(700)];
                for (int k = 0; k < b.length; k++) {
                    b[k] = (byte) rnd.nextInt(256);
                }
                if (b.length >= DhcpWire.MIN_LENGTH) {
                    b[0] = 1;
                    b[2] = 6;
                    System.arraycopy(valid, DhcpWire.OFF_OPTIONS - 4, b, DhcpWire.OFF_OPTIONS - 4, 4);
                }
            }
            DhcpDecodeResult r = DhcpCodec.decode(Unpooled.wrappedBuffer(b));
            if (r instanceof DhcpDecodeResult.Decoded d) {
                ByteBuf again = Unpooled.buffer();
                DhcpCodec.encode(d.message(), 1500, again);
                assertEquals(d.message().options(), decoded(again).options());
            }
        }
    }
}
