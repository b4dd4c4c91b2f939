package io.warren.crypto.session;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.warren.crypto.noise.CookieGenerator;
import io.warren.crypto.noise.Handshake;
import io.warren.crypto.noise.StaticIdentity;
import io.warren.crypto.primitives.NoisePrivateKey;
import io.warren.crypto.primitives.PresharedKey;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;

/**
 * Two devices on a fake clock for the hostile-input tests ({@link DeviceHostileInputTest},
 * {@link DeviceCookieHostileTest}): genuine messages to start from, and a snapshot of everything
 * a dropped datagram must leave unchanged.
 */
abstract class HostileDevices {
    static final long S = PeerTest.S;
    static final long MS = 1_000_000L;
    static final long T0 = 900 * S;
    /** Wall-clock step per initiation: more than the 2^24 ns TAI64N whitening (wireguard-go, the kernel). */
    static final long WALL_STEP = 100 * MS;
    static final InetSocketAddress FROM_A = new InetSocketAddress("192.0.2.10", 51820);
    static final InetSocketAddress FROM_B = new InetSocketAddress("192.0.2.20", 51821);

    SecureRandom random;
    StaticIdentity idA;
    StaticIdentity idB;
    PresharedKey psk;
    /** Wall clock for TAI64N: every initiation gets a later timestamp. */
    final AtomicLong wall = new AtomicLong(1_700_000_000_000_000_000L);
    Device deviceA;
    Device deviceB;
    Peer bAtA;
    Peer aAtB;

    @BeforeEach
    void devices() throws Exception {
        random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(0x4057113L);
        idA = new StaticIdentity(NoisePrivateKey.generate(random));
        idB = new StaticIdentity(NoisePrivateKey.generate(random));
        psk = PresharedKey.generate(random);
        deviceA = new Device(idA, random, () -> wall.addAndGet(WALL_STEP));
        deviceB = new Device(idB, random, () -> wall.addAndGet(WALL_STEP));
        bAtA = deviceA.addPeer(idB.publicKey(), psk, PeerConfig.defaults());
        aAtB = deviceB.addPeer(idA.publicKey(), psk, PeerConfig.defaults());
    }


    /** What must not change when a datagram is dropped. */
    record Snapshot(Handshake.State state, int localIndex, Keypair previous, Keypair current, Keypair next,
                    long sendNonce, int liveIndices, long lastHandshake, int staged) {
    }

    static Snapshot snapshot(Device device, Peer peer, StaticIdentity remote) {
        Handshake hs = device.handshakeForTest(remote.publicKey());
        Keypairs k = peer.keypairs();
        return new Snapshot(hs.state(), hs.localIndex(), k.previous(), k.current(), k.next(),
                k.current() == null ? -1 : k.current().sendNonce(), device.liveIndices(), peer.lastHandshake(),
                peer.stagedPackets());
    }

    Snapshot atA() {
        return snapshot(deviceA, bAtA, idB);
    }

    Snapshot atB() {
        return snapshot(deviceB, aAtB, idA);
    }

    static Device.Drop drop(DropReason reason) {
        return Device.Drop.of(reason);
    }

    static ByteBuffer copy(ByteBuffer b) {
        return Packets.copy(b);
    }

    static byte[] bytes(ByteBuffer b) {
        return Packets.bytes(b);
    }

    /** A's initiation to B, from a fresh device of A's identity (no REKEY_TIMEOUT throttle on A). */
    ByteBuffer freshInitiation(long now) {
        Device a = new Device(idA, random, () -> wall.addAndGet(WALL_STEP));
        Peer b = a.addPeer(idB.publicKey(), psk, PeerConfig.defaults());
        return copy(PeerTest.only(b.encapsulate(Packets.ipv4(60, 2, 1), now)));
    }

    /** A initiates, B answers: returns B's response (A waits in INITIATION_CREATED). */
    ByteBuffer[] initiationAndResponse(long now) {
        ByteBuffer initiation = copy(PeerTest.only(bAtA.encapsulate(Packets.ipv4(60, 2, 1), now)));
        ByteBuffer response = copy(PeerTest.only(DeviceTest.routedTo(aAtB,
                deviceB.receive(copy(initiation), FROM_A, now, false))));
        return new ByteBuffer[] {initiation, response};
    }

    /** A full handshake and the first data packet: both sides have a confirmed current keypair. */
    void establish(long now) {
        ByteBuffer[] ir = initiationAndResponse(now);
        ByteBuffer staged = PeerTest.only(DeviceTest.routedTo(bAtA, deviceA.receive(ir[1], FROM_B, now, false)));
        assertInstanceOf(Outcome.WriteToTunnel.class, DeviceTest.routedTo(aAtB, deviceB.receive(staged, FROM_A, now, false)));
        assertNotNull(aAtB.keypairs().current());
    }

    /** Rewrites mac1 (and a zero mac2) of a handshake message for the receiver {@code to}. */
    static ByteBuffer remac(byte[] message, StaticIdentity to, long now) {
        new CookieGenerator(to.publicKey()).addMacs(message, 0, message.length, now);
        return ByteBuffer.wrap(message);
    }


    /** A's next retransmitted initiation from {@code t} on (the retransmit timer, §6.4). */
    ByteBuffer initiationAfterTimers(long t) {
        for (long at = t; at < t + 20 * S; at += S) {
            for (Outcome.TimerAction act : bAtA.updateTimers(at)) {
                if (act instanceof Outcome.Send s && s.kind() == Outcome.SendKind.INITIATION) {
                    return copy(s.datagram());
                }
            }
        }
        throw new AssertionError("no retransmit");
    }
}
