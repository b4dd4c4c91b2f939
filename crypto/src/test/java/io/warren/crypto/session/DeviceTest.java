package io.warren.crypto.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.warren.crypto.noise.StaticIdentity;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.primitives.PresharedKey;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two devices over the real handshake: dispatch by index and by static key, macs and cookies. */
class DeviceTest {
    static final long T0 = 500 * PeerTest.S;
    // Addresses are only MAC input for cookies here; nothing is sent anywhere.
    static final InetSocketAddress FROM_A = new InetSocketAddress("192.0.2.10", 51820);
    static final InetSocketAddress FROM_B = new InetSocketAddress("192.0.2.20", 51821);

    SecureRandom random;
    StaticIdentity idA;
    StaticIdentity idB;
    Device deviceA;
    Device deviceB;
    Peer bAtA; // peer B as configured on device A
    Peer aAtB;

    @BeforeEach
    void devices() throws Exception {
        random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(0xdec0deL);
        idA = new StaticIdentity(NoisePrivateKey.generate(random));
        idB = new StaticIdentity(NoisePrivateKey.generate(random));
        PresharedKey psk = PresharedKey.generate(random);
        deviceA = new Device(idA, random, () -> 1_700_000_000_000_000_011L);
        deviceB = new Device(idB, random, () -> 1_700_000_000_000_000_022L);
        bAtA = deviceA.addPeer(idB.publicKey(), psk, PeerConfig.defaults());
        aAtB = deviceB.addPeer(idA.publicKey(), psk, PeerConfig.defaults());
    }

    static Outcome.Decapsulated routedTo(Peer expected, Device.Received received) {
        Device.Routed routed = assertInstanceOf(Device.Routed.class, received);
        assertSame(expected, routed.peer());
        return routed.outcome();
    }

    @Test
    void handshakeAndDataRoutedByStaticKeyAndIndex() {
        ByteBuffer packet = Packets.ipv4(200, 2, 0x31);
        byte[] sent = Packets.bytes(packet);
        ByteBuffer initiation = PeerTest.only(bAtA.encapsulate(packet, T0));
        ByteBuffer response = PeerTest.only(routedTo(aAtB, deviceB.receive(initiation, FROM_A, T0, false)));
        ByteBuffer data = PeerTest.only(routedTo(bAtA, deviceA.receive(response, FROM_B, T0, false)));
        Outcome.WriteToTunnel got = assertInstanceOf(Outcome.WriteToTunnel.class,
                routedTo(aAtB, deviceB.receive(data, FROM_A, T0, false)));
        assertArrayEquals(sent, Packets.bytes(got.packet()));
        assertEquals(1, deviceB.liveIndices(), "B: one keypair");
        assertEquals(1, deviceA.liveIndices(), "A: the initiation's index now names the keypair");
    }

    @Test
    void unknownPeerBadMacAndWrongIndexDropped() throws Exception {
        StaticIdentity stranger = new StaticIdentity(NoisePrivateKey.generate(random));
        Device deviceC = new Device(stranger, random, () -> 1_700_000_000_000_000_033L);
        Peer bAtC = deviceC.addPeer(idB.publicKey(), PresharedKey.NONE, PeerConfig.defaults());
        ByteBuffer fromStranger = PeerTest.only(bAtC.encapsulate(Packets.ipv4(60, 3, 1), T0));
        assertEquals(new Device.Drop(DropReason.UNKNOWN_PEER), deviceB.receive(fromStranger, FROM_A, T0, false));

        ByteBuffer initiation = PeerTest.only(bAtA.encapsulate(Packets.ipv4(60, 2, 1), T0));
        ByteBuffer badMac = Packets.copy(initiation);
        badMac.put(116, (byte) (badMac.get(116) ^ 0x20)); // inside mac1
        assertEquals(new Device.Drop(DropReason.MAC1_INVALID), deviceB.receive(badMac, FROM_A, T0, false));

        ByteBuffer data = ByteBuffer.allocate(48);
        data.put(0, (byte) 4).putInt(4, 0x0bad_1dea);
        assertEquals(new Device.Drop(DropReason.UNKNOWN_RECEIVER_INDEX), deviceB.receive(data, FROM_A, T0, false));
        assertEquals(new Device.Drop(DropReason.MESSAGE_TRUNCATED), deviceB.receive(ByteBuffer.allocate(2), FROM_A, T0, false));
        assertEquals(new Device.Drop(DropReason.MESSAGE_TRUNCATED),
                deviceB.receive(Packets.copy(initiation).limit(147), FROM_A, T0, false));
        assertEquals(new Device.Drop(DropReason.UNKNOWN_MESSAGE_TYPE),
                deviceB.receive(ByteBuffer.wrap(new byte[] {7, 0, 0, 0, 1}), FROM_A, T0, false));
    }

    @Test
    void underLoadCookieReplyThenRetryWithMac2Passes() {
        ByteBuffer initiation = PeerTest.only(bAtA.encapsulate(Packets.ipv4(60, 2, 1), T0));
        Device.SendCookieReply cookie = assertInstanceOf(Device.SendCookieReply.class,
                deviceB.receive(initiation, FROM_A, T0, true));
        assertEquals(64, cookie.reply().remaining());
        assertSame(Outcome.DONE, routedTo(bAtA, deviceA.receive(cookie.reply(), FROM_B, T0, false)));
        List<Outcome.TimerAction> retry = bAtA.updateTimers(T0 + ProtocolTimers.REKEY_TIMEOUT + 333_000_000L);
        Outcome.Send again = assertInstanceOf(Outcome.Send.class, retry.get(0));
        long t = T0 + ProtocolTimers.REKEY_TIMEOUT + 333_000_000L;
        ByteBuffer response = PeerTest.only(routedTo(aAtB, deviceB.receive(again.datagram(), FROM_A, t, true)));
        assertInstanceOf(Outcome.WriteToNetwork.class, routedTo(bAtA, deviceA.receive(response, FROM_B, t, false)));
    }

    @Test
    void removePeerFreesIndices() {
        ByteBuffer initiation = PeerTest.only(bAtA.encapsulate(Packets.ipv4(60, 2, 1), T0));
        routedTo(aAtB, deviceB.receive(initiation, FROM_A, T0, false));
        assertEquals(1, deviceB.liveIndices());
        deviceB.removePeer(idA.publicKey());
        assertEquals(0, deviceB.liveIndices());
        assertEquals(null, deviceB.peer(idA.publicKey()));
    }

    /** Counts the draws from a SecureRandom (for {@link #dataExchangeDrawsNoSecureRandomness}). */
    static final class CountingRandom extends SecureRandom {
        int draws;

        CountingRandom(SecureRandom seed) {
            super(seed.generateSeed(0));
        }

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            draws++;
            super.nextBytes(bytes);
        }
    }

    /**
     * Every data packet sent while no reply is outstanding re-arms the new-handshake timer with a
     * fresh jitter (a ping exchange does that once per packet): the jitter must not come from the
     * device's SecureRandom (NativePRNG reads /dev/urandom on the data path after 100 ms idle).
     */
    @Test
    void dataExchangeDrawsNoSecureRandomness() {
        CountingRandom counting = new CountingRandom(random);
        Device a = new Device(idA, counting, () -> 1_700_000_000_000_000_011L);
        Peer b = a.addPeer(idB.publicKey(), PresharedKey.NONE, PeerConfig.defaults());
        aAtB = deviceB.addPeer(idA.publicKey(), PresharedKey.NONE, PeerConfig.defaults());
        ByteBuffer initiation = PeerTest.only(b.encapsulate(Packets.ipv4(60, 2, 1), T0));
        ByteBuffer response = PeerTest.only(routedTo(aAtB, deviceB.receive(initiation, FROM_A, T0, false)));
        ByteBuffer staged = PeerTest.only(routedTo(b, a.receive(response, FROM_B, T0, false)));
        routedTo(aAtB, deviceB.receive(staged, FROM_A, T0, false));
        int afterHandshake = counting.draws;
        long t = T0;
        for (int i = 0; i < 5; i++) {
            t += PeerTest.S / 5;
            ByteBuffer request = PeerTest.only(b.encapsulate(Packets.ipv4(84, 2, i), t));
            routedTo(aAtB, deviceB.receive(request, FROM_A, t, false));
            ByteBuffer reply = PeerTest.only(aAtB.encapsulate(Packets.ipv4(84, 2, i), t));
            assertInstanceOf(Outcome.WriteToTunnel.class, routedTo(b, a.receive(reply, FROM_B, t, false)));
        }
        assertEquals(afterHandshake, counting.draws, "no SecureRandom draw per data packet");
    }

    @Test
    void idlePeerTimersAllocateNothing() {
        assertEquals(List.of(), bAtA.updateTimers(T0), "no deadline armed");
        PeerTest.only(bAtA.encapsulate(Packets.ipv4(60, 2, 1), T0)); // an initiation arms a retransmit
        assertEquals(List.of(), bAtA.updateTimers(T0));
    }
}
