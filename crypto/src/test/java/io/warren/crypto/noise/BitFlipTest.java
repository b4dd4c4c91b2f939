package io.warren.crypto.noise;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Every single-bit change to an initiation or a response is rejected somewhere on the receive path
 * ({@code parse -> CookieChecker -> Handshake.consume*}), and nothing throws.
 *
 * <p>Two attackers: one who cannot recompute MACs (the full path under load, with a valid cookie held,
 * so mac2 is checked too), and one who knows the receiver's public key and recomputes mac1 after
 * flipping (then the AEAD and DH must reject it). The sender index is authenticated only by the MACs in
 * WireGuard, so the second attacker's flips skip it.
 */
class BitFlipTest {
    private static final long NOW = HandshakeTest.MONO;
    private static final byte[] SOURCE = {(byte) 203, 0, 113, 9, 0x12, 0x34};

    @Test
    void everyFlippedBitOfAnInitiationIsDropped() {
        HandshakeTest.Peers p = new HandshakeTest.Peers();
        CookieChecker checker = new CookieChecker(p.bob);
        MessageInitiation first = p.initiation(HandshakeTest.WALL, NOW);
        MessageCookieReply reply = ((CookieChecker.SendCookieReply) checker.check(first, SOURCE, true, NOW, p.rnd)).reply();
        p.aliceToBob.consumeReply(reply, NOW);
        byte[] good = p.aliceToBob.addMacs(first, NOW).encode();
        assertInstanceOf(CookieChecker.Pass.class, checker.check(parse(good), SOURCE, true, NOW, p.rnd));

        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] b = flip(good, bit);
            MessageInitiation m = MessageInitiation.parse(ByteBuffer.wrap(b)).messageOrNull();
            if (m == null) {
                continue;
            }
            if (checker.check(m, SOURCE, true, NOW, p.rnd) instanceof CookieChecker.Pass) {
                assertFalse(p.consume(m, NOW) instanceof ConsumedInitiation.Ok, "bit " + bit + " accepted");
            }
        }

        CookieGenerator forger = new CookieGenerator(p.bob.publicKey());
        for (int bit = MessageInitiation.OFF_EPHEMERAL * 8; bit < MessageInitiation.OFF_MAC1 * 8; bit++) {
            byte[] b = flip(good, bit);
            forger.addMacs(b, 0, b.length, NOW);
            MessageInitiation m = parse(b);
            assertInstanceOf(CookieChecker.Pass.class, checker.check(m, SOURCE, false, NOW, p.rnd));
            if (p.consume(m, NOW) instanceof ConsumedInitiation.Ok) {
                fail("bit " + bit + " with recomputed mac1 accepted");
            }
        }
        assertInstanceOf(ConsumedInitiation.Ok.class, p.consume(parse(good), NOW), "original still good");
    }

    @Test
    void everyFlippedBitOfAResponseIsDropped() {
        HandshakeTest.Peers p = new HandshakeTest.Peers();
        CookieChecker aliceChecker = new CookieChecker(p.alice);
        assertInstanceOf(ConsumedInitiation.Ok.class, p.consume(p.initiation(HandshakeTest.WALL, NOW), NOW));
        MessageResponse first = p.bobToAlice.addMacs(p.bobHs.createResponse(HandshakeTest.BOB_INDEX, p.rnd), NOW);
        MessageCookieReply reply = ((CookieChecker.SendCookieReply) aliceChecker.check(first, SOURCE, true, NOW, p.rnd)).reply();
        p.bobToAlice.consumeReply(reply, NOW);
        byte[] good = p.bobToAlice.addMacs(first, NOW).encode();

        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] b = flip(good, bit);
            MessageResponse m = MessageResponse.parse(ByteBuffer.wrap(b)).messageOrNull();
            if (m == null) {
                continue;
            }
            if (aliceChecker.check(m, SOURCE, true, NOW, p.rnd) instanceof CookieChecker.Pass) {
                assertFalse(p.aliceHs.consumeResponse(m) instanceof ConsumedResponse.Ok, "bit " + bit + " accepted");
            }
        }

        CookieGenerator forger = new CookieGenerator(p.alice.publicKey());
        for (int bit = MessageResponse.OFF_RECEIVER * 8; bit < MessageResponse.OFF_MAC1 * 8; bit++) {
            byte[] b = flip(good, bit);
            forger.addMacs(b, 0, b.length, NOW);
            MessageResponse m = MessageResponse.parse(ByteBuffer.wrap(b)).messageOrNull();
            assertInstanceOf(CookieChecker.Pass.class, aliceChecker.check(m, SOURCE, false, NOW, p.rnd));
            if (p.aliceHs.consumeResponse(m) instanceof ConsumedResponse.Ok) {
                fail("bit " + bit + " with recomputed mac1 accepted");
            }
        }
        assertInstanceOf(ConsumedResponse.Ok.class,
                p.aliceHs.consumeResponse(MessageResponse.parse(ByteBuffer.wrap(good)).messageOrNull()));
    }

    private static MessageInitiation parse(byte[] b) {
        return MessageCodecTest.ok(MessageInitiation.parse(ByteBuffer.wrap(b)));
    }

    private static byte[] flip(byte[] good, int bit) {
        byte[] b = good.clone();
        b[bit / 8] ^= (byte) (1 << (bit % 8));
        return b;
    }
}
