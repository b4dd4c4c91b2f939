package io.warren.gateway.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StunCodecTest {
    /** RFC 5769 §2.2: sample IPv4 response (SOFTWARE, XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT). */
    private static final String RFC5769_IPV4_RESPONSE = "0101003c2112a442b7e7a701bc34d686fa87dfae"
            + "8022000b7465737420766563746f7220"
            + "002000080001a147e112a643"
            + "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7"
            + "80280004c07d4c96";

    private static final TransactionId ID = new TransactionId(0x0badf00d, 0x1122334455667788L);

    private static ByteBuffer hex(String h) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(h));
    }

    private static StunMessage decoded(ByteBuffer b) {
        StunDecodeResult r = StunCodec.decode(b);
        assertInstanceOf(StunDecodeResult.Decoded.class, r, r::toString);
        return ((StunDecodeResult.Decoded) r).message();
    }

    private static StunDropReason dropped(ByteBuffer b) {
        StunDecodeResult r = StunCodec.decode(b);
        assertInstanceOf(StunDecodeResult.Dropped.class, r, r::toString);
        return ((StunDecodeResult.Dropped) r).reason();
    }

    @Test
    void rfc5769SampleResponseDecodes() throws Exception {
        StunMessage m = decoded(hex(RFC5769_IPV4_RESPONSE));
        assertEquals(StunWire.BINDING_SUCCESS_RESPONSE, m.type());
        assertEquals(new TransactionId(0xb7e7a701, 0xbc34d686fa87dfaeL), m.transactionId());
        assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853), m.reflexive().orElseThrow());
        assertTrue(m.fingerprinted());
    }

    @Test
    void bindingRequestIsHeaderPlusFingerprint() {
        ByteBuffer b = StunCodec.bindingRequest(ID);
        assertEquals(28, b.remaining());
        assertEquals("000100082112a4420badf00d1122334455667788", HexFormat.of().formatHex(b.array(), 0, 20));
        assertTrue(StunCodec.isStun(b));
        StunMessage m = decoded(b);
        assertEquals(StunWire.BINDING_REQUEST, m.type());
        assertEquals(ID, m.transactionId());
        assertTrue(m.fingerprinted());
        assertTrue(m.reflexive().isEmpty());
    }

    @Test
    void responsesRoundTripForBothFamilies() throws Exception {
        for (String a : new String[] {"203.0.113.77", "2001:db8:1234:5678:9abc:def0:1357:2468"}) {
            InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByName(a), 61234);
            StunMessage m = decoded(StunCodec.bindingResponse(ID, mapped));
            assertEquals(mapped, m.xorMapped().orElseThrow());
            assertEquals(ID, m.transactionId());
        }
    }

    @Test
    void mappedAddressIsUsedWhenThereIsNoXorMappedAddress() throws Exception {
        // Binding success, MAPPED-ADDRESS 198.51.100.9:4000 (plain, RFC 3489 style), no fingerprint.
        ByteBuffer b = hex("0101000c2112a442" + "0badf00d1122334455667788" + "000100080001 0fa0 c6336409".replace(" ", ""));
        StunMessage m = decoded(b);
        assertEquals(new InetSocketAddress(InetAddress.getByName("198.51.100.9"), 4000), m.reflexive().orElseThrow());
        assertFalse(m.fingerprinted());
    }

    @Test
    void corruptFingerprintIsDropped() {
        ByteBuffer b = hex(RFC5769_IPV4_RESPONSE);
        b.put(b.limit() - 1, (byte) (b.get(b.limit() - 1) ^ 1));
        assertEquals(StunDropReason.BAD_FINGERPRINT, dropped(b));
        ByteBuffer c = hex(RFC5769_IPV4_RESPONSE);
        c.put(45, (byte) (c.get(45) ^ 0x10)); // the mapped port: the CRC covers it
        assertEquals(StunDropReason.BAD_FINGERPRINT, dropped(c));
    }

    @Test
    void malformedMessagesAreDroppedWithTheirReason() {
        String hdr = "2112a4420badf00d1122334455667788";
        assertEquals(StunDropReason.MALFORMED_HEADER, dropped(hex("0101000c" + hdr))); // length says 12, has 0
        assertEquals(StunDropReason.MALFORMED_HEADER, dropped(hex("01010000" + hdr).limit(19)));
        assertEquals(StunDropReason.MALFORMED_HEADER, dropped(hex("c1010000" + hdr))); // top bits set
        assertEquals(StunDropReason.MALFORMED_HEADER, dropped(hex("010100002112a443" + "0badf00d1122334455667788")));
        // an attribute whose length runs past the end
        assertEquals(StunDropReason.MALFORMED_ATTRIBUTE, dropped(hex("01010008" + hdr + "00200010" + "00010000")));
        // XOR-MAPPED-ADDRESS with family 3, and with a short IPv6 value
        assertEquals(StunDropReason.MALFORMED_ATTRIBUTE, dropped(hex("0101000c" + hdr + "00200008" + "00030000" + "00000000")));
        assertEquals(StunDropReason.MALFORMED_ATTRIBUTE, dropped(hex("0101000c" + hdr + "00200008" + "00020000" + "00000000")));
        // an attribute after FINGERPRINT
        ByteBuffer longer = hex("00010010" + hdr + "0000000000000000" + "8022000461626364");
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(longer.array(), 0, 20); // the fingerprint is valid for the header with its final length
        longer.putShort(20, (short) StunWire.FINGERPRINT).putShort(22, (short) 4)
                .putInt(24, (int) crc.getValue() ^ StunWire.FINGERPRINT_XOR);
        assertEquals(StunDropReason.MALFORMED_ATTRIBUTE, dropped(longer));
        // an unknown comprehension-required attribute in a response is flagged, for the client to fail
        // the transaction (§6.3.3) once it knows the response is its own; an optional one is skipped
        assertTrue(decoded(hex("01010008" + hdr + "7777000400000000")).unknownRequired());
        assertFalse(decoded(hex("01010008" + hdr + "f777000400000000")).unknownRequired());
    }

    @Test
    void wireGuardMessagesAreNeverTakenForStun() {
        // Types 1-4, bytes 1-3 zero; even a sender index equal to the magic cookie does not make STUN.
        for (int[] tl : new int[][] {{1, 148}, {2, 92}, {3, 64}, {4, 32}, {4, 1452}}) {
            ByteBuffer b = ByteBuffer.allocate(tl[1]);
            b.put(0, (byte) tl[0]).putInt(4, StunWire.MAGIC_COOKIE);
            assertFalse(StunCodec.isStun(b), "type " + tl[0] + " length " + tl[1]);
        }
    }

    @Test
    void randomAndMutatedInputNeverThrows() {
        Random r = new Random(8489);
        byte[] valid = HexFormat.of().parseHex(RFC5769_IPV4_RESPONSE);
        for (int i = 0; i < 20_000; i++) {
            byte[] b;
            if (i % 2 == 0) {
                b = new byte[r.nextInt(120)];
                r.nextBytes(b);
                if (b.length >= 8) {
                    ByteBuffer.wrap(b).putInt(4, StunWire.MAGIC_COOKIE).putShort(2, (short) (b.length - 20)).put(0, (byte) 1);
                }
            } else {
                b = valid.clone();
                for (int k = 0; k < 1 + r.nextInt(4); k++) {
                    b[20 + r.nextInt(b.length - 20)] = (byte) r.nextInt();
                }
            }
            StunDecodeResult res = StunCodec.decode(ByteBuffer.wrap(b));
            assertTrue(res instanceof StunDecodeResult.Decoded || res instanceof StunDecodeResult.Dropped);
        }
    }
}
