package io.warren.crypto.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Wire codecs: round trips with a non-zero value in every field, and every malformed shape dropped with a reason. */
class MessageCodecTest {

    static byte[] filled(int len, int seed) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (seed + 7 * i + 1);
        }
        return b;
    }

    static MessageInitiation initiation() {
        return new MessageInitiation(0x81020304, filled(32, 1), filled(48, 2), filled(28, 3), filled(16, 4), filled(16, 5));
    }

    static MessageResponse response() {
        return new MessageResponse(0x91a2b3c4, 0x0badcafe, filled(32, 6), filled(16, 7), filled(16, 8), filled(16, 9));
    }

    @Test
    void initiationRoundTripsWithLittleEndianSender() {
        byte[] wire = initiation().encode();
        assertEquals(148, wire.length);
        assertEquals("01000000" + "04030281", HexFormat.of().formatHex(wire, 0, 8));
        MessageInitiation m = ok(MessageInitiation.parse(ByteBuffer.wrap(wire)));
        assertEquals(0x81020304, m.sender());
        assertArrayEquals(filled(32, 1), m.ephemeral());
        assertArrayEquals(filled(48, 2), m.encryptedStatic());
        assertArrayEquals(filled(28, 3), m.encryptedTimestamp());
        assertArrayEquals(filled(16, 4), m.mac1());
        assertArrayEquals(filled(16, 5), m.mac2());
        assertArrayEquals(wire, m.encode());
    }

    @Test
    void responseAndCookieReplyRoundTrip() {
        byte[] wire = response().encode();
        assertEquals(92, wire.length);
        MessageResponse r = ok(MessageResponse.parse(ByteBuffer.wrap(wire)));
        assertEquals(0x91a2b3c4, r.sender());
        assertEquals(0x0badcafe, r.receiver());
        assertArrayEquals(filled(32, 6), r.ephemeral());
        assertArrayEquals(filled(16, 7), r.encryptedNothing());
        assertArrayEquals(wire, r.encode());

        MessageCookieReply c = new MessageCookieReply(0x7f6e5d4c, filled(24, 10), filled(32, 11));
        byte[] cw = c.encode();
        assertEquals(64, cw.length);
        MessageCookieReply c2 = ok(MessageCookieReply.parse(ByteBuffer.wrap(cw)));
        assertEquals(0x7f6e5d4c, c2.receiver());
        assertArrayEquals(filled(24, 10), c2.nonce());
        assertArrayEquals(filled(32, 11), c2.encryptedCookie());
    }

    @Test
    void transportHeaderParsesWithoutCopyingPayload() {
        byte[] wire = new byte[3 + 16 + 40];
        MessageTransport.encodeHeader(0xdeadbeef, 0x8877665544332211L, wire, 3);
        for (int i = 19; i < wire.length; i++) {
            wire[i] = (byte) i;
        }
        ByteBuffer buf = ByteBuffer.wrap(wire);
        buf.position(3);
        MessageTransport t = ok(MessageTransport.parse(buf));
        assertEquals(3, buf.position(), "parse must not move the position");
        assertEquals(0xdeadbeef, t.receiver());
        assertEquals(0x8877665544332211L, t.counter());
        assertEquals(40, t.encrypted().remaining());
        assertEquals(19, t.encrypted().get(0));
        assertEquals(MessageType.TRANSPORT, ok(MessageType.of(buf)));
    }

    @Test
    void truncatedOversizedAndWrongTypesAreDroppedWithReasons() {
        assertDrops(MessageInitiation::parse, initiation().encode(), 148);
        assertDrops(MessageResponse::parse, response().encode(), 92);
        assertDrops(MessageCookieReply::parse, new MessageCookieReply(1, filled(24, 1), filled(32, 2)).encode(), 64);

        byte[] transport = new byte[32];
        MessageTransport.encodeHeader(5, 6, transport, 0);
        assertEquals(ParseDrop.TRUNCATED, drop(MessageTransport.parse(ByteBuffer.wrap(transport, 0, 31))));
        assertNotNull(MessageTransport.parse(ByteBuffer.wrap(transport)).messageOrNull());
        assertEquals(ParseDrop.WRONG_TYPE, drop(MessageTransport.parse(ByteBuffer.wrap(initiation().encode()))));
    }

    @Test
    void messageTypePeek() {
        assertEquals(MessageType.INITIATION, ok(MessageType.of(ByteBuffer.wrap(initiation().encode()))));
        assertEquals(MessageType.RESPONSE, ok(MessageType.of(ByteBuffer.wrap(response().encode()))));
        assertEquals(ParseDrop.TRUNCATED, drop(MessageType.of(ByteBuffer.wrap(new byte[] {1, 0, 0}))));
        assertEquals(ParseDrop.UNKNOWN_TYPE, drop(MessageType.of(ByteBuffer.wrap(new byte[] {0, 0, 0, 0}))));
        assertEquals(ParseDrop.UNKNOWN_TYPE, drop(MessageType.of(ByteBuffer.wrap(new byte[] {5, 0, 0, 0}))));
        assertEquals(ParseDrop.UNKNOWN_TYPE, drop(MessageType.of(ByteBuffer.wrap(new byte[] {(byte) 0x81, 0, 0, 0}))));
        assertEquals(ParseDrop.RESERVED_NONZERO, drop(MessageType.of(ByteBuffer.wrap(new byte[] {4, 0, 0, 1}))));
    }

    @Test
    void randomGarbageOfEveryLengthNeverThrows() {
        ScriptedRandom rnd = new ScriptedRandom(77);
        for (int len = 0; len <= 200; len++) {
            for (int type = 0; type <= 5; type++) {
                byte[] b = new byte[len];
                rnd.nextBytes(b);
                if (len > 0) {
                    b[0] = (byte) type;
                }
                if (len > 3 && (len & 1) == 0) {
                    b[1] = b[2] = b[3] = 0;
                }
                ByteBuffer buf = ByteBuffer.wrap(b);
                assertNotNull(MessageType.of(buf));
                assertNotNull(MessageInitiation.parse(buf));
                assertNotNull(MessageResponse.parse(buf));
                assertNotNull(MessageCookieReply.parse(buf));
                assertNotNull(MessageTransport.parse(buf));
            }
        }
    }

    private static <M> void assertDrops(Function<ByteBuffer, Parsed<M>> parser, byte[] good, int size) {
        assertNotNull(parser.apply(ByteBuffer.wrap(good)).messageOrNull());
        for (int len = 0; len < size; len++) {
            assertEquals(ParseDrop.TRUNCATED, drop(parser.apply(ByteBuffer.wrap(good, 0, len))), "length " + len);
        }
        byte[] longer = Arrays.copyOf(good, size + 1);
        assertEquals(ParseDrop.WRONG_SIZE, drop(parser.apply(ByteBuffer.wrap(longer))));
        for (int i = 1; i <= 3; i++) {
            byte[] reserved = good.clone();
            reserved[i] = (byte) 0x80;
            assertEquals(ParseDrop.RESERVED_NONZERO, drop(parser.apply(ByteBuffer.wrap(reserved))));
        }
        byte[] other = good.clone();
        other[0] = (byte) (good[0] == 4 ? 1 : good[0] + 1);
        assertEquals(ParseDrop.WRONG_TYPE, drop(parser.apply(ByteBuffer.wrap(other))));
        other[0] = 9;
        assertEquals(ParseDrop.UNKNOWN_TYPE, drop(parser.apply(ByteBuffer.wrap(other))));
    }

    static <M> M ok(Parsed<M> p) {
        assertInstanceOf(Parsed.Ok.class, p);
        return p.messageOrNull();
    }

    static ParseDrop drop(Parsed<?> p) {
        return assertInstanceOf(Parsed.Drop.class, p).reason();
    }
}
