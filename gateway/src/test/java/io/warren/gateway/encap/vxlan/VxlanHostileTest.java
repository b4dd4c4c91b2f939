package io.warren.gateway.encap.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * VXLAN decoding (RFC 7348 §5) against a reference encoder, bit by bit: every one of the 56 reserved
 * bits is ignored by default and dropped in strict mode (Linux's behaviour); the I flag; every inner
 * frame length below an Ethernet header; jumbo frames; random headers; the flow-hash source port.
 */
class VxlanHostileTest {

    /** The reference: flags, reserved (24), VNI (24), reserved (8), then the frame. */
    private static ByteBuf reference(long header, byte[] frame, int offset) {
        ByteBuf b = Unpooled.buffer(offset + 8 + frame.length);
        b.writerIndex(offset);
        for (int i = 7; i >= 0; i--) {
            b.writeByte((int) (header >>> (8 * i)));
        }
        b.writeBytes(frame);
        b.readerIndex(offset);
        return b;
    }

    private static final long I_FLAG = 0x08L << 56;

    private static VxlanDropReason dropped(ByteBuf b, ReservedBits mode) {
        int reader = b.readerIndex();
        VxlanDropReason r = assertInstanceOf(VxlanDecodeResult.Dropped.class, VxlanCodec.decode(b, mode)).reason();
        assertEquals(reader, b.readerIndex());
        return r;
    }

    @Test
    void everyReservedBitIsIgnoredByDefaultAndDroppedWhenStrict() {
        byte[] frame = new byte[60];
        long vni = 0xabcdefL << 8;
        for (int bit = 0; bit < 64; bit++) {
            long mask = 1L << bit;
            boolean isVni = bit >= 8 && bit < 32;
            if (isVni || mask == I_FLAG) {
                continue;
            }
            long header = I_FLAG | vni | mask;
            VxlanDecodeResult.Decoded d = assertInstanceOf(VxlanDecodeResult.Decoded.class,
                    VxlanCodec.decode(reference(header, frame, 2), ReservedBits.IGNORE), "bit " + bit);
            assertEquals(0xabcdef, d.vni(), "bit " + bit);
            assertTrue(d.header().reservedNonZero());
            assertEquals(VxlanDropReason.RESERVED_NONZERO, dropped(reference(header, frame, 2), ReservedBits.STRICT),
                    "bit " + bit);
        }
    }

    @Test
    void iFlagClearIsDroppedWhateverElseIsSet() {
        SplittableRandom random = new SplittableRandom(7348);
        for (int i = 0; i < 2000; i++) {
            long header = random.nextLong() & ~I_FLAG;
            for (ReservedBits mode : ReservedBits.values()) {
                assertEquals(VxlanDropReason.I_FLAG_NOT_SET, dropped(reference(header, new byte[14], 0), mode));
            }
        }
    }

    @Test
    void innerFramesShorterThanAnEthernetHeaderAreTruncatedAndJumbosPass() {
        for (int len = 0; len < 14; len++) {
            assertEquals(VxlanDropReason.TRUNCATED, dropped(reference(I_FLAG | 5L << 8, new byte[len], 1),
                    ReservedBits.IGNORE), "frame of " + len);
        }
        for (int len : new int[] {14, 60, 1514, 1518, 9018, 65_000}) {
            ByteBuf b = reference(I_FLAG | 5L << 8, new byte[len], 1);
            assertInstanceOf(VxlanDecodeResult.Decoded.class, VxlanCodec.decode(b, ReservedBits.STRICT));
            assertEquals(len, b.readableBytes());
        }
    }

    @Test
    void randomHeadersDecodeToTheirFieldsOrTheirReason() {
        SplittableRandom random = new SplittableRandom(4789);
        for (int i = 0; i < 20_000; i++) {
            long header = random.nextLong();
            if (random.nextBoolean()) {
                header = (header & 0x0000_0000_ffff_ff00L) | I_FLAG; // a clean header half of the time
            }
            byte[] frame = new byte[random.nextInt(0, 100)];
            for (ReservedBits mode : ReservedBits.values()) {
                ByteBuf b = reference(header, frame, random.nextInt(0, 4));
                int reader = b.readerIndex();
                VxlanDecodeResult r = VxlanCodec.decode(b, mode, new VxlanDecodeResult.Decoded());
                boolean iFlag = (header & I_FLAG) != 0;
                boolean reserved = (header & ~I_FLAG & ~0x0000_0000_ffff_ff00L) != 0;
                if (frame.length < 14) {
                    assertEquals(VxlanDropReason.TRUNCATED, ((VxlanDecodeResult.Dropped) r).reason());
                } else if (!iFlag) {
                    assertEquals(VxlanDropReason.I_FLAG_NOT_SET, ((VxlanDecodeResult.Dropped) r).reason());
                } else if (reserved && mode == ReservedBits.STRICT) {
                    assertEquals(VxlanDropReason.RESERVED_NONZERO, ((VxlanDecodeResult.Dropped) r).reason());
                } else {
                    VxlanDecodeResult.Decoded d = assertInstanceOf(VxlanDecodeResult.Decoded.class, r);
                    assertEquals((int) (header >>> 8) & 0xffffff, d.vni());
                    assertEquals(reader + 8, b.readerIndex());
                    VxlanHeader h = d.header();
                    ByteBuf out = Unpooled.buffer();
                    VxlanCodec.encode(h, out);
                    assertEquals(header, out.getLong(0), "fields as received re-encode to the same bytes");
                    continue;
                }
                assertEquals(reader, b.readerIndex());
            }
        }
    }

    /** RFC 7348 §5: the source port is in 49152-65535 for every input, tagged, short or garbage. */
    @Test
    void sourcePortIsAlwaysInTheDynamicRange() {
        SplittableRandom random = new SplittableRandom(49152);
        FlowHash hash = new FlowHash(random.nextInt());
        for (int i = 0; i < 20_000; i++) {
            byte[] frame = new byte[random.nextInt(0, 120)];
            random.nextBytes(frame);
            if (frame.length > 16 && random.nextBoolean()) {
                frame[12] = (byte) 0x81;
                frame[13] = 0;
            }
            int port = FlowHash.sourcePort(hash.hashEthernet(Unpooled.wrappedBuffer(frame)));
            assertTrue(port >= 49152 && port <= 65535, "port " + port);
            int ipPort = FlowHash.sourcePort(hash.hashIp(Unpooled.wrappedBuffer(frame)));
            assertTrue(ipPort >= 49152 && ipPort <= 65535, "port " + ipPort);
        }
    }
}
