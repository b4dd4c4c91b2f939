package io.warren.crypto.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** mac1/mac2 and the cookie reply (whitepaper §5.4.4, §5.4.7) with a fake clock. */
class CookieTest {
    private static final long NOW = HandshakeTest.MONO;
    private static final long SECOND = 1_000_000_000L;

    private final HandshakeTest.Peers p = new HandshakeTest.Peers();
    private final CookieChecker bobChecker = new CookieChecker(p.bob);
    private final byte[] source = source("192.0.2.7", 51820);

    private static byte[] source(String ip, int port) {
        try {
            return CookieChecker.sourceBytes(new InetSocketAddress(InetAddress.getByName(ip), port));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void sourceBytesAreAddressThenBigEndianPort() {
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 7, (byte) 0xca, 0x6c}, source);
        assertEquals(18, source("2001:db8::1", 1).length);
    }

    @Test
    void mac1IsCheckedAndMac2IsZeroWithoutCookie() {
        MessageInitiation init = p.initiation(HandshakeTest.WALL, NOW);
        assertArrayEquals(new byte[16], init.mac2());
        assertInstanceOf(CookieChecker.Pass.class, bobChecker.check(init, source, false, NOW, p.rnd));
        byte[] badMac = init.mac1();
        badMac[5] ^= 0x10;
        assertEquals(CookieChecker.Reason.BAD_MAC1, assertInstanceOf(CookieChecker.Drop.class,
                bobChecker.check(init.withMacs(badMac, init.mac2()), source, false, NOW, p.rnd)).reason());
        // mac1 keyed for Alice (not Bob) is wrong at Bob.
        MessageInitiation misaddressed = new CookieGenerator(p.alice.publicKey()).addMacs(init, NOW);
        assertInstanceOf(CookieChecker.Drop.class, bobChecker.check(misaddressed, source, false, NOW, p.rnd));
    }

    @Test
    void underLoadCookieReplyRoundTripThenMac2Passes() {
        MessageInitiation init = p.initiation(HandshakeTest.WALL, NOW);
        CookieChecker.SendCookieReply reply = assertInstanceOf(CookieChecker.SendCookieReply.class,
                bobChecker.check(init, source, true, NOW, p.rnd));
        assertEquals(HandshakeTest.ALICE_INDEX, reply.reply().receiver());
        MessageCookieReply onWire = MessageCodecTest.ok(MessageCookieReply.parse(ByteBuffer.wrap(reply.reply().encode())));

        assertEquals(CookieGenerator.ReplyOutcome.ACCEPTED, p.aliceToBob.consumeReply(onWire, NOW + SECOND));
        assertTrue(p.aliceToBob.hasFreshCookie(NOW + SECOND));
        MessageInitiation retry = p.aliceToBob.addMacs(init, NOW + 2 * SECOND);
        assertFalse(java.util.Arrays.equals(new byte[16], retry.mac2()));
        assertInstanceOf(CookieChecker.Pass.class, bobChecker.check(retry, source, true, NOW + 2 * SECOND, p.rnd));
        // The cookie is bound to the source address and port.
        assertInstanceOf(CookieChecker.SendCookieReply.class,
                bobChecker.check(retry, source("192.0.2.7", 51821), true, NOW + 2 * SECOND, p.rnd));
        // Not under load, mac2 is not consulted.
        assertInstanceOf(CookieChecker.Pass.class,
                bobChecker.check(retry, source("198.51.100.1", 1), false, NOW + 2 * SECOND, p.rnd));
    }

    @Test
    void cookiesExpireAfter120SecondsOnBothSides() {
        MessageInitiation init = p.initiation(HandshakeTest.WALL, NOW);
        MessageCookieReply reply = ((CookieChecker.SendCookieReply) bobChecker.check(init, source, true, NOW, p.rnd)).reply();
        p.aliceToBob.consumeReply(reply, NOW);
        assertTrue(p.aliceToBob.hasFreshCookie(NOW + 119 * SECOND));
        assertFalse(p.aliceToBob.hasFreshCookie(NOW + 120 * SECOND));
        assertArrayEquals(new byte[16], p.aliceToBob.addMacs(init, NOW + 120 * SECOND).mac2());

        // Responder side: after 120 s the secret R_m rotates, so an old cookie no longer validates.
        MessageInitiation withOldCookie = p.aliceToBob.addMacs(init, NOW + 100 * SECOND);
        assertInstanceOf(CookieChecker.Pass.class, bobChecker.check(withOldCookie, source, true, NOW + 100 * SECOND, p.rnd));
        assertInstanceOf(CookieChecker.SendCookieReply.class,
                bobChecker.check(withOldCookie, source, true, NOW + 121 * SECOND, p.rnd));
    }

    @Test
    void cookieReplyMustAnswerTheLastMac1() {
        CookieGenerator fresh = new CookieGenerator(p.bob.publicKey());
        MessageInitiation init = p.initiation(HandshakeTest.WALL, NOW);
        MessageCookieReply reply = bobChecker.createReply(init, source, NOW, p.rnd);
        assertEquals(CookieGenerator.ReplyOutcome.NO_MAC1_SENT, fresh.consumeReply(reply, NOW));
        // Alice has since sent another message: the reply's AAD (old mac1) no longer matches.
        p.initiation(HandshakeTest.WALL + SECOND, NOW + SECOND);
        assertEquals(CookieGenerator.ReplyOutcome.DECRYPT_FAILED, p.aliceToBob.consumeReply(reply, NOW));
        MessageCookieReply forged = new MessageCookieReply(reply.receiver(), reply.nonce(), new byte[32]);
        assertEquals(CookieGenerator.ReplyOutcome.DECRYPT_FAILED, p.aliceToBob.consumeReply(forged, NOW));
        assertFalse(p.aliceToBob.hasFreshCookie(NOW));
    }

    @Test
    void responsesCarryMacsToo() {
        assertInstanceOf(ConsumedInitiation.Ok.class, p.consume(p.initiation(HandshakeTest.WALL, NOW), NOW));
        MessageResponse resp = p.bobToAlice.addMacs(p.bobHs.createResponse(HandshakeTest.BOB_INDEX, p.rnd), NOW);
        CookieChecker aliceChecker = new CookieChecker(p.alice);
        assertInstanceOf(CookieChecker.Pass.class, aliceChecker.check(resp, source, false, NOW, p.rnd));
        MessageCookieReply reply = ((CookieChecker.SendCookieReply) aliceChecker.check(resp, source, true, NOW, p.rnd)).reply();
        assertEquals(HandshakeTest.BOB_INDEX, reply.receiver());
        assertEquals(CookieGenerator.ReplyOutcome.ACCEPTED, p.bobToAlice.consumeReply(reply, NOW));
        assertInstanceOf(CookieChecker.Pass.class,
                aliceChecker.check(p.bobToAlice.addMacs(resp, NOW), source, true, NOW, p.rnd));
    }

    /** A reply answers one message (kernel cookie.c: have_sent_mac1 = false once consumed). */
    @Test
    void aReplayedCookieReplyDoesNotRenewTheCookie() {
        MessageInitiation init = p.initiation(HandshakeTest.WALL, NOW);
        MessageCookieReply reply = bobChecker.createReply(init, source, NOW, p.rnd);
        assertEquals(CookieGenerator.ReplyOutcome.ACCEPTED, p.aliceToBob.consumeReply(reply, NOW));
        assertEquals(CookieGenerator.ReplyOutcome.NO_MAC1_SENT, p.aliceToBob.consumeReply(reply, NOW + 100 * SECOND));
        assertFalse(p.aliceToBob.hasFreshCookie(NOW + 120 * SECOND), "the lifetime counts from the first reply");
        // the next message sent can take a new reply
        MessageInitiation next = p.aliceToBob.addMacs(init, NOW + 110 * SECOND);
        assertEquals(CookieGenerator.ReplyOutcome.ACCEPTED,
                p.aliceToBob.consumeReply(bobChecker.createReply(next, source, NOW + 110 * SECOND, p.rnd), NOW + 110 * SECOND));
        assertTrue(p.aliceToBob.hasFreshCookie(NOW + 229 * SECOND));
    }
}
