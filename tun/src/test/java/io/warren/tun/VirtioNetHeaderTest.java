package io.warren.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class VirtioNetHeaderTest {
    /** Every field non-zero and distinct, so a swapped or dropped field shows. */
    private static final VirtioNetHeader FIXTURE = new VirtioNetHeader(
            VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_UDP_L4 | VirtioNetHeader.GSO_ECN,
            0x0123, 0x0578, 0x0222, 0x0006);
    private static final byte[] FIXTURE_BYTES = {
        0x01, (byte) 0x85, 0x23, 0x01, 0x78, 0x05, 0x22, 0x02, 0x06, 0x00};

    @Test
    void encodesLittleEndianFieldsInWireOrder() {
        ByteBuffer dst = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN);
        dst.position(1);
        FIXTURE.encode(dst);
        assertEquals(11, dst.position());
        byte[] wire = new byte[10];
        dst.get(1, wire);
        assertArrayEquals(FIXTURE_BYTES, wire);
    }

    @Test
    void decodesWhatItEncodedWithoutMovingPosition() {
        ByteBuffer src = ByteBuffer.allocateDirect(16);
        src.position(3);
        FIXTURE.encode(src);
        src.position(3);
        VirtioNetHeader.Decoded d = VirtioNetHeader.decode(src);
        assertEquals(new VirtioNetHeader.Ok(FIXTURE), d);
        assertEquals(3, src.position());
        assertTrue(FIXTURE.isGso());
        assertFalse(VirtioNetHeader.NONE.isGso());
    }

    @Test
    void decodesKernelCapturedUsoHeader() {
        // What a 14,000-byte UDP_SEGMENT send looked like on this kernel (java-stack.md):
        // NEEDS_CSUM, GSO_UDP_L4, hdr_len 28, gso_size 1400, csum_start 20, csum_offset 6.
        byte[] wire = {0x01, 0x05, 0x1c, 0x00, 0x78, 0x05, 0x14, 0x00, 0x06, 0x00};
        VirtioNetHeader.Decoded d = VirtioNetHeader.decode(ByteBuffer.wrap(wire));
        assertEquals(new VirtioNetHeader.Ok(new VirtioNetHeader(1, 5, 28, 1400, 20, 6)), d);
    }

    @Test
    void truncatedHeaderIsACountedDrop() {
        for (int len = 0; len < VirtioNetHeader.SIZE; len++) {
            ByteBuffer src = ByteBuffer.wrap(FIXTURE_BYTES, 0, len);
            assertEquals(new VirtioNetHeader.Dropped(VirtioNetHeader.DropReason.TRUNCATED),
                    VirtioNetHeader.decode(src), "length " + len);
        }
    }

    @Test
    void forgedHeadersAreDroppedWithAReason() {
        assertEquals(VirtioNetHeader.DropReason.UNKNOWN_GSO_TYPE, dropReason(0x01, 0x02, 1400));
        assertEquals(VirtioNetHeader.DropReason.UNKNOWN_GSO_TYPE, dropReason(0x01, 0x7f, 1400));
        assertEquals(VirtioNetHeader.DropReason.MISSING_GSO_SIZE, dropReason(0x01, 0x01, 0));
        assertEquals(VirtioNetHeader.DropReason.UNKNOWN_FLAGS, dropReason(0x08, 0x00, 0));
        assertEquals(VirtioNetHeader.DropReason.UNKNOWN_FLAGS, dropReason(0xff, 0x05, 1400));
    }

    private static VirtioNetHeader.DropReason dropReason(int flags, int gsoType, int gsoSize) {
        byte[] wire = FIXTURE_BYTES.clone();
        wire[0] = (byte) flags;
        wire[1] = (byte) gsoType;
        wire[4] = (byte) gsoSize;
        wire[5] = (byte) (gsoSize >> 8);
        VirtioNetHeader.Decoded d = VirtioNetHeader.decode(ByteBuffer.wrap(wire));
        return d instanceof VirtioNetHeader.Dropped dropped ? dropped.reason() : null;
    }

    @Test
    void oversizedFieldsAreRejectedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new VirtioNetHeader(0x100, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new VirtioNetHeader(0, 0, 0, 0x10000, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new VirtioNetHeader(0, 0, 0, 0, 0, -1));
    }

    @Test
    void encodeIntoTooSmallBufferFailsWithoutWriting() {
        ByteBuffer dst = ByteBuffer.allocate(9);
        assertThrows(BufferOverflowException.class, () -> FIXTURE.encode(dst));
        assertEquals(0, dst.position());
        assertArrayEquals(new byte[9], dst.array());
    }
}
