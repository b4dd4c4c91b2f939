package io.warren.gateway.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Hostile input for {@link DhcpCodec}: tables of bad packets and random checks against a slow reference. */
class DhcpCodecHostileTest {

    /** A BOOTREQUEST header (op 1, Ethernet, hlen 6), sname/file zero, magic cookie, then {@code options}. */
    private static byte[] packet(int op, int htype, int hlen, byte[] sname, byte[] file, byte[] options) {
        byte[] b = new byte[DhcpWire.OFF_OPTIONS + options.length];
        b[DhcpWire.OFF_OP] = (byte) op;
        b[DhcpWire.OFF_HTYPE] = (byte) htype;
        b[DhcpWire.OFF_HLEN] = (byte) hlen;
        b[DhcpWire.OFF_XID] = 0x5a;
        System.arraycopy(Msgs.mac(7), 0, b, DhcpWire.OFF_CHADDR, 6);
        System.arraycopy(sname, 0, b, DhcpWire.OFF_SNAME, sname.length);
        System.arraycopy(file, 0, b, DhcpWire.OFF_FILE, file.length);
        b[236] = 99;
        b[237] = (byte) 130;
        b[238] = 83;
        b[239] = 99;
        System.arraycopy(options, 0, b, DhcpWire.OFF_OPTIONS, options.length);
        return b;
    }

    private static byte[] packet(int... options) {
        byte[] o = new byte[options.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = (byte) options[i];
        }
        return packet(1, 1, 6, new byte[0], new byte[0], o);
    }

    private static DhcpDecodeResult decode(byte[] b) {
        return DhcpCodec.decode(Unpooled.wrappedBuffer(b));
    }

    private static DhcpMessage decoded(byte[] b) {
        return assertInstanceOf(DhcpDecodeResult.Decoded.class, decode(b)).message();
    }

    private static DhcpDropReason dropped(byte[] b) {
        return assertInstanceOf(DhcpDecodeResult.Dropped.class, decode(b)).reason();
    }

    @Test
    void zeroLengthOptionsWhoseDefinitionAllowsThemAreKept() {
        // RFC 4039 §4: Rapid Commit is code 80 with length 0 (systemd-networkd and dhcpcd send it)
        DhcpMessage m = decoded(packet(53, 1, 1, 80, 0, 255));
        assertTrue(m.options().has(80));
        assertEquals(0, m.options().length(80));
        // an option the server does not interpret says nothing by being empty (RFC 2131 §2: unknown options are ignored)
        assertEquals(DhcpMessageType.DHCPDISCOVER, decoded(packet(53, 1, 1, 224, 0, 255)).type());
        // and a reply can still be encoded from such a request
        ByteBuf out = Unpooled.buffer();
        DhcpCodec.encode(m, 576, out);
        assertEquals(0, decoded(ByteBufUtilBytes.of(out)).options().length(80));
    }

    @Test
    void zeroOrWrongLengthOfInterpretedOptionsIsDropped() {
        int[][] rows = {
            {53, 1, 1, 61, 0, 255}, // client-id empty (RFC 2132 §9.14: length >= 2)
            {53, 1, 1, 61, 1, 1, 255}, // client-id of 1 byte
            {53, 1, 1, 50, 0, 255}, // requested address empty
            {53, 1, 1, 50, 3, 10, 0, 0, 255},
            {53, 1, 1, 50, 5, 10, 0, 0, 1, 2, 255},
            {53, 1, 1, 51, 0, 255}, // lease time empty
            {53, 1, 1, 51, 2, 1, 2, 255},
            {53, 1, 1, 54, 0, 255},
            {53, 0, 255}, // message type empty
            {53, 2, 1, 1, 255},
            {53, 1, 1, 53, 1, 3, 255}, // option 53 twice concatenates to 2 bytes (RFC 3396)
            {53, 1, 1, 57, 1, 2, 255},
            {53, 1, 1, 12, 0, 255}, // host name empty (RFC 2132 §3.14: minimum length 1)
            {53, 1, 1, 55, 0, 255},
            {53, 1, 1, 52, 0, 255},
        };
        for (int[] row : rows) {
            assertEquals(DhcpDropReason.BAD_OPTION_LENGTH, dropped(packet(row)), Arrays.toString(row));
        }
        for (int t : new int[] {0, 9, 13, 128, 255}) {
            assertEquals(DhcpDropReason.UNKNOWN_MESSAGE_TYPE, dropped(packet(53, 1, t, 255)), "type " + t);
        }
    }

    @Test
    void headerAndFramingFaults() {
        for (int len = 0; len < DhcpWire.MIN_LENGTH; len++) {
            assertEquals(DhcpDropReason.TRUNCATED, dropped(Arrays.copyOf(packet(53, 1, 1, 255), len)), "length " + len);
        }
        for (int op : new int[] {0, 3, 255}) {
            assertEquals(DhcpDropReason.BAD_OP, dropped(packet(op, 1, 6, new byte[0], new byte[0], new byte[] {53, 1, 1, -1})));
        }
        for (int hlen : new int[] {17, 64, 255}) {
            assertEquals(DhcpDropReason.BAD_HLEN, dropped(packet(1, 1, hlen, new byte[0], new byte[0], new byte[] {53, 1, 1, -1})));
        }
        byte[] noCookie = packet(53, 1, 1, 255);
        noCookie[239] = 0;
        assertEquals(DhcpDropReason.BAD_MAGIC, dropped(noCookie));
        // a BOOTREPLY decodes (the core answers NOT_A_REQUEST), as does a non-Ethernet htype
        assertEquals(DhcpWire.BOOTREPLY, decoded(packet(2, 1, 6, new byte[0], new byte[0], new byte[] {53, 1, 2, -1})).op());
        assertEquals(32, decoded(packet(1, 32, 16, new byte[0], new byte[0], new byte[] {53, 1, 1, -1})).htype());
        assertEquals(DhcpDropReason.OPTION_OVERFLOW, dropped(packet(53, 1, 1, 12, 200, 'a')));
        assertEquals(DhcpDropReason.OPTION_OVERFLOW, dropped(packet(53, 1, 1, 12)));
        assertEquals(DhcpDropReason.MISSING_END, dropped(packet(53, 1, 1, 0, 0, 0)));
        assertEquals(DhcpDropReason.MISSING_END, dropped(packet(53, 1, 1)));
        assertEquals(DhcpDropReason.MISSING_MESSAGE_TYPE, dropped(packet(255)));
        assertEquals(DhcpDropReason.MISSING_MESSAGE_TYPE, dropped(packet(0, 0, 255, 53, 1, 1))); // after END: padding
        // a datagram of the maximum length, mostly padding, still decodes; a 64 KiB one is too long
        byte[] big = Arrays.copyOf(packet(53, 1, 3, 255), DhcpWire.MAX_MESSAGE);
        assertEquals(DhcpMessageType.DHCPREQUEST, decoded(big).type());
        assertEquals(DhcpDropReason.TOO_LONG, dropped(Arrays.copyOf(big, 65_507)));
    }

    @Test
    void overloadRows() {
        byte[] fileOpts = Arrays.copyOf(new byte[] {43, 2, 'c', 'd', -1}, DhcpWire.FILE_LENGTH);
        byte[] snameOpts = Arrays.copyOf(new byte[] {43, 1, 'e', -1}, DhcpWire.SNAME_LENGTH);
        // RFC 3396: one long option split over options, file, sname (read in that order, RFC 2131 §4.1)
        DhcpMessage m = decoded(packet(1, 1, 6, snameOpts, fileOpts, new byte[] {53, 1, 1, 52, 1, 3, 43, 2, 'a', 'b', -1}));
        assertArrayEquals("abcde".getBytes(), m.options().get(43).orElseThrow());
        // without option 52 the same fields are a plain server name and file name
        assertEquals(2, decoded(packet(1, 1, 6, snameOpts, fileOpts, new byte[] {53, 1, 1, 43, 2, 'a', 'b', -1}))
                .options().length(43));
        // option 52 value 0 / 4 / negative, overload inside file, file that runs over its field
        assertEquals(DhcpDropReason.BAD_OVERLOAD, dropped(packet(53, 1, 1, 52, 1, 0, 255)));
        assertEquals(DhcpDropReason.BAD_OVERLOAD, dropped(packet(53, 1, 1, 52, 1, 4, 255)));
        assertEquals(DhcpDropReason.BAD_OVERLOAD, dropped(packet(53, 1, 1, 52, 1, 0x81, 255)));
        byte[] loop = Arrays.copyOf(new byte[] {52, 1, 1, -1}, DhcpWire.FILE_LENGTH);
        assertEquals(DhcpDropReason.BAD_OVERLOAD, dropped(packet(1, 1, 6, new byte[0], loop, new byte[] {53, 1, 1, 52, 1, 1, -1})));
        byte[] runsOver = new byte[DhcpWire.FILE_LENGTH];
        runsOver[126] = 12;
        runsOver[127] = 5;
        assertEquals(DhcpDropReason.OPTION_OVERFLOW,
                dropped(packet(1, 1, 6, new byte[0], runsOver, new byte[] {53, 1, 1, 52, 1, 1, -1})));
    }

    /** The slow reference: every option written as TLVs of at most 255 bytes, then END. */
    private static byte[] referenceOptions(Map<Integer, byte[]> options, SplittableRandom rnd) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (Map.Entry<Integer, byte[]> e : options.entrySet()) {
            byte[] v = e.getValue();
            int at = 0;
            do {
                int n = Math.min(v.length - at, 1 + rnd.nextInt(255));
                if (rnd.nextInt(4) == 0) {
                    o.write(0); // PAD between options
                }
                o.write(e.getKey());
                o.write(n);
                o.write(v, at, n);
                at += n;
            } while (at < v.length);
        }
        o.write(255);
        return o.toByteArray();
    }

    @Test
    void randomOptionSequencesRoundTripAgainstAReferenceEncoder() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 3000; i++) {
            Map<Integer, byte[]> options = new LinkedHashMap<>();
            options.put(53, new byte[] {(byte) (1 + rnd.nextInt(8))});
            int count = rnd.nextInt(12);
            int total = 0;
            for (int k = 0; k < count; k++) {
                int code = 1 + rnd.nextInt(254);
                if (code == 52 || code == 53 || options.containsKey(code)) {
                    continue;
                }
                int len = lengthFor(code, rnd);
                byte[] v = new byte[len];
                for (int j = 0; j < len; j++) {
                    v[j] = (byte) rnd.nextInt(256);
                }
                int wireLength = len + 2 * (len / 255 + 1);
                if (total + wireLength < 1000) { // fits the 1260-byte options field of a 1500-byte message
                    options.put(code, v);
                    total += wireLength;
                }
            }
            byte[] wire = referenceOptions(options, rnd);
            DhcpMessage m = decoded(packet(1, 1, 6, new byte[0], new byte[0], wire));
            assertEquals(options.keySet(), m.options().codes(), "codes, run " + i);
            options.forEach((code, v) -> assertArrayEquals(v, m.options().get(code).orElseThrow(), "option " + code));
            // and the codec's own encoder gives the same options back
            ByteBuf again = Unpooled.buffer();
            assertEquals(0, DhcpCodec.encode(m, 1500, again));
            assertEquals(m.options(), decoded(ByteBufUtilBytes.of(again)).options());
        }
    }

    private static int lengthFor(int code, SplittableRandom rnd) {
        switch (code) {
            case 50: case 51: case 54: case 1: case 58: case 59:
                return 4;
            case 57:
                return 2;
            case 61:
                return 2 + rnd.nextInt(40);
            default:
                return (code == 12 || code == 55 ? 1 : 0) + rnd.nextInt(rnd.nextInt(10) == 0 ? 600 : 30);
        }
    }

    @Test
    void mutationsOfHeaderAndOverloadedPacketsNeverThrow() {
        SplittableRandom rnd = new SplittableRandom(99);
        byte[] fileOpts = Arrays.copyOf(new byte[] {43, 2, 'c', 'd', -1}, DhcpWire.FILE_LENGTH);
        byte[] snameOpts = Arrays.copyOf(new byte[] {12, 1, 'e', -1}, DhcpWire.SNAME_LENGTH);
        byte[] valid = packet(1, 1, 6, snameOpts, fileOpts,
                new byte[] {53, 1, 3, 52, 1, 3, 61, 7, 1, 2, 3, 4, 5, 6, 7, 50, 4, 10, 9, 0, 100, 80, 0, 82, 0, -1});
        decoded(valid);
        for (int i = 0; i < 30_000; i++) {
            byte[] b = valid.clone();
            for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            if (rnd.nextInt(8) == 0) {
                b = Arrays.copyOf(b, rnd.nextInt(b.length + 40));
            }
            DhcpDecodeResult r = decode(b);
            if (r instanceof DhcpDecodeResult.Decoded d) {
                ByteBuf out = Unpooled.buffer();
                DhcpCodec.encode(d.message(), 576 + rnd.nextInt(1000), out);
                assertInstanceOf(DhcpDecodeResult.class, DhcpCodec.decode(out));
            }
        }
    }

    /** The readable bytes of a buffer. */
    private static final class ByteBufUtilBytes {
        static byte[] of(ByteBuf b) {
            byte[] out = new byte[b.readableBytes()];
            b.getBytes(b.readerIndex(), out);
            return out;
        }
    }
}
