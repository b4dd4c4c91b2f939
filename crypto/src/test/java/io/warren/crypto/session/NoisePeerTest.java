package io.warren.crypto.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.warren.crypto.noise.StaticIdentity;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.primitives.PresharedKey;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Two peers over the real Noise_IKpsk2 handshake ({@link NoiseHandshaker}), in memory. */
class NoisePeerTest {
    static final long T0 = 99 * PeerTest.S;

    @Test
    void realHandshakeThenDataBothWays() throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(0x5eedL);
        StaticIdentity idA = new StaticIdentity(NoisePrivateKey.generate(random));
        StaticIdentity idB = new StaticIdentity(NoisePrivateKey.generate(random));
        PresharedKey psk = PresharedKey.generate(random);
        PeerConfig config = PeerConfig.defaults();
        Peer a = new Peer(new NoiseHandshaker(idA, idB.publicKey(), psk, random), new CountingIndices(0x0a00_0001),
                PeerTest.NO_JITTER, () -> 1_700_000_000_000_000_001L, config);
        Peer b = new Peer(new NoiseHandshaker(idB, idA.publicKey(), psk, random), new CountingIndices(0x0b00_0001),
                PeerTest.NO_JITTER, () -> 1_700_000_000_000_000_002L, config);

        ByteBuffer packet = Packets.ipv4(300, 2, 0x77);
        byte[] sent = Packets.bytes(packet);
        ByteBuffer initiation = PeerTest.only(a.encapsulate(packet, T0));
        assertEquals(148, initiation.remaining());
        ByteBuffer response = PeerTest.only(b.decapsulate(initiation, T0));
        assertEquals(92, response.remaining());
        ByteBuffer data = PeerTest.only(a.decapsulate(response, T0));
        Outcome.WriteToTunnel got = assertInstanceOf(Outcome.WriteToTunnel.class, b.decapsulate(data, T0));
        assertArrayEquals(sent, Packets.bytes(got.packet()));

        ByteBuffer back = Packets.ipv6(200, 1);
        byte[] backSent = Packets.bytes(back);
        Outcome.WriteToTunnel gotBack = assertInstanceOf(Outcome.WriteToTunnel.class,
                a.decapsulate(PeerTest.only(b.encapsulate(back, T0 + 1)), T0 + 1));
        assertArrayEquals(backSent, Packets.bytes(gotBack.packet()));

        // a replayed initiation is rejected by the TAI64N rule and never throws
        assertInstanceOf(Outcome.Drop.class, b.decapsulate(ByteBuffer.wrap(Packets.bytes(initiation)), T0 + PeerTest.S));
    }
}
