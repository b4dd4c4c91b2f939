package io.warren.gateway.encap.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.warren.gateway.packet.Bufs;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VxlanCodecTest {

    /** Inner Ethernet frame: dst 02:11:22:33:44:55, src 02:66:77:88:99:aa, EtherType ARP, 2 bytes. */
    private static final String FRAME = "021122334455" + "02667788 99aa".replace(" ", "") + "0806" + "abcd";
    /** I flag, VNI 0x123456, reserved zero (RFC 7348 §5). */
    private static final String HEADER = "08000000" + "12345600";
    /** Every reserved bit pattern non-zero: flags 0x8c, reserved 0xabcdef, VNI 0x123456, reserved 0x7f. */
    private static final String RESERVED_SET = "8cabcdef" + "1234567f";

    private final Bufs bufs = new Bufs();

    @AfterEach
    void release() {
        bufs.close();
    }

    private VxlanHeader decoded(ByteBuf packet, ReservedBits mode) {
        return assertInstanceOf(VxlanDecodeResult.Decoded.class, VxlanCodec.decode(packet, mode)).header();
    }

    private VxlanDropReason dropped(ByteBuf packet, ReservedBits mode) {
        int reader = packet.readerIndex();
        VxlanDropReason reason = assertInstanceOf(VxlanDecodeResult.Dropped.class,
                VxlanCodec.decode(packet, mode)).reason();
        assertEquals(reader, packet.readerIndex());
        return reason;
    }

    @Test
    void roundTripIsByteExact() {
        ByteBuf frame = bufs.hex(FRAME, 8);
        VxlanCodec.prepend(VxlanHeader.of(0x123456), frame);
        assertEquals(HEADER + FRAME, Bufs.hexOf(frame));
        assertEquals(VxlanHeader.of(0x123456), decoded(frame, ReservedBits.STRICT));
        assertEquals(FRAME, Bufs.hexOf(frame));

        ByteBuf out = bufs.empty();
        VxlanCodec.encode(new VxlanHeader(0x8c, 0xabcdef, 0x123456, 0x7f), out);
        assertEquals(RESERVED_SET, Bufs.hexOf(out));
    }

    @Test
    void reservedBitsIgnoredByDefaultPerRfc() {
        VxlanHeader header = decoded(bufs.hex(RESERVED_SET + FRAME), ReservedBits.IGNORE);
        assertEquals(new VxlanHeader(0x8c, 0xabcdef, 0x123456, 0x7f), header);
        assertEquals(0x123456, header.vni());
    }

    @Test
    void strictModeDropsEachReservedField() {
        for (String h : new String[] {"88000000" + "12345600", "08000001" + "12345600", "08000000" + "12345601"}) {
            assertEquals(VxlanDropReason.RESERVED_NONZERO, dropped(bufs.hex(h + FRAME), ReservedBits.STRICT), h);
            decoded(bufs.hex(h + FRAME), ReservedBits.IGNORE);
        }
    }

    @Test
    void iFlagClearIsDropped() {
        for (ReservedBits mode : ReservedBits.values()) {
            assertEquals(VxlanDropReason.I_FLAG_NOT_SET, dropped(bufs.hex("84abcdef1234567f" + FRAME), mode));
        }
    }

    @Test
    void truncatedAtEveryLength() {
        byte[] packet = Bufs.decode(HEADER + FRAME);
        for (int n = 0; n < 8 + 14; n++) {
            assertEquals(VxlanDropReason.TRUNCATED,
                    dropped(bufs.bytes(Arrays.copyOf(packet, n), 3), ReservedBits.IGNORE), "length " + n);
        }
        decoded(bufs.bytes(Arrays.copyOf(packet, 22), 3), ReservedBits.IGNORE);
    }

    @Test
    void randomGarbageNeverThrows() {
        SplittableRandom random = new SplittableRandom(7348);
        for (int i = 0; i < 20000; i++) {
            byte[] data = new byte[random.nextInt(0, 30)];
            random.nextBytes(data);
            VxlanCodec.decode(bufs.bytes(data, 0), random.nextBoolean() ? ReservedBits.IGNORE : ReservedBits.STRICT);
            if (i % 1000 == 0) {
                bufs.close();
            }
        }
    }

    @Test
    void headerValidatesWidths() {
        assertThrows(IllegalArgumentException.class, () -> VxlanHeader.of(0x1000000));
        assertThrows(IllegalArgumentException.class, () -> new VxlanHeader(0x100, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new VxlanHeader(8, 0x1000000, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new VxlanHeader(8, 0, 1, 0x100));
        ByteBuf noRoom = bufs.hex(FRAME, 7);
        assertThrows(IllegalArgumentException.class, () -> VxlanCodec.prepend(VxlanHeader.of(1), noRoom));
        assertEquals(4789, VxlanCodec.PORT);
    }
}
