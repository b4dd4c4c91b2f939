package io.warren.gateway.encap.gre;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * GRE decoding under hostile input, checked against a tiny reference encoder written from RFC 2784
 * §2 and RFC 2890 §2 alone: random headers decode to their fields; every flag combination truncated
 * at every length, every version, every Reserved0 bit, foreign protocol types and corrupt checksums
 * are counted drops with the reader index untouched; random mutations never throw.
 */
class GreHostileTest {
    private static final int[] PROTOCOLS = {0x0800, 0x86DD, 0x6558};

    /** The reference: flags word, protocol, [checksum, reserved1], [key], [sequence], payload. */
    private static byte[] reference(int flagsWord, int protocol, int reserved1, int key, int sequence, byte[] payload) {
        boolean c = (flagsWord & 0x8000) != 0;
        boolean k = (flagsWord & 0x2000) != 0;
        boolean s = (flagsWord & 0x1000) != 0;
        int length = 4 + (c ? 4 : 0) + (k ? 4 : 0) + (s ? 4 : 0) + payload.length;
        byte[] out = new byte[length];
        int at = 0;
        at = put16(out, at, flagsWord);
        at = put16(out, at, protocol);
        int checksumAt = at;
        if (c) {
            at = put16(out, at, 0);
            at = put16(out, at, reserved1);
        }
        if (k) {
            at = put16(out, at, key >>> 16);
            at = put16(out, at, key);
        }
        if (s) {
            at = put16(out, at, sequence >>> 16);
            at = put16(out, at, sequence);
        }
        System.arraycopy(payload, 0, out, at, payload.length);
        if (c) {
            long sum = 0;
            for (int i = 0; i < out.length; i += 2) {
                sum += ((out[i] & 0xff) << 8) | (i + 1 < out.length ? out[i + 1] & 0xff : 0);
            }
            while ((sum >>> 16) != 0) {
                sum = (sum & 0xffff) + (sum >>> 16);
            }
            put16(out, checksumAt, (int) ~sum);
        }
        return out;
    }

    private static int put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
        return at + 2;
    }

    private static ByteBuf at(byte[] packet, int offset) {
        ByteBuf b = Unpooled.buffer(offset + packet.length);
        b.writerIndex(offset).writeBytes(packet);
        b.readerIndex(offset);
        return b;
    }

    private static GreDropReason dropped(ByteBuf packet) {
        int reader = packet.readerIndex();
        int writer = packet.writerIndex();
        GreDropReason r = assertInstanceOf(GreDecodeResult.Dropped.class, GreCodec.decode(packet)).reason();
        assertEquals(reader, packet.readerIndex(), "reader index untouched on a drop");
        assertEquals(writer, packet.writerIndex());
        return r;
    }

    @Test
    void randomHeadersFromTheReferenceDecodeToTheirFields() {
        SplittableRandom random = new SplittableRandom(2784);
        for (int i = 0; i < 20_000; i++) {
            boolean c = random.nextBoolean();
            boolean k = random.nextBoolean();
            boolean s = random.nextBoolean();
            int ignored = random.nextInt(0x80) << 3; // Reserved0 bits 6-12: ignored on receipt
            int flags = (c ? 0x8000 : 0) | (k ? 0x2000 : 0) | (s ? 0x1000 : 0) | ignored;
            int protocol = PROTOCOLS[random.nextInt(PROTOCOLS.length)];
            int key = random.nextInt();
            int sequence = random.nextInt();
            byte[] payload = new byte[random.nextInt(0, 80)];
            random.nextBytes(payload);
            byte[] packet = reference(flags, protocol, random.nextInt(0x10000), key, sequence, payload);
            int offset = random.nextInt(0, 8);
            ByteBuf b = at(packet, offset);
            GreDecodeResult.Decoded d = assertInstanceOf(GreDecodeResult.Decoded.class, GreCodec.decode(b), "row " + i);
            assertEquals(c, d.checksumPresent());
            assertEquals(k, d.keyPresent());
            assertEquals(k ? key : 0, d.key());
            assertEquals(s, d.sequencePresent());
            assertEquals(s ? sequence : 0, d.sequence());
            assertEquals(protocol, d.protocolType());
            assertEquals(offset + packet.length - payload.length, b.readerIndex(), "row " + i);
            // And our encoder writes what the reference writes (Reserved bits zero).
            GreHeader h = new GreHeader(false, 0, k, k ? key : 0, s, s ? sequence : 0, protocol);
            h = c ? h.withChecksum() : h;
            ByteBuf out = Unpooled.buffer();
            GreCodec.encode(h, Unpooled.wrappedBuffer(payload), out);
            byte[] expected = reference(flags & ~ignored, protocol, 0, key, sequence, payload);
            assertEquals(Unpooled.wrappedBuffer(expected), out, "row " + i);
        }
    }

    @Test
    void everyFlagCombinationTruncatedAtEveryLengthIsTruncated() {
        for (int flags = 0; flags < 8; flags++) {
            int word = ((flags & 4) != 0 ? 0x8000 : 0) | ((flags & 2) != 0 ? 0x2000 : 0) | ((flags & 1) != 0 ? 0x1000 : 0);
            byte[] full = reference(word, 0x0800, 0, 0x01020304, 0x05060708, new byte[0]);
            for (int len = 0; len < full.length; len++) {
                byte[] cut = java.util.Arrays.copyOf(full, len);
                assertEquals(GreDropReason.TRUNCATED, dropped(at(cut, 3)), "flags " + flags + " length " + len);
            }
            assertInstanceOf(GreDecodeResult.Decoded.class, GreCodec.decode(at(full, 3)), "flags " + flags);
        }
    }

    @Test
    void versionsReservedBitsAndRoutingAreDropped() {
        for (int version = 1; version < 8; version++) {
            assertEquals(GreDropReason.BAD_VERSION, dropped(at(reference(version, 0x0800, 0, 0, 0, new byte[20]), 0)));
        }
        // RFC 2784 §2.3: bits 1-5 non-zero MUST be discarded by a receiver not implementing RFC 1701;
        // K (bit 2) and S (bit 3) are RFC 2890's. Bit 1 is RFC 1701's Routing Present.
        for (int bit : new int[] {1, 4, 5}) {
            int word = 0x8000 >>> bit;
            assertEquals(GreDropReason.RESERVED_BITS, dropped(at(reference(word, 0x0800, 0, 0, 0, new byte[20]), 0)),
                    "bit " + bit);
        }
        // RFC 1701 with Routing Present and a (legacy) routing field: dropped, never misparsed.
        byte[] legacy = {(byte) 0x40, 0, 0x08, 0, 0, 0, 0, 0, 0, 0x08, 0x04, 0x00};
        assertEquals(GreDropReason.RESERVED_BITS, dropped(at(legacy, 0)));
    }

    @Test
    void foreignProtocolTypesAreUnknown() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 2000; i++) {
            int protocol = random.nextInt(0x10000);
            if (protocol == 0x0800 || protocol == 0x86DD || protocol == 0x6558) {
                continue;
            }
            assertEquals(GreDropReason.UNKNOWN_PROTOCOL, dropped(at(reference(0x8000, protocol, 0, 0, 0, new byte[9]), 0)),
                    Integer.toHexString(protocol));
        }
        // 0x880B (PPP, PPTP's enhanced GRE) comes with version 1: a version drop first.
        assertEquals(GreDropReason.BAD_VERSION, dropped(at(reference(0x3001, 0x880B, 0, 0, 0, new byte[9]), 0)));
    }

    @Test
    void anySingleBitFlipUnderTheChecksumIsCaught() {
        byte[] packet = reference(0xB000, 0x0800, 0x1234, 0x0a0b0c0d, 7, new byte[] {0x45, 0, 0, 21, 1, 2, 3, 4, 5});
        for (int bit = 4 * 8; bit < packet.length * 8; bit++) { // past the flags word and protocol
            byte[] bad = packet.clone();
            bad[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            assertEquals(GreDropReason.BAD_CHECKSUM, dropped(at(bad, 1)), "bit " + bit);
        }
        // A flip of the protocol type is caught too (it is under the checksum), before the type check.
        byte[] bad = packet.clone();
        bad[3] ^= 1;
        assertEquals(GreDropReason.BAD_CHECKSUM, dropped(at(bad, 0)));
    }

    @Test
    void randomMutationsNeverThrow() {
        SplittableRandom random = new SplittableRandom(2890);
        int decoded = 0;
        for (int i = 0; i < 50_000; i++) {
            int flags = (random.nextBoolean() ? 0x8000 : 0) | (random.nextBoolean() ? 0x2000 : 0)
                    | (random.nextBoolean() ? 0x1000 : 0);
            byte[] payload = new byte[random.nextInt(0, 40)];
            random.nextBytes(payload);
            byte[] p = reference(flags, PROTOCOLS[random.nextInt(3)], 0, random.nextInt(), random.nextInt(), payload);
            for (int m = random.nextInt(1, 5); m > 0; m--) {
                p[random.nextInt(p.length)] = (byte) random.nextInt(256);
            }
            p = java.util.Arrays.copyOf(p, random.nextInt(0, p.length + 1));
            ByteBuf b = at(p, random.nextInt(0, 4));
            int reader = b.readerIndex();
            GreDecodeResult r = GreCodec.decode(b, new GreDecodeResult.Decoded());
            if (r instanceof GreDecodeResult.Decoded d) {
                decoded++;
                int length = 4 + (d.checksumPresent() ? 4 : 0) + (d.keyPresent() ? 4 : 0) + (d.sequencePresent() ? 4 : 0);
                assertEquals(reader + length, b.readerIndex());
                assertTrue(b.readerIndex() <= b.writerIndex());
            } else {
                assertEquals(reader, b.readerIndex());
            }
        }
        assertTrue(decoded > 1000, "mutations keep some packets valid: " + decoded);
    }
}
