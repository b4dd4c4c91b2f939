package io.warren.crypto.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.crypto.primitives.Aead;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.primitives.NoisePublicKey;
import io.warren.crypto.primitives.PresharedKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Two in-memory peers run the WireGuard handshake (whitepaper §5.4.2-§5.4.5) with a fake clock. */
class HandshakeTest {
    static final long WALL = 1_750_000_000_000_000_000L;
    static final long MONO = 5_000_000_000_000L;
    static final int ALICE_INDEX = 0x11223344;
    static final int BOB_INDEX = 0x55667788;

    /** Alice (initiator) and Bob (responder) with a PSK, and the per-peer cookie generators. */
    static final class Peers {
        final ScriptedRandom rnd = new ScriptedRandom(0x5eed);
        final PresharedKey psk = PresharedKey.fromBytes(MessageCodecTest.filled(32, 40));
        final StaticIdentity alice = new StaticIdentity(NoisePrivateKey.generate(rnd));
        final StaticIdentity bob = new StaticIdentity(NoisePrivateKey.generate(rnd));
        final Handshake aliceHs = new Handshake(alice, bob.publicKey(), psk);
        final Handshake bobHs = new Handshake(bob, alice.publicKey(), psk);
        final CookieGenerator aliceToBob = new CookieGenerator(bob.publicKey());
        final CookieGenerator bobToAlice = new CookieGenerator(alice.publicKey());

        Handshake bobLookup(NoisePublicKey k) {
            return k.equals(alice.publicKey()) ? bobHs : null;
        }

        MessageInitiation initiation(long wall, long mono) {
            return aliceToBob.addMacs(aliceHs.createInitiation(wall, ALICE_INDEX, rnd), mono);
        }

        ConsumedInitiation consume(MessageInitiation m, long mono) {
            return Handshake.consumeInitiation(bob, m, this::bobLookup, mono);
        }
    }

    @Test
    void twoPeersDeriveMirroredSessionKeys() {
        Peers p = new Peers();
        byte[] wire = p.initiation(WALL, MONO).encode();
        assertEquals(Handshake.State.INITIATION_CREATED, p.aliceHs.state());
        MessageInitiation init = MessageCodecTest.ok(MessageInitiation.parse(ByteBuffer.wrap(wire)));
        assertInstanceOf(CookieChecker.Pass.class, new CookieChecker(p.bob).check(init, new byte[] {10, 0, 0, 1, 0, 1},
                false, MONO, p.rnd));

        ConsumedInitiation.Ok ok = assertInstanceOf(ConsumedInitiation.Ok.class, p.consume(init, MONO));
        assertSame(p.bobHs, ok.peerHandshake());
        assertEquals(ALICE_INDEX, ok.remoteIndex());
        assertEquals(Handshake.State.INITIATION_CONSUMED, p.bobHs.state());

        MessageResponse resp = p.bobToAlice.addMacs(p.bobHs.createResponse(BOB_INDEX, p.rnd), MONO);
        assertEquals(ALICE_INDEX, resp.receiver());
        MessageResponse parsed = MessageCodecTest.ok(MessageResponse.parse(ByteBuffer.wrap(resp.encode())));
        assertInstanceOf(CookieChecker.Pass.class, new CookieChecker(p.alice).check(parsed, new byte[6], false, MONO, p.rnd));
        ConsumedResponse.Ok rok = assertInstanceOf(ConsumedResponse.Ok.class, p.aliceHs.consumeResponse(parsed));
        assertEquals(BOB_INDEX, rok.remoteIndex());
        assertArrayEquals(p.aliceHs.hashForTest(), p.bobHs.hashForTest(), "both transcripts agree");

        SessionKeys a = p.aliceHs.beginSymmetricSession();
        SessionKeys b = p.bobHs.beginSymmetricSession();
        assertArrayEquals(a.sendKey(), b.receiveKey());
        assertArrayEquals(a.receiveKey(), b.sendKey());
        assertFalse(java.util.Arrays.equals(a.sendKey(), a.receiveKey()));
        assertTrue(a.isInitiator());
        assertFalse(b.isInitiator());
        assertEquals(ALICE_INDEX, a.localIndex());
        assertEquals(BOB_INDEX, a.remoteIndex());
        assertEquals(BOB_INDEX, b.localIndex());
        assertEquals(ALICE_INDEX, b.remoteIndex());
        assertEquals(Handshake.State.ZEROED, p.aliceHs.state());
        assertEquals(Handshake.State.ZEROED, p.bobHs.state());
        assertNull(p.aliceHs.hashForTest(), "chaining state wiped");

        byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(ping, Aead.open(b.receiveKey(), 0, Aead.seal(a.sendKey(), 0, ping, new byte[0]), new byte[0]));
        assertArrayEquals(ping, Aead.open(a.receiveKey(), 7, Aead.seal(b.sendKey(), 7, ping, new byte[0]), new byte[0]));
        assertFalse(a.toString().contains(java.util.HexFormat.of().formatHex(a.sendKey()).substring(0, 8)));
    }

    @Test
    void replayedInitiationIsDroppedEvenAfterTheFloodWindow() {
        Peers p = new Peers();
        MessageInitiation init = p.initiation(WALL, MONO);
        assertInstanceOf(ConsumedInitiation.Ok.class, p.consume(init, MONO));
        assertEquals(ConsumedInitiation.Reason.REPLAYED_TIMESTAMP, dropReason(p.consume(init, MONO + 10_000_000_000L)));
        // A second initiation inside the same 16.8 ms TAI64N granule is also not strictly newer.
        assertEquals(ConsumedInitiation.Reason.REPLAYED_TIMESTAMP,
                dropReason(p.consume(p.initiation(WALL + 1, MONO), MONO + 10_000_000_000L)));
    }

    @Test
    void initiationsFasterThanFiftyPerSecondAreFlood() {
        Peers p = new Peers();
        assertInstanceOf(ConsumedInitiation.Ok.class, p.consume(p.initiation(WALL, MONO), MONO));
        MessageInitiation second = p.initiation(WALL + 1_000_000_000L, MONO);
        assertEquals(ConsumedInitiation.Reason.FLOOD, dropReason(p.consume(second, MONO + 20_000_000L)));
        assertInstanceOf(ConsumedInitiation.Ok.class, p.consume(second, MONO + 20_000_001L));
    }

    @Test
    void unknownPeerAndWrongResponderAreDropped() {
        Peers p = new Peers();
        StaticIdentity carol = new StaticIdentity(NoisePrivateKey.generate(p.rnd));
        Handshake carolToBob = new Handshake(carol, p.bob.publicKey(), PresharedKey.NONE);
        MessageInitiation fromCarol = carolToBob.createInitiation(WALL, 9, p.rnd);
        assertEquals(ConsumedInitiation.Reason.UNKNOWN_PEER, dropReason(p.consume(fromCarol, MONO)));
        // Alice's initiation to Bob consumed by Carol: the static key does not decrypt.
        MessageInitiation toBob = p.initiation(WALL, MONO);
        assertEquals(ConsumedInitiation.Reason.DECRYPT_FAILED,
                dropReason(Handshake.consumeInitiation(carol, toBob, k -> p.bobHs, MONO)));
        assertEquals(Handshake.State.ZEROED, p.bobHs.state());
    }

    @Test
    void presharedKeyMismatchFailsTheResponse() {
        Peers p = new Peers();
        p.bobHs.setPresharedKey(PresharedKey.NONE);
        assertInstanceOf(ConsumedInitiation.Ok.class, p.consume(p.initiation(WALL, MONO), MONO));
        MessageResponse resp = p.bobHs.createResponse(BOB_INDEX, p.rnd);
        assertEquals(ConsumedResponse.Reason.DECRYPT_FAILED, dropReason(p.aliceHs.consumeResponse(resp)));
        assertEquals(Handshake.State.INITIATION_CREATED, p.aliceHs.state(), "failed consume changes nothing");
    }

    @Test
    void responseInWrongStateOrForOtherIndexOrLowOrderIsDropped() {
        Peers p = new Peers();
        MessageResponse stray = MessageCodecTest.response();
        assertEquals(ConsumedResponse.Reason.WRONG_STATE, dropReason(p.aliceHs.consumeResponse(stray)));
        assertInstanceOf(ConsumedInitiation.Ok.class, p.consume(p.initiation(WALL, MONO), MONO));
        MessageResponse good = p.bobHs.createResponse(BOB_INDEX, p.rnd);
        MessageResponse otherReceiver = new MessageResponse(good.sender(), ALICE_INDEX + 1, good.ephemeral(),
                good.encryptedNothing(), good.mac1(), good.mac2());
        assertEquals(ConsumedResponse.Reason.WRONG_RECEIVER, dropReason(p.aliceHs.consumeResponse(otherReceiver)));
        MessageResponse zeroEphemeral = new MessageResponse(good.sender(), ALICE_INDEX, new byte[32],
                good.encryptedNothing(), good.mac1(), good.mac2());
        assertEquals(ConsumedResponse.Reason.INVALID_EPHEMERAL, dropReason(p.aliceHs.consumeResponse(zeroEphemeral)));
        assertInstanceOf(ConsumedResponse.Ok.class, p.aliceHs.consumeResponse(good));
        assertEquals(ConsumedResponse.Reason.WRONG_STATE, dropReason(p.aliceHs.consumeResponse(good)), "no second use");
    }

    @Test
    void lowOrderEphemeralInInitiationIsDropped() {
        Peers p = new Peers();
        MessageInitiation good = p.initiation(WALL, MONO);
        MessageInitiation zero = new MessageInitiation(good.sender(), new byte[32], good.encryptedStatic(),
                good.encryptedTimestamp(), good.mac1(), good.mac2());
        assertEquals(ConsumedInitiation.Reason.INVALID_EPHEMERAL, dropReason(p.consume(zero, MONO)));
    }

    @Test
    void programmingErrorsThrow() {
        Peers p = new Peers();
        assertThrows(IllegalStateException.class, () -> p.bobHs.createResponse(1, p.rnd));
        assertThrows(IllegalStateException.class, p.aliceHs::beginSymmetricSession);
        p.aliceHs.createInitiation(WALL, 1, p.rnd);
        p.aliceHs.clear();
        assertEquals(Handshake.State.ZEROED, p.aliceHs.state());
        assertNotNull(p.aliceHs.toString());
    }

    /**
     * A low-order peer key (the all-zero point here) is accepted as the kernel and wireguard-go
     * accept it: no initiation is created, and an initiation naming it, which anyone can forge
     * because the static-static DH is the known all-zero value, is dropped.
     */
    @Test
    void lowOrderPeerKeyIsAcceptedButNeverHandshakes() {
        Peers p = new Peers();
        NoisePublicKey zero = NoisePublicKey.fromBytes(new byte[32]);
        Handshake toZero = new Handshake(p.bob, zero, PresharedKey.NONE);
        assertFalse(toZero.canHandshake());
        assertTrue(p.bobHs.canHandshake());
        assertThrows(IllegalStateException.class, () -> toZero.createInitiation(WALL, 1, p.rnd));

        SymmetricState s = SymmetricState.wireGuard();
        s.mixHash(p.bob.publicKey().bytes());
        NoisePrivateKey eph = NoisePrivateKey.generate(p.rnd);
        byte[] ephPub = eph.publicKey().bytes();
        s.mixKey(ephPub);
        s.mixHash(ephPub);
        byte[] dh = new byte[32];
        assertTrue(eph.agree(p.bob.publicKey(), dh));
        s.mixKey(dh);
        byte[] encStatic = s.encryptAndHash(zero.bytes());
        s.mixKey(new byte[32]);
        byte[] encTimestamp = s.encryptAndHash(io.warren.crypto.primitives.Tai64n.fromEpochNanos(WALL).toBytes());
        MessageInitiation forged = new MessageInitiation(ALICE_INDEX, ephPub, encStatic, encTimestamp,
                new byte[16], new byte[16]);
        ConsumedInitiation r = Handshake.consumeInitiation(p.bob, forged, k -> k.equals(zero) ? toZero : null, MONO);
        assertEquals(ConsumedInitiation.Reason.LOW_ORDER_PEER, dropReason(r));
        assertEquals(Handshake.State.ZEROED, toZero.state());
    }

    static ConsumedInitiation.Reason dropReason(ConsumedInitiation r) {
        return assertInstanceOf(ConsumedInitiation.Drop.class, r).reason();
    }

    static ConsumedResponse.Reason dropReason(ConsumedResponse r) {
        return assertInstanceOf(ConsumedResponse.Drop.class, r).reason();
    }
}
